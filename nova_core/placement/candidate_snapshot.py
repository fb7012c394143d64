"""What the allocation-candidate search reads: providers as small integers.

A :class:`Snapshot` is a read-only picture of every provider taken for one
search: its place in a tree, its traits, its aggregates and, per resource
class, its inventory with what is already used. Providers are numbered
0..n-1 in the order they were added (the loader adds them by database id,
so by age); resource classes, traits and aggregates are numbered by the ids
the caller gives (the database's) or, when none is given, by the order they
are first named (hand-built snapshots in tests).

Everything is plain lists, sets and dicts of integers so that a compiled
search can take the same data as arrays.
"""

import collections

import os_traits

SHARING_TRAIT = os_traits.MISC_SHARES_VIA_AGGREGATE

NO_PARENT = -1


class Inventory(collections.namedtuple('Inventory', [
        'total', 'reserved', 'min_unit', 'max_unit', 'step_size',
        'allocation_ratio', 'used'])):
    """One provider's inventory of one class, and the amount allocated."""

    __slots__ = ()

    @property
    def capacity(self):
        """What can be allocated in all, overcommit included (an integer)."""
        return int((self.total - self.reserved) * self.allocation_ratio)

    def fits(self, amount):
        """Whether one more allocation of *amount* is allowed."""
        # Compared with the unrounded capacity, as the database does.
        return (self.used + amount <=
                (self.total - self.reserved) * self.allocation_ratio and
                self.min_unit <= amount <= self.max_unit and
                amount % self.step_size == 0)


class _Names:
    """Names <-> integer ids of one kind of thing (classes, traits...)."""

    def __init__(self):
        self.ids = {}
        self.names = {}

    def define(self, name, ident=None):
        if name in self.ids:
            return self.ids[name]
        if ident is None:
            ident = max(self.names, default=0) + 1
        self.ids[name] = ident
        self.names[ident] = name
        return ident


class Snapshot:
    """Providers, inventories, traits and aggregates for one search."""

    def __init__(self):
        self.uuids = []
        self.parents = []
        self.roots = []
        # Per provider: frozensets of trait ids and of aggregate ids.
        self.traits = []
        self.aggregates = []
        # rc id -> {provider: Inventory}
        self.inventories = {}
        self.index_of = {}
        self.resource_classes = _Names()
        self.trait_names = _Names()
        self.aggregate_uuids = _Names()

    def __len__(self):
        return len(self.uuids)

    # -- building -------------------------------------------------------------

    def define_resource_class(self, name, rc_id=None):
        return self.resource_classes.define(name, rc_id)

    def define_trait(self, name, trait_id=None):
        return self.trait_names.define(name, trait_id)

    def define_aggregate(self, uuid, aggregate_id=None):
        return self.aggregate_uuids.define(uuid, aggregate_id)

    def add_provider(self, uuid, parent=None):
        """Add a provider (a root unless *parent*, an index, is given)."""
        index = len(self.uuids)
        self.uuids.append(uuid)
        self.parents.append(NO_PARENT)
        self.roots.append(index)
        if parent is not None:
            self.place(index, parent, self.roots[parent])
        self.traits.append(frozenset())
        self.aggregates.append(frozenset())
        self.index_of[uuid] = index
        return index

    def place(self, provider, parent, root):
        """Put *provider* under *parent* in the tree of *root* (indexes)."""
        self.parents[provider] = parent
        self.roots[provider] = root

    def set_inventory(self, provider, resource_class, total, reserved=0,
                      min_unit=1, max_unit=None, step_size=1,
                      allocation_ratio=1.0, used=0):
        rc_id = self.define_resource_class(resource_class)
        self.inventories.setdefault(rc_id, {})[provider] = Inventory(
            total, reserved, min_unit, total if max_unit is None else max_unit,
            step_size, allocation_ratio, used)

    def set_inventory_row(self, provider, rc_id, inventory):
        """Add an inventory by class id (the loader's path)."""
        self.inventories.setdefault(rc_id, {})[provider] = inventory

    def add_traits(self, provider, *names):
        ids = {self.define_trait(name) for name in names}
        self.traits[provider] = self.traits[provider] | ids

    def add_to_aggregates(self, provider, *uuids):
        ids = {self.define_aggregate(uuid) for uuid in uuids}
        self.aggregates[provider] = self.aggregates[provider] | ids

    # -- reading --------------------------------------------------------------

    def has_trees(self):
        """Whether any provider has a parent."""
        return any(parent != NO_PARENT for parent in self.parents)

    def sharing_providers(self):
        """Providers that share their inventory through aggregates."""
        trait_id = self.trait_names.ids.get(SHARING_TRAIT)
        return {p for p, traits in enumerate(self.traits) if trait_id in traits}

    def ancestors(self, provider):
        """*provider* and every provider above it."""
        found = {provider}
        while self.parents[provider] != NO_PARENT:
            provider = self.parents[provider]
            found.add(provider)
        return found

    def trait_name_list(self, provider):
        """Names of a provider's traits, oldest trait first (as upstream)."""
        names = self.trait_names.names
        return [names[t] for t in sorted(self.traits[provider])]

    def inventories_of(self, provider):
        """``[(class name, Inventory)]`` of one provider."""
        names = self.resource_classes.names
        return [(names[rc_id], by_provider[provider])
                for rc_id, by_provider in sorted(self.inventories.items())
                if provider in by_provider]
