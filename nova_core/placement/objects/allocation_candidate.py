"""Allocation candidates: keep the engine's picture fresh, search, render.

Each placement database object (one per app, so one per API process) keeps
a :class:`~nova_core.placement.candidate_snapshot.Snapshot` of every
provider. A request first reads the change log's version (``db/change.py``)
in a fresh read transaction: unchanged, the snapshot is used as it is;
changed, only the providers logged since the snapshot's version are read
again (a handful of queries on those ids); too old (the log was pruned
past it), everything is reloaded. So an answer reflects every write
committed before the request began, also when several processes serve the
API, and keeping fresh costs what changed, not the size of the cloud.

The snapshot is shared by the process's threads: refreshing, searching and
rendering hold its lock, so a search never sees a half-applied change.

The process's own allocation writes spare it most refreshes: a write that
changed nothing but usage reports, once committed, its change-log version
V and its exact usage deltas (:func:`note_own_write`; see
``objects/allocation.py``). The next request applies them before probing
if the snapshot is at V - 1 and *exact*, i.e. equal to the committed state
at its version (versions are unique and in commit order, so state V is
state V - 1 plus that one transaction). A refresh is exact if the version
read after its rows is still the one read before them (on PostgreSQL each
statement of the read sees newer commits; one that slipped in between
may already be in the rows); an inexact snapshot takes own writes again
after its next exact refresh. Anything else (a gap in versions: another
process or a write that did more than allocations) takes the change log.
"""

import collections
import threading

import sqlalchemy as sa

from nova_core.placement import candidate_search
from nova_core.placement import candidate_snapshot
from nova_core.placement.db import api as db
from nova_core.placement.db import change
from nova_core.placement.db.aggregate import placement_aggregates as agg_t
from nova_core.placement.db.aggregate import \
    resource_provider_aggregates as rpa_t
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.inventory import inventories as inv_t
from nova_core.placement.db.resource_class import resource_classes as rc_t
from nova_core.placement.db.resource_provider import \
    resource_provider_traits as rpt_t
from nova_core.placement.db.resource_provider import resource_providers as rp_t
from nova_core.placement.db.trait import traits as trait_t

RequestGroup = candidate_search.RequestGroup
REQUESTS_LIST = candidate_search.REQUESTS_LIST
REQUESTS_DICT = candidate_search.REQUESTS_DICT
REQUESTS_MAPPINGS = candidate_search.REQUESTS_MAPPINGS

# How many ids go into one IN (...) when refreshing part of the picture.
_CHUNK = 500

_CACHE_KEY = 'allocation_candidates'

# At most this many own writes wait for the next request; the rest is
# found through the change log.
_PENDING_MAX = 1000

Inventory = collections.namedtuple('Inventory', [
    'total', 'reserved', 'min_unit', 'max_unit', 'step_size',
    'allocation_ratio', 'used'])


class _Cache:
    def __init__(self, engine):
        self.lock = threading.Lock()
        self.snapshot = None
        self.exact = False      # the snapshot is the state at its version
        self.probe = (change.VersionProbe(engine)
                      if change.VersionProbe.usable(engine) else None)
        # Own writes not yet applied: (version, usage deltas); appended by
        # writers under pending_lock only, taken by whoever holds lock.
        self.pending_lock = threading.Lock()
        self.pending = []

    def close(self):
        if self.probe is not None:
            with self.lock:
                self.probe.close()


def _cache(ctx):
    cache = ctx.db.cache.get(_CACHE_KEY)
    if cache is None:
        cache = ctx.db.cache.setdefault(_CACHE_KEY, _Cache(ctx.db.engine))
    return cache


def note_own_write(ctx, version, usage):
    """A write of this process committed change-log *version*, which
    changed nothing but usage, by ``{(provider id, class id): amount}``."""
    cache = ctx.db.cache.get(_CACHE_KEY)
    if cache is None or cache.snapshot is None:
        return
    with cache.pending_lock:
        if len(cache.pending) < _PENDING_MAX:
            cache.pending.append((version, usage))


def _apply_own_writes(cache):
    """Apply the pending own writes that follow the snapshot's version
    without a gap (caller holds ``cache.lock``)."""
    with cache.pending_lock:
        pending, cache.pending = cache.pending, []
    snap = cache.snapshot
    if not pending or snap is None or not cache.exact:
        return
    for version, usage in sorted(pending, key=lambda entry: entry[0]):
        if version <= snap.version:
            continue
        if version != snap.version + 1 or not snap.add_usage(usage):
            return
        snap.version = version


def render_candidates(ctx, groups, render_options, group_policy=None,
                      root_required=(), root_forbidden=(), same_subtrees=(),
                      nested_aware=True, limit=None):
    """The JSON body of GET /allocation_candidates for *groups*.

    :param groups: RequestGroups, in request order.
    :param render_options: keyword arguments of ``Answer.render`` (the
        shape of the answer, decided by the handler).
    :param group_policy: None, 'none' or 'isolate'.
    :param root_required, root_forbidden: trait names the root of a
        candidate's tree must have / must not have.
    :param same_subtrees: list of sets of group suffixes.
    :param nested_aware: False gives the answer of clients that do not know
        provider trees (no two providers of one tree in a candidate).
    :param limit: at most this many candidates (None: all).
    :raises ResourceClassNotFound, TraitNotFound: for unknown names.
    """
    conf = ctx.config.placement
    params = candidate_search.Params(
        group_policy=group_policy, root_required=frozenset(root_required),
        root_forbidden=frozenset(root_forbidden),
        same_subtrees=[frozenset(s) for s in same_subtrees],
        nested_aware=nested_aware, limit=limit,
        randomize=conf.randomize_allocation_candidates,
        max_candidates=conf.max_allocation_candidates,
        strategy=conf.allocation_candidates_generation_strategy)
    cache = _cache(ctx)
    with cache.lock:
        snapshot = _fresh(ctx, cache)
        answer = candidate_search.find(snapshot, groups, params)
        return answer.render(**render_options)


def get_snapshot(ctx):
    """The process's snapshot, brought up to date (for tests and tools)."""
    cache = _cache(ctx)
    with cache.lock:
        return _fresh(ctx, cache)


def _fresh(ctx, cache):
    _apply_own_writes(cache)
    snap = cache.snapshot
    if snap is not None and cache.probe is not None:
        # The common case, nothing changed: one SELECT on the probe's own
        # connection instead of a pooled transaction.
        committed = cache.probe.read()
        if committed is not None and committed[0] == snap.version:
            return snap
    with db.reader(ctx) as conn:
        version, pruned_below = change.current(conn)
        snap = cache.snapshot
        if snap is None or snap.version < pruned_below:
            snap = candidate_snapshot.Snapshot()
            _load_names(conn, snap)
            _load_providers(conn, snap, None)
        elif snap.version != version:
            changed = change.changed_since(conn, snap.version)
            if change.NAMES in changed:
                changed.discard(change.NAMES)
                _load_names(conn, snap)
            if changed:
                _load_providers(conn, snap, changed)
        else:
            cache.snapshot = snap
            return snap
        # Rows newer than *version* (see the module docstring) are
        # harmless to the change log, whose next refresh reads those
        # providers again, but not to own writes' deltas.
        cache.exact = change.current(conn)[0] == version
        snap.version = version
        cache.snapshot = snap
        return snap


def _load_names(conn, snap):
    """Resource class and trait names (small tables: read whole)."""
    for names, table in ((snap.resource_classes, rc_t),
                         (snap.trait_names, trait_t)):
        rows = dict(conn.execute(sa.select(table.c.id, table.c.name)).all())
        for ident in set(names.names) - set(rows):
            names.forget(ident)
        for ident, name in sorted(rows.items()):
            if names.names.get(ident) != name:
                names.forget(ident)
                names.define(name, ident)
    snap.rename_columns()


def _chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def _rows(conn, query, column, ids):
    """Rows of *query*, all of them or those whose *column* is in *ids*."""
    if ids is None:
        return conn.execute(query).all()
    rows = []
    for chunk in _chunks(ids):
        rows += conn.execute(query.where(column.in_(chunk))).all()
    return rows


def _load_providers(conn, snap, ids):
    """Read providers *ids* (None: all) and apply them to *snap*."""
    rows = _rows(conn, sa.select(
        rp_t.c.id, rp_t.c.uuid, rp_t.c.parent_provider_id,
        rp_t.c.root_provider_id), rp_t.c.id, ids)
    found = {row.id: row for row in rows}
    if ids is not None:
        for rp_id in ids - set(found):
            snap.remove_provider(rp_id)
        # A parent or root this picture has never seen comes along too.
        unknown = {ref for row in rows for ref in (
            row.parent_provider_id, row.root_provider_id)
            if ref is not None and ref not in found
            and snap.slot(ref) is None}
        if unknown:
            _load_providers(conn, snap, unknown)
    for row in sorted(rows):
        snap.upsert_provider(row.id, row.uuid)
    for row in rows:
        snap.place_provider(row.id, row.parent_provider_id,
                            row.root_provider_id)
    _load_inventories(conn, snap, ids, found)
    _load_traits(conn, snap, ids, found)
    _load_aggregates(conn, snap, ids, found)


def _load_inventories(conn, snap, ids, found):
    used = {(rp_id, rc_id): int(total or 0) for rp_id, rc_id, total in _rows(
        conn, sa.select(
            alloc_t.c.resource_provider_id, alloc_t.c.resource_class_id,
            sa.func.sum(alloc_t.c.used)).group_by(
                alloc_t.c.resource_provider_id, alloc_t.c.resource_class_id),
        alloc_t.c.resource_provider_id, ids)}
    per_provider = collections.defaultdict(list)
    for row in _rows(conn, sa.select(
            inv_t.c.resource_provider_id, inv_t.c.resource_class_id,
            inv_t.c.total, inv_t.c.reserved, inv_t.c.min_unit,
            inv_t.c.max_unit, inv_t.c.step_size, inv_t.c.allocation_ratio),
            inv_t.c.resource_provider_id, ids):
        rp_id, rc_id = row[0], row[1]
        per_provider[rp_id].append((rc_id, Inventory(
            row[2], row[3], row[4], row[5], row[6], float(row[7]),
            used.get((rp_id, rc_id), 0))))
    for rp_id in found:
        snap.set_inventories(snap.slot(rp_id), per_provider.get(rp_id, ()))


def _load_traits(conn, snap, ids, found):
    per_provider = collections.defaultdict(set)
    for rp_id, trait_id in _rows(conn, sa.select(
            rpt_t.c.resource_provider_id, rpt_t.c.trait_id),
            rpt_t.c.resource_provider_id, ids):
        per_provider[rp_id].add(trait_id)
    for rp_id in found:
        snap.set_traits(snap.slot(rp_id), per_provider.get(rp_id, ()))


def _load_aggregates(conn, snap, ids, found):
    per_provider = collections.defaultdict(set)
    for rp_id, agg_id, agg_uuid in _rows(conn, sa.select(
            rpa_t.c.resource_provider_id, agg_t.c.id, agg_t.c.uuid)
            .select_from(rpa_t.join(agg_t, agg_t.c.id == rpa_t.c.aggregate_id)),
            rpa_t.c.resource_provider_id, ids):
        snap.define_aggregate(agg_uuid, agg_id)
        per_provider[rp_id].add(agg_id)
    for rp_id in found:
        snap.set_aggregates(snap.slot(rp_id), per_provider.get(rp_id, ()))
