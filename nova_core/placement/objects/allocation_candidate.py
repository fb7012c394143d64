"""Allocation candidates: load a snapshot, run the search, describe the answer.

The whole provider picture is read in one read transaction with a handful of
queries (providers, inventories, usages, traits, aggregates, names), turned
into a :class:`~nova_core.placement.candidate_snapshot.Snapshot` and handed
to :mod:`nova_core.placement.candidate_search`. What the answer needs about
the providers (uuids, traits, capacity and usage) comes from the same
snapshot, so it is consistent with the search.
"""

import collections

import sqlalchemy as sa

from nova_core.placement import candidate_search
from nova_core.placement import candidate_snapshot
from nova_core.placement.db import api as db
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

# allocations: [(provider uuid, class name, amount)]
# mappings: {suffix: [provider uuid]}
AllocationRequest = collections.namedtuple(
    'AllocationRequest', 'allocations mappings')

# resources: [(class name, capacity, used)]; traits: sorted names
ProviderSummary = collections.namedtuple('ProviderSummary', [
    'uuid', 'parent_provider_uuid', 'root_provider_uuid', 'traits',
    'resources'])

AllocationCandidates = collections.namedtuple(
    'AllocationCandidates', 'allocation_requests provider_summaries')


def get_candidates(ctx, groups, group_policy=None, root_required=(),
                   root_forbidden=(), same_subtrees=(), nested_aware=True,
                   limit=None):
    """Allocation candidates for *groups* (RequestGroups, request order).

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
    with db.reader(ctx) as conn:
        snapshot = load_snapshot(conn)
    result = candidate_search.search(snapshot, groups, params)
    return AllocationCandidates(
        [_request(snapshot, candidate) for candidate in result.candidates],
        [_summary(snapshot, provider) for provider in result.summaries])


def load_snapshot(conn):
    """Every provider with its inventories, usages, traits and aggregates."""
    snap = candidate_snapshot.Snapshot()
    for rc_id, name in conn.execute(sa.select(rc_t.c.id, rc_t.c.name)):
        snap.define_resource_class(name, rc_id)
    for trait_id, name in conn.execute(sa.select(trait_t.c.id, trait_t.c.name)):
        snap.define_trait(name, trait_id)
    index = _load_providers(conn, snap)
    _load_inventories(conn, snap, index)
    traits = collections.defaultdict(set)
    for rp_id, trait_id in conn.execute(
            sa.select(rpt_t.c.resource_provider_id, rpt_t.c.trait_id)):
        traits[index[rp_id]].add(trait_id)
    for provider, ids in traits.items():
        snap.traits[provider] = frozenset(ids)
    aggregates = collections.defaultdict(set)
    for rp_id, agg_id, agg_uuid in conn.execute(
            sa.select(rpa_t.c.resource_provider_id, agg_t.c.id, agg_t.c.uuid)
            .select_from(rpa_t.join(agg_t, agg_t.c.id == rpa_t.c.aggregate_id))):
        snap.define_aggregate(agg_uuid, agg_id)
        aggregates[index[rp_id]].add(agg_id)
    for provider, ids in aggregates.items():
        snap.aggregates[provider] = frozenset(ids)
    return snap


def _load_providers(conn, snap):
    """Add every provider, oldest first; returns ``{db id: index}``."""
    rows = conn.execute(sa.select(
        rp_t.c.id, rp_t.c.uuid, rp_t.c.parent_provider_id,
        rp_t.c.root_provider_id).order_by(rp_t.c.id)).all()
    index = {}
    for rp_id, uuid, _parent, _root in rows:
        index[rp_id] = snap.add_provider(uuid)
    # A re-parented provider may be older than its parent: link afterwards.
    for rp_id, _uuid, parent_id, root_id in rows:
        if parent_id is not None:
            snap.place(index[rp_id], index[parent_id], index[root_id])
    return index


def _load_inventories(conn, snap, index):
    used = {(rp_id, rc_id): int(total or 0) for rp_id, rc_id, total in
            conn.execute(sa.select(
                alloc_t.c.resource_provider_id, alloc_t.c.resource_class_id,
                sa.func.sum(alloc_t.c.used)).group_by(
                    alloc_t.c.resource_provider_id,
                    alloc_t.c.resource_class_id))}
    for row in conn.execute(sa.select(
            inv_t.c.resource_provider_id, inv_t.c.resource_class_id,
            inv_t.c.total, inv_t.c.reserved, inv_t.c.min_unit,
            inv_t.c.max_unit, inv_t.c.step_size, inv_t.c.allocation_ratio)):
        rp_id, rc_id = row[0], row[1]
        snap.set_inventory_row(index[rp_id], rc_id, candidate_snapshot.Inventory(
            row[2], row[3], row[4], row[5], row[6], float(row[7]),
            used.get((rp_id, rc_id), 0)))


def _request(snap, candidate):
    uuids = snap.uuids
    rc_names = snap.resource_classes.names
    return AllocationRequest(
        [(uuids[p], rc_names[rc_id], amount)
         for p, rc_id, amount in candidate.allocations],
        {suffix: sorted(uuids[p] for p in providers)
         for suffix, providers in candidate.mappings.items()})


def _summary(snap, provider):
    parent = snap.parents[provider]
    return ProviderSummary(
        snap.uuids[provider],
        snap.uuids[parent] if parent != candidate_snapshot.NO_PARENT else None,
        snap.uuids[snap.roots[provider]],
        snap.trait_name_list(provider),
        [(name, inventory.capacity, inventory.used)
         for name, inventory in snap.inventories_of(provider)])
