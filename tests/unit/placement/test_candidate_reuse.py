"""What the candidate search keeps between requests gives the same answers.

The engine counts changes of its providers' shape (places, traits,
liveness), not its stock (inventories, usage); the search keeps the roots
``root_required`` allows per shape, and the compact rendering keeps the
sections of the last answer while its candidates stay the same. One
group in a cloud of standalone providers skips the combination walk.
Each answer below is checked against one made without anything kept.
"""

import pytest

from nova_core import _fastalloc
from nova_core.placement import candidate_search as cs
from nova_core.placement.candidate_snapshot import SHARING_TRAIT
from nova_core.placement.candidate_snapshot import Snapshot

AGG = 'aaaaaaaa-0000-0000-0000-000000000001'
GROUP = cs.RequestGroup('', {'VCPU': 1, 'MEMORY_MB': 512})
DISABLED = 'COMPUTE_STATUS_DISABLED'


def cloud(hosts=12):
    """Standalone hosts: VCPU 4, MEMORY_MB 2048; every third disabled."""
    snap = Snapshot()
    snap.define_trait(DISABLED)
    for i in range(hosts):
        slot = snap.add_provider('%08d-0000-0000-0000-000000000000' % i)
        snap.set_inventory(slot, 'VCPU', 4)
        snap.set_inventory(slot, 'MEMORY_MB', 2048)
        if i % 3 == 2:
            snap.add_traits(slot, DISABLED)
    return snap


def use(snap, slot, vcpus):
    snap.set_inventory(slot, 'VCPU', 4, used=vcpus)


def fresh_compact(snap, groups, params):
    """The compact body made without the snapshot's kept parts."""
    kept = snap.last_compact
    snap.last_compact = None
    try:
        return cs.find(snap, groups, params).render_compact()
    finally:
        snap.last_compact = kept


def slots_of(snap, groups, params):
    return [[(p, a) for p, _rc, a in c.allocations]
            for c in cs.search(snap, groups, params).candidates]


def test_engine_counts_shape_changes_not_stock_changes():
    engine = _fastalloc.Engine()
    shape = engine.shape
    s = engine.new_slot(b'0' * 36)
    assert engine.shape > shape
    shape = engine.shape
    col = engine.add_column()
    engine.set_inventory(s, col, 8, 0, 1, 8, 1, 1.0, 0)
    assert engine.shape == shape
    engine.set_used(s, col, 3)
    assert engine.shape == shape and engine.inventory(s, col) == (8, 3)
    for change in (lambda: engine.set_traits(s, [3], False),
                   lambda: engine.place(s, -1, s),
                   lambda: engine.kill(s)):
        shape = engine.shape
        change()
        assert engine.shape > shape


def test_engine_flags_follow_the_shape():
    engine = _fastalloc.Engine()
    a = engine.new_slot(b'a' * 36)
    b = engine.new_slot(b'b' * 36)
    assert (engine.has_trees(), engine.has_sharing(), engine.is_flat()) == \
        (False, False, True)
    engine.place(b, a, a)
    assert (engine.has_trees(), engine.is_flat()) == (True, False)
    engine.kill(b)
    assert (engine.has_trees(), engine.is_flat()) == (False, True)
    engine.set_traits(a, [0], True)
    assert engine.has_sharing()
    engine.set_traits(a, [], False)
    assert not engine.has_sharing()


def test_one_group_in_a_flat_cloud():
    snap = cloud()
    use(snap, 0, 4)     # full
    params = cs.Params(root_forbidden=frozenset([DISABLED]), limit=3)
    assert slots_of(snap, [GROUP], params) == [
        [(1, 1), (1, 512)], [(3, 1), (3, 512)], [(4, 1), (4, 512)]]
    for strategy in (cs.DEPTH_FIRST, cs.BREADTH_FIRST):
        params = cs.Params(strategy=strategy, max_candidates=5)
        assert [c[0][0] for c in slots_of(snap, [GROUP], params)] == \
            [1, 2, 3, 4, 5]
    answer = cs.find(snap, [GROUP], cs.Params(limit=4))
    assert answer.summaries == [1, 2, 3, 4]


def test_anchors_kept_per_shape():
    snap = cloud(6)
    params = cs.Params(root_forbidden=frozenset([DISABLED]))
    assert [c[0][0] for c in slots_of(snap, [GROUP], params)] == [0, 1, 3, 4]
    snap.add_traits(0, DISABLED)
    assert [c[0][0] for c in slots_of(snap, [GROUP], params)] == [1, 3, 4]
    snap.set_traits(5, ())
    assert [c[0][0] for c in slots_of(snap, [GROUP], params)] == [1, 3, 4, 5]
    snap.set_traits(2, ())
    assert [c[0][0] for c in slots_of(snap, [GROUP], params)] == \
        [1, 2, 3, 4, 5]
    required = cs.Params(root_required=frozenset([DISABLED]))
    assert [c[0][0] for c in slots_of(snap, [GROUP], required)] == [0]


@pytest.mark.parametrize('limit', [None, 2, 5])
def test_compact_reused_only_while_the_same(limit):
    snap = cloud()
    params = cs.Params(root_forbidden=frozenset([DISABLED]), limit=limit)
    changes = [
        lambda: use(snap, 1, 1),            # usage only: parts reused
        lambda: use(snap, 1, 2),
        lambda: use(snap, 0, 4),            # 0 is full: other candidates
        lambda: snap.add_traits(3, 'CUSTOM_X'),     # other trait sets
        lambda: snap.add_traits(4, DISABLED),       # other roots allowed
        lambda: use(snap, 0, 0),
        lambda: snap.set_inventory(1, 'DISK_GB', 10),   # other resources
    ]
    before = cs.find(snap, [GROUP], params).render_compact()
    assert before == fresh_compact(snap, [GROUP], params)
    for i, change in enumerate(changes):
        change()
        body = cs.find(snap, [GROUP], params).render_compact()
        assert body == fresh_compact(snap, [GROUP], params), i
        if limit is None:
            assert body != before, i
        before = body


def test_compact_reuse_with_trees_and_sharing():
    snap = cloud(4)
    child = snap.add_provider('child', parent=0)
    snap.set_inventory(child, 'MEMORY_MB', 1024)
    shared = snap.add_provider('shared')
    snap.set_inventory(shared, 'DISK_GB', 100)
    snap.add_traits(shared, SHARING_TRAIT)
    snap.add_to_aggregates(shared, AGG)
    for slot in range(4):
        snap.add_to_aggregates(slot, AGG)
    groups = [cs.RequestGroup('', {'VCPU': 1, 'DISK_GB': 1}),
              cs.RequestGroup('1', {'MEMORY_MB': 256})]
    params = cs.Params(group_policy='none')
    for amount in (0, 10, 90, 100):
        snap.set_inventory(shared, 'DISK_GB', 100, used=amount)
        use(snap, 1, 2)
        body = cs.find(snap, groups, params).render_compact()
        assert body == fresh_compact(snap, groups, params)


def test_found_same_as():
    snap = cloud(4)
    first = cs.find(snap, [GROUP], cs.Params()).found
    assert first.same_as(cs.find(snap, [GROUP], cs.Params()).found)
    assert not first.same_as(cs.find(snap, [GROUP], cs.Params(
        max_candidates=2)).found)
    assert not first.same_as(None)
