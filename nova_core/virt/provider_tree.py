"""ProviderTree: the local model of a compute node's resource providers.

The resource tracker fills one from placement, hands it to the driver's
``update_provider_tree(tree, nodename)`` and sends back what changed. A
provider is addressed by name or uuid; records come out as plain dicts::

    {'uuid', 'name', 'parent_provider_uuid', 'generation',
     'inventories': {rc: {total, reserved, min_unit, max_unit, step_size,
                          allocation_ratio}},
     'traits': [names], 'aggregates': [uuids]}

:meth:`to_list` returns them parents first, the order placement needs to
create them in.
"""

import copy
import threading
import uuid as uuidlib


def child_uuid(parent_uuid, name):
    """A stable uuid for a child provider, so restarts find the same one."""
    return str(uuidlib.uuid5(uuidlib.UUID(parent_uuid), name))


class _Provider:
    __slots__ = ('uuid', 'name', 'parent_uuid', 'generation', 'inventory',
                 'traits', 'aggregates')

    def __init__(self, uuid, name, parent_uuid=None, generation=None):
        self.uuid = uuid
        self.name = name
        self.parent_uuid = parent_uuid
        self.generation = generation
        self.inventory = {}
        self.traits = set()
        self.aggregates = set()

    def as_dict(self):
        return {'uuid': self.uuid, 'name': self.name,
                'parent_provider_uuid': self.parent_uuid,
                'generation': self.generation,
                'inventories': copy.deepcopy(self.inventory),
                'traits': sorted(self.traits),
                'aggregates': sorted(self.aggregates)}


class ProviderTree:
    """Providers of one compute host (one root per node), thread-safe."""

    def __init__(self):
        self._lock = threading.RLock()
        self._by_uuid = {}

    # -- building ------------------------------------------------------------
    @classmethod
    def from_list(cls, records):
        """A tree from provider dicts (placement's, or :meth:`to_list`)."""
        tree = cls()
        pending = list(records)
        while pending:
            progress = False
            for rec in list(pending):
                parent = rec.get('parent_provider_uuid')
                if parent and parent not in tree._by_uuid:
                    continue
                tree._put(rec)
                pending.remove(rec)
                progress = True
            if not progress:
                raise ValueError('providers with unknown parents: %s' % (
                    [r['uuid'] for r in pending]))
        return tree

    def _put(self, rec):
        prov = _Provider(rec['uuid'], rec['name'],
                         rec.get('parent_provider_uuid'),
                         rec.get('generation'))
        prov.inventory = copy.deepcopy(rec.get('inventories') or {})
        prov.traits = set(rec.get('traits') or ())
        prov.aggregates = set(rec.get('aggregates') or ())
        self._by_uuid[prov.uuid] = prov

    def copy(self):
        with self._lock:
            return ProviderTree.from_list(self.to_list())

    def new_root(self, name, uuid, generation=None):
        """Add a root provider; returns its uuid."""
        with self._lock:
            if self._find(name) or uuid in self._by_uuid:
                raise ValueError('provider %s / %s exists' % (name, uuid))
            self._by_uuid[uuid] = _Provider(uuid, name, None, generation)
            return uuid

    def new_child(self, name, parent, uuid=None):
        """Add a child of *parent* (name or uuid); returns its uuid.

        Without *uuid*, one derived from the parent's uuid and *name*.
        """
        with self._lock:
            par = self._get(parent)
            if self._find(name):
                raise ValueError('provider %s exists' % name)
            uuid = uuid or child_uuid(par.uuid, name)
            self._by_uuid[uuid] = _Provider(uuid, name, par.uuid)
            return uuid

    def ensure_child(self, name, parent):
        """The uuid of child *name* of *parent*, created if missing."""
        with self._lock:
            found = self._find(name)
            if found:
                return found.uuid
            return self.new_child(name, parent)

    def rename(self, name_or_uuid, name):
        with self._lock:
            prov = self._get(name_or_uuid)
            other = self._find(name)
            if other is not None and other is not prov:
                raise ValueError('provider %s exists' % name)
            prov.name = name

    def remove(self, name_or_uuid):
        """Remove a provider and all its descendants."""
        with self._lock:
            prov = self._get(name_or_uuid)
            for child in self._children(prov.uuid):
                self.remove(child.uuid)
            del self._by_uuid[prov.uuid]

    # -- reading -------------------------------------------------------------
    def exists(self, name_or_uuid):
        with self._lock:
            return self._find(name_or_uuid) is not None

    def data(self, name_or_uuid):
        """The provider's dict (a copy)."""
        with self._lock:
            return self._get(name_or_uuid).as_dict()

    def roots(self):
        with self._lock:
            return [p.uuid for p in self._by_uuid.values()
                    if p.parent_uuid is None]

    def children(self, name_or_uuid):
        with self._lock:
            return [c.uuid for c in self._children(self._get(name_or_uuid).uuid)]

    def subtree(self, name_or_uuid):
        """Uuids of a provider and its descendants, parents first."""
        with self._lock:
            out = [self._get(name_or_uuid).uuid]
            for uuid in out:
                out.extend(c.uuid for c in self._children(uuid))
            return out

    def to_list(self):
        """Every provider's dict, parents before their children."""
        with self._lock:
            out = []
            for root in sorted(self.roots()):
                out.extend(self._by_uuid[u].as_dict()
                           for u in self.subtree(root))
            return out

    # -- changing ------------------------------------------------------------
    def update_inventory(self, name_or_uuid, inventory, generation=None):
        with self._lock:
            prov = self._get(name_or_uuid)
            prov.inventory = copy.deepcopy(inventory)
            if generation is not None:
                prov.generation = generation

    def inventory(self, name_or_uuid):
        with self._lock:
            return copy.deepcopy(self._get(name_or_uuid).inventory)

    def update_traits(self, name_or_uuid, traits):
        with self._lock:
            self._get(name_or_uuid).traits = set(traits)

    def add_traits(self, name_or_uuid, *traits):
        with self._lock:
            self._get(name_or_uuid).traits.update(traits)

    def remove_traits(self, name_or_uuid, *traits):
        with self._lock:
            self._get(name_or_uuid).traits.difference_update(traits)

    def traits(self, name_or_uuid):
        with self._lock:
            return set(self._get(name_or_uuid).traits)

    def update_aggregates(self, name_or_uuid, aggregates):
        with self._lock:
            self._get(name_or_uuid).aggregates = set(aggregates)

    def aggregates(self, name_or_uuid):
        with self._lock:
            return set(self._get(name_or_uuid).aggregates)

    # -- internals -----------------------------------------------------------
    def _children(self, uuid):
        return sorted((p for p in self._by_uuid.values()
                       if p.parent_uuid == uuid), key=lambda p: p.name)

    def _find(self, name_or_uuid):
        prov = self._by_uuid.get(name_or_uuid)
        if prov is not None:
            return prov
        for prov in self._by_uuid.values():
            if prov.name == name_or_uuid:
                return prov
        return None

    def _get(self, name_or_uuid):
        prov = self._find(name_or_uuid)
        if prov is None:
            raise KeyError('no provider %s in the tree' % name_or_uuid)
        return prov
