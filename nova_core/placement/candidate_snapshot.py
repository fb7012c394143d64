"""What the allocation-candidate engine reads: providers as small integers.

A :class:`Snapshot` keeps every provider in a *slot* of a compiled
:class:`nova_core._fastalloc.Engine` (its tree, trait bits, inventories)
plus what only Python needs (uuids, aggregate membership, names). It is
long-lived: the objects layer loads it once and then applies only what
changed, provider by provider (``upsert_provider``, ``set_inventories``,
...). Slots are handed out in the order providers are added (the loader
adds them by database id, so by age) and are never reused; a deleted
provider's slot is dead.

For tests there is also a small builder API (``add_provider``,
``set_inventory``, ``add_traits``, ``add_to_aggregates``) that takes names
instead of database ids.
"""

import collections
import json
import uuid as uuidlib

import os_traits

from nova_core import _fastalloc

SHARING_TRAIT = os_traits.MISC_SHARES_VIA_AGGREGATE

NO_PARENT = -1

# At most this many values kept by Snapshot.shaped.
_SHAPED_MAX = 64

# Builder-made providers may have any name; the engine keeps a uuid-sized
# stand-in for names that are not uuids (only the HTTP answer shows them).
_STAND_IN = uuidlib.UUID('0f4d3f64-5ab8-4b8e-9c3a-3c2a8e1d6b55')


class Names:
    """Names <-> integer ids of one kind of thing (classes, traits...)."""

    def __init__(self):
        self.ids = {}
        self.names = {}

    def define(self, name, ident=None):
        if name in self.ids:
            return self.ids[name]
        if ident is None:
            ident = max(self.names, default=0) + 1
        old = self.names.get(ident)
        if old is not None:
            del self.ids[old]
        self.ids[name] = ident
        self.names[ident] = name
        return ident

    def forget(self, ident):
        name = self.names.pop(ident, None)
        if name is not None:
            del self.ids[name]


class Snapshot:
    """Providers, inventories, traits and aggregates, kept up to date."""

    def __init__(self):
        self.engine = _fastalloc.Engine()
        self.resource_classes = Names()
        self.trait_names = Names()
        self.aggregate_uuids = Names()
        self.uuids = []                 # per slot
        self.index_of = {}              # uuid -> slot, live providers only
        self.version = None             # what the loader last applied
        self._slot_of = {}              # database id (or builder key) -> slot
        self._col_of = {}               # resource class id -> engine column
        self.col_names = []             # per column: class name as bytes
        self._bit_of = {}               # trait id -> bit in the engine
        self._traits = []               # per slot: sorted trait ids
        self._aggregates = []           # per slot: frozenset of aggregate ids
        self._members = collections.defaultdict(set)  # aggregate -> slots
        self._traits_json = []          # per slot: cached JSON list, or None
        self._inventories = []          # per slot: {rc id: loader's row}
        self._sharing = None            # cached _fastalloc.Sharing
        self._shaped = {}               # see shaped()
        self._shaped_at = None
        self.last_compact = None        # see Answer.render_compact

    def __len__(self):
        return self.engine.n

    @property
    def parents(self):
        return self.engine.parents_of()

    @property
    def roots(self):
        return self.engine.roots_of()

    # -- loading by database ids ----------------------------------------------

    def upsert_provider(self, key, uuid):
        """The slot of provider *key* (a database id), made if new."""
        slot = self._slot_of.get(key)
        if slot is None:
            slot = self.engine.new_slot(_engine_uuid(uuid))
            self._slot_of[key] = slot
            self.uuids.append(uuid)
            self._traits.append(())
            self._aggregates.append(frozenset())
            self._traits_json.append(None)
            self._inventories.append({})
            self._sharing = None
        self.index_of[uuid] = slot
        return slot

    def place_provider(self, key, parent_key, root_key):
        """Put *key* under *parent_key* (None: a root) in *root_key*'s tree."""
        slot = self._slot_of[key]
        parent = NO_PARENT if parent_key is None else self._slot_of[parent_key]
        self.engine.place(slot, parent, self._slot_of[root_key])
        self._sharing = None

    def remove_provider(self, key):
        slot = self._slot_of.pop(key, None)
        if slot is None:
            return
        self.index_of.pop(self.uuids[slot], None)
        self.engine.kill(slot)
        self.set_aggregates(slot, ())
        self._traits[slot] = ()
        self._traits_json[slot] = None
        self._inventories[slot] = {}
        self._sharing = None

    def slot(self, key):
        return self._slot_of.get(key)

    def column(self, rc_id):
        """The engine column of resource class *rc_id*, made if new."""
        col = self._col_of.get(rc_id)
        if col is None:
            col = self.engine.add_column()
            self._col_of[rc_id] = col
            self.col_names.append(
                self.resource_classes.names[rc_id].encode('ascii'))
        return col

    def column_of(self, rc_id):
        """The engine column of *rc_id*, or None if no inventory ever had it."""
        return self._col_of.get(rc_id)

    def rename_columns(self):
        """Refresh column names after the class table changed."""
        for rc_id, col in self._col_of.items():
            name = self.resource_classes.names.get(rc_id)
            if name is not None:
                self.col_names[col] = name.encode('ascii')

    def set_inventories(self, slot, rows):
        """Replace a slot's inventories: ``[(rc id, Inventory)]`` (a
        namedtuple with total, reserved, min_unit, max_unit, step_size,
        allocation_ratio, used)."""
        self.engine.clear_inventory(slot)
        kept = self._inventories[slot] = {}
        for rc_id, inv in rows:
            self._set_inventory(slot, rc_id, inv)
            kept[rc_id] = inv

    def _set_inventory(self, slot, rc_id, inv):
        self.engine.set_inventory(
            slot, self.column(rc_id), inv.total, inv.reserved,
            inv.min_unit, inv.max_unit, inv.step_size,
            float(inv.allocation_ratio), inv.used)

    def add_usage(self, deltas):
        """Move usage by ``{(provider key, rc id): amount}``, all or nothing.

        False, and nothing changed, if a pair with a non-zero amount has no
        inventory loaded by ``set_inventories`` here.
        """
        moves = []
        for (key, rc_id), amount in deltas.items():
            if not amount:
                continue
            slot = self._slot_of.get(key)
            inv = None if slot is None else self._inventories[slot].get(rc_id)
            if inv is None:
                return False
            moves.append((slot, rc_id, inv._replace(used=inv.used + amount)))
        for slot, rc_id, inv in moves:
            self._inventories[slot][rc_id] = inv
            # The rest of the row is what set_inventories gave the engine.
            self.engine.set_used(slot, self._col_of[rc_id], inv.used)
        return True

    def set_traits(self, slot, trait_ids):
        trait_ids = tuple(sorted(trait_ids))
        bits = [self._bit(t) for t in trait_ids]
        sharing_id = self.trait_names.ids.get(SHARING_TRAIT)
        self.engine.set_traits(slot, bits, sharing_id in trait_ids)
        if trait_ids != self._traits[slot]:
            self._traits[slot] = trait_ids
            self._traits_json[slot] = None
            self._sharing = None

    def set_aggregates(self, slot, aggregate_ids):
        aggregate_ids = frozenset(aggregate_ids)
        old = self._aggregates[slot]
        if aggregate_ids == old:
            return
        for agg in old - aggregate_ids:
            self._members[agg].discard(slot)
        for agg in aggregate_ids - old:
            self._members[agg].add(slot)
        self._aggregates[slot] = aggregate_ids
        self._sharing = None

    def _bit(self, trait_id):
        bit = self._bit_of.get(trait_id)
        if bit is None:
            bit = len(self._bit_of)
            self._bit_of[trait_id] = bit
        return bit

    # -- the builder API (tests, tools) -------------------------------------------

    def define_resource_class(self, name, rc_id=None):
        return self.resource_classes.define(name, rc_id)

    def define_trait(self, name, trait_id=None):
        return self.trait_names.define(name, trait_id)

    def define_aggregate(self, uuid, aggregate_id=None):
        return self.aggregate_uuids.define(uuid, aggregate_id)

    def add_provider(self, uuid, parent=None):
        """Add a provider (a root unless *parent*, a slot, is given)."""
        key = ('builder', len(self.uuids))
        slot = self.upsert_provider(key, uuid)
        if parent is not None:
            self.engine.place(slot, parent, self.engine.roots_of()[parent])
        return slot

    def set_inventory(self, provider, resource_class, total, reserved=0,
                      min_unit=1, max_unit=None, step_size=1,
                      allocation_ratio=1.0, used=0):
        rc_id = self.define_resource_class(resource_class)
        self.engine.set_inventory(
            provider, self.column(rc_id), total, reserved, min_unit,
            total if max_unit is None else max_unit, step_size,
            float(allocation_ratio), used)

    def add_traits(self, provider, *names):
        ids = {self.define_trait(name) for name in names}
        self.set_traits(provider, set(self._traits[provider]) | ids)

    def add_to_aggregates(self, provider, *uuids):
        ids = {self.define_aggregate(uuid) for uuid in uuids}
        self.set_aggregates(provider, self._aggregates[provider] | ids)

    # -- reading ----------------------------------------------------------------

    def trait_bits(self, trait_ids):
        """Engine bits of *trait_ids*; traits no provider has have none."""
        return [self._bit_of[t] for t in trait_ids if t in self._bit_of]

    def members(self, aggregate_id):
        return self._members.get(aggregate_id, ())

    def sharing(self):
        """The engine's map from each sharing provider to the roots it serves."""
        if self._sharing is None:
            roots = self.engine.roots_of()
            anchors = {}
            for slot in self.engine.sharing_slots():
                anchors[slot] = sorted({
                    roots[other] for agg in self._aggregates[slot]
                    for other in self._members[agg]
                    if self.engine.is_alive(other)})
            self._sharing = _fastalloc.Sharing(self.engine.n, anchors)
        return self._sharing

    def shaped(self, key, make):
        """``make()``, kept under *key* while the engine's shape (the
        providers' places, trait bits and liveness) stays the same."""
        if self._shaped_at != self.engine.shape:
            self._shaped.clear()
            self._shaped_at = self.engine.shape
        value = self._shaped.get(key)
        if value is None:
            if len(self._shaped) >= _SHAPED_MAX:
                self._shaped.clear()
            value = self._shaped[key] = make()
        return value

    def traits_json(self, slots):
        """Per slot the JSON list of trait names (filled for *slots*)."""
        names = self.trait_names.names
        cache = self._traits_json
        for slot in slots:
            if cache[slot] is None:
                cache[slot] = json.dumps(
                    [names[t] for t in self._traits[slot] if t in names]
                ).encode('ascii')
        return cache


def _engine_uuid(uuid):
    if len(uuid) == 36:
        return uuid.encode('ascii')
    return str(uuidlib.uuid5(_STAND_IN, uuid)).encode('ascii')
