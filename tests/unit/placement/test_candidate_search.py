"""The allocation-candidate search on hand-built snapshots."""

import random

import pytest

from nova_core import exception
from nova_core.placement import candidate_search as cs
from nova_core.placement.candidate_snapshot import SHARING_TRAIT
from nova_core.placement.candidate_snapshot import Snapshot

AGG1 = 'aaaaaaaa-0000-0000-0000-000000000001'
AGG2 = 'aaaaaaaa-0000-0000-0000-000000000002'


def group(suffix='', resources=None, **kwargs):
    return cs.RequestGroup(suffix, resources or {}, **kwargs)


def req(traits):
    """required_traits: each name its own any-of set."""
    return [frozenset([name]) for name in traits]


def answer(snap, groups, **params):
    """{frozenset((uuid, class, amount)), ...} of a search."""
    result = cs.search(snap, groups, cs.Params(**params))
    return [_readable(snap, c) for c in result.candidates]


def _readable(snap, candidate):
    names = snap.resource_classes.names
    return frozenset((snap.uuids[p], names[rc], n)
                     for p, rc, n in candidate.allocations)


def alloc(*triples):
    return frozenset(triples)


def mappings(snap, groups, **params):
    result = cs.search(snap, groups, cs.Params(**params))
    return sorted(
        sorted((s, tuple(sorted(snap.uuids[p] for p in ps)))
               for s, ps in c.mappings.items())
        for c in result.candidates)


def summaries(snap, groups, **params):
    result = cs.search(snap, groups, cs.Params(**params))
    return sorted(snap.uuids[p] for p in result.summaries)


@pytest.fixture
def flat():
    """cn1 (VCPU 8, MEMORY 1024), cn2 (VCPU 4, DISK 100)."""
    snap = Snapshot()
    cn1 = snap.add_provider('cn1')
    snap.set_inventory(cn1, 'VCPU', 8)
    snap.set_inventory(cn1, 'MEMORY_MB', 1024)
    cn2 = snap.add_provider('cn2')
    snap.set_inventory(cn2, 'VCPU', 4)
    snap.set_inventory(cn2, 'DISK_GB', 100)
    snap.define_trait('HW_CPU_X86_AVX')
    return snap


@pytest.fixture
def shared():
    """cn1, cn2 (VCPU) and a sharing disk ss, all three in AGG1."""
    snap = Snapshot()
    for name in ('cn1', 'cn2'):
        cn = snap.add_provider(name)
        snap.set_inventory(cn, 'VCPU', 8)
        snap.add_to_aggregates(cn, AGG1)
    ss = snap.add_provider('ss')
    snap.set_inventory(ss, 'DISK_GB', 1000)
    snap.add_traits(ss, SHARING_TRAIT)
    snap.add_to_aggregates(ss, AGG1)
    return snap


@pytest.fixture
def numa():
    """cn (no inventory) with numa0, numa1 (VCPU 4), each with a pf (VF 8)."""
    snap = Snapshot()
    cn = snap.add_provider('cn')
    snap.add_traits(cn, 'HW_CPU_X86_AVX')
    for n in (0, 1):
        node = snap.add_provider('numa%d' % n, parent=cn)
        snap.set_inventory(node, 'VCPU', 4)
        snap.add_traits(node, 'HW_NUMA_ROOT')
        pf = snap.add_provider('pf%d' % n, parent=node)
        snap.set_inventory(pf, 'SRIOV_NET_VF', 8)
        snap.add_traits(pf, 'CUSTOM_PHYSNET%d' % n)
    return snap


# -- capacity -------------------------------------------------------------------

def test_one_provider_with_everything(flat):
    assert answer(flat, [group(resources={'VCPU': 2, 'MEMORY_MB': 512})]) == [
        alloc(('cn1', 'VCPU', 2), ('cn1', 'MEMORY_MB', 512))]


def test_no_provider_has_every_class(flat):
    assert answer(flat, [group(resources={'MEMORY_MB': 1, 'DISK_GB': 1})]) == []


@pytest.mark.parametrize('inventory, amount, fits', [
    (dict(total=8), 8, True),
    (dict(total=8, reserved=1), 8, False),
    (dict(total=8, used=7), 2, False),
    (dict(total=8, used=7, allocation_ratio=1.5), 5, True),
    (dict(total=8, used=7, allocation_ratio=1.5), 6, False),
    (dict(total=8, min_unit=2), 1, False),
    (dict(total=8, max_unit=2), 3, False),
    (dict(total=8, step_size=2), 3, False),
    (dict(total=8, step_size=2), 4, True),
])
def test_capacity_rules(inventory, amount, fits):
    snap = Snapshot()
    snap.set_inventory(snap.add_provider('cn'), 'VCPU', **inventory)
    found = answer(snap, [group(resources={'VCPU': amount})])
    assert found == ([alloc(('cn', 'VCPU', amount))] if fits else [])


def test_unknown_class_is_an_error(flat):
    with pytest.raises(exception.ResourceClassNotFound):
        answer(flat, [group(resources={'MCPU': 1})])


def test_known_class_without_inventory_is_no_answer(flat):
    flat.define_resource_class('CUSTOM_GOLD')
    assert answer(flat, [group(resources={'CUSTOM_GOLD': 1})]) == []


# -- traits and aggregates of a single provider --------------------------------------

def test_required_and_forbidden_traits(flat):
    flat.add_traits(0, 'HW_CPU_X86_AVX')
    vcpu = {'VCPU': 1}
    assert answer(flat, [group(resources=vcpu, required_traits=req(
        ['HW_CPU_X86_AVX']))]) == [alloc(('cn1', 'VCPU', 1))]
    assert answer(flat, [group(resources=vcpu, forbidden_traits={
        'HW_CPU_X86_AVX'})]) == [alloc(('cn2', 'VCPU', 1))]


def test_any_of_traits(flat):
    flat.add_traits(0, 'HW_CPU_X86_AVX')
    flat.add_traits(1, 'CUSTOM_X')
    found = answer(flat, [group(resources={'VCPU': 1}, required_traits=[
        frozenset(['HW_CPU_X86_AVX', 'CUSTOM_X'])])])
    assert len(found) == 2


def test_unknown_trait_is_an_error(flat):
    with pytest.raises(exception.TraitNotFound):
        answer(flat, [group(resources={'VCPU': 1},
                            forbidden_traits={'CUSTOM_NOPE'})])


def test_member_of_and_forbidden_aggregates(flat):
    flat.add_to_aggregates(0, AGG1)
    flat.add_to_aggregates(1, AGG2)
    vcpu = {'VCPU': 1}
    assert answer(flat, [group(resources=vcpu, member_of=[{AGG1}])]) == [
        alloc(('cn1', 'VCPU', 1))]
    assert len(answer(flat, [group(resources=vcpu,
                                   member_of=[{AGG1, AGG2}])])) == 2
    assert answer(flat, [group(resources=vcpu,
                               member_of=[{AGG1}, {AGG2}])]) == []
    assert answer(flat, [group(resources=vcpu,
                               forbidden_aggregates={AGG1})]) == [
        alloc(('cn2', 'VCPU', 1))]


def test_unknown_aggregate_matches_nothing(flat):
    unknown = '00000000-0000-0000-0000-000000000000'
    assert answer(flat, [group(resources={'VCPU': 1},
                               member_of=[{unknown}])]) == []
    assert len(answer(flat, [group(resources={'VCPU': 1},
                                   forbidden_aggregates={unknown})])) == 2


def test_a_group_finding_nothing_ends_the_search(flat):
    # The second group's unknown trait is never looked at.
    groups = [group('1', {'MEMORY_MB': 99999}),
              group('2', {'VCPU': 1}, required_traits=req(['CUSTOM_NOPE']))]
    assert answer(flat, groups, group_policy='none') == []
    with pytest.raises(exception.TraitNotFound):
        answer(flat, list(reversed(groups)), group_policy='none')


# -- sharing providers ----------------------------------------------------------------

def test_sharing_provider_serves_its_aggregate(shared):
    found = answer(shared, [group(resources={'VCPU': 1, 'DISK_GB': 10})])
    assert sorted(found, key=sorted) == sorted([
        alloc(('cn1', 'VCPU', 1), ('ss', 'DISK_GB', 10)),
        alloc(('cn2', 'VCPU', 1), ('ss', 'DISK_GB', 10))], key=sorted)
    assert summaries(shared, [group(resources={'VCPU': 1, 'DISK_GB': 10})]
                     ) == ['cn1', 'cn2', 'ss']


def test_sharing_needs_a_common_aggregate(shared):
    shared.set_aggregates(1, ())
    found = answer(shared, [group(resources={'VCPU': 1, 'DISK_GB': 10})])
    assert found == [alloc(('cn1', 'VCPU', 1), ('ss', 'DISK_GB', 10))]


def test_sharing_provider_alone(shared):
    assert answer(shared, [group(resources={'DISK_GB': 10})]) == [
        alloc(('ss', 'DISK_GB', 10))]


def test_in_tree_excludes_sharing_for_the_unsuffixed_group(shared):
    assert answer(shared, [group(resources={'VCPU': 1, 'DISK_GB': 10},
                                 in_tree='cn1')]) == []


def test_granular_sharing_group_is_offered_to_every_tree(shared):
    groups = [group('', {'VCPU': 1}),
              group('1', {'DISK_GB': 10}, in_tree='ss')]
    assert len(answer(shared, groups)) == 2


def test_unsuffixed_member_of_by_provider_or_root(numa):
    numa.add_to_aggregates(0, AGG1)
    found = answer(numa, [group(resources={'VCPU': 1}, member_of=[{AGG1}])])
    assert len(found) == 2
    found = answer(numa, [group('1', {'VCPU': 1}, member_of=[{AGG1}])])
    assert found == []


def test_shared_only_unsuffixed_group_serves_every_tree(shared):
    # Upstream keeps this option for one arbitrary tree only; see the
    # module docstring of candidate_search.
    groups = [group('', {'DISK_GB': 10}), group('1', {'VCPU': 1})]
    assert len(answer(shared, groups)) == 2


# -- trees ------------------------------------------------------------------------

def test_unsuffixed_group_spans_a_tree(numa):
    groups = [group(resources={'VCPU': 1, 'SRIOV_NET_VF': 2})]
    found = answer(numa, groups)
    assert len(found) == 4
    assert alloc(('numa0', 'VCPU', 1), ('pf1', 'SRIOV_NET_VF', 2)) in found
    assert summaries(numa, groups) == ['cn', 'numa0', 'numa1', 'pf0', 'pf1']


def test_tree_blind_before_1_29(numa):
    groups = [group(resources={'VCPU': 1, 'SRIOV_NET_VF': 2})]
    assert answer(numa, groups, nested_aware=False) == []
    groups = [group(resources={'SRIOV_NET_VF': 2})]
    assert len(answer(numa, groups, nested_aware=False)) == 2
    assert summaries(numa, groups, nested_aware=False) == ['pf0', 'pf1']


def test_unsuffixed_traits_count_on_the_providers_used(numa):
    # AVX is on the root, which provides nothing: not good enough.
    assert answer(numa, [group(resources={'VCPU': 1}, required_traits=req(
        ['HW_CPU_X86_AVX']))]) == []
    found = answer(numa, [group(
        resources={'VCPU': 1, 'SRIOV_NET_VF': 1},
        required_traits=req(['HW_NUMA_ROOT', 'CUSTOM_PHYSNET1']))])
    assert sorted(sorted(c) for c in found) == sorted([
        sorted([('numa0', 'VCPU', 1), ('pf1', 'SRIOV_NET_VF', 1)]),
        sorted([('numa1', 'VCPU', 1), ('pf1', 'SRIOV_NET_VF', 1)])])
    found = answer(numa, [group(resources={'VCPU': 1, 'SRIOV_NET_VF': 1},
                                forbidden_traits={'CUSTOM_PHYSNET0'})])
    assert len(found) == 2


def test_in_tree_of_a_child_means_its_whole_tree(numa):
    numa.set_inventory(numa.add_provider('cn2'), 'VCPU', 4)
    assert len(answer(numa, [group(resources={'VCPU': 1}, in_tree='pf1')])) == 2
    assert len(answer(numa, [group(resources={'VCPU': 1}, in_tree='cn2')])) == 1
    assert answer(numa, [group(resources={'VCPU': 1}, in_tree='nope')]) == []


def test_root_required(numa):
    numa.set_inventory(numa.add_provider('cn2'), 'VCPU', 4)
    vcpu = [group(resources={'VCPU': 1})]
    assert len(answer(numa, vcpu, root_required={'HW_CPU_X86_AVX'})) == 2
    assert answer(numa, vcpu, root_forbidden={'HW_CPU_X86_AVX'}) == [
        alloc(('cn2', 'VCPU', 1))]
    # A child's trait does not make its root qualify.
    assert answer(numa, vcpu, root_required={'HW_NUMA_ROOT'}) == []
    with pytest.raises(exception.TraitNotFound):
        answer(numa, vcpu, root_required={'CUSTOM_NOPE'})


def test_no_qualifying_root_answers_before_names_are_checked(numa):
    groups = [group(resources={'MCPU': 1})]
    assert answer(numa, groups, root_required={'HW_NUMA_ROOT'}) == []


# -- granular groups ------------------------------------------------------------------

def test_isolate_and_none(numa):
    groups = [group('1', {'SRIOV_NET_VF': 1}), group('2', {'SRIOV_NET_VF': 1})]
    # Same allocations twice: 1->pf0, 2->pf1 and the reverse.
    isolated = answer(numa, groups, group_policy='isolate')
    assert isolated == 2 * [
        alloc(('pf0', 'SRIOV_NET_VF', 1), ('pf1', 'SRIOV_NET_VF', 1))]
    assert mappings(numa, groups, group_policy='isolate') == [
        [('1', ('pf0',)), ('2', ('pf1',))], [('1', ('pf1',)), ('2', ('pf0',))]]
    # With none the same provider may serve both groups (amounts added).
    together = answer(numa, groups, group_policy='none')
    assert alloc(('pf0', 'SRIOV_NET_VF', 2)) in together
    assert len(together) == 4


def test_added_amounts_are_checked_against_capacity(numa):
    groups = [group('1', {'SRIOV_NET_VF': 5}), group('2', {'SRIOV_NET_VF': 5})]
    assert len(answer(numa, groups, group_policy='none')) == 2


def test_isolate_ignores_the_unsuffixed_group(numa):
    groups = [group('', {'VCPU': 1}), group('1', {'VCPU': 1}),
              group('2', {'SRIOV_NET_VF': 1})]
    found = answer(numa, groups, group_policy='isolate')
    assert alloc(('numa0', 'VCPU', 2), ('pf0', 'SRIOV_NET_VF', 1)) in found


def test_granular_member_of_is_the_provider_itself(shared):
    shared.set_aggregates(0, ())
    found = answer(shared, [group('1', {'VCPU': 1}, member_of=[{AGG1}])])
    assert found == [alloc(('cn2', 'VCPU', 1))]


# -- same_subtree and resourceless groups --------------------------------------------------

def test_same_subtree(numa):
    groups = [group('_C', {'VCPU': 1}), group('_N', {'SRIOV_NET_VF': 1})]
    everywhere = answer(numa, groups, group_policy='none')
    assert len(everywhere) == 4
    found = answer(numa, groups, group_policy='none',
                   same_subtrees=[{'_C', '_N'}])
    assert sorted(sorted(c) for c in found) == [
        [('numa0', 'VCPU', 1), ('pf0', 'SRIOV_NET_VF', 1)],
        [('numa1', 'VCPU', 1), ('pf1', 'SRIOV_NET_VF', 1)]]


def test_resourceless_group_anchors_same_subtree(numa):
    groups = [group('_N', {'SRIOV_NET_VF': 1}),
              group('_NUMA', required_traits=req(['HW_NUMA_ROOT']))]
    found = mappings(numa, groups, group_policy='none',
                     same_subtrees=[{'_N', '_NUMA'}])
    assert found == [[('_N', ('pf0',)), ('_NUMA', ('numa0',))],
                     [('_N', ('pf1',)), ('_NUMA', ('numa1',))]]


def test_resourceless_group_needs_a_positive_filter(numa):
    groups = [group('_N', {'SRIOV_NET_VF': 1}),
              group('_X', forbidden_traits={'HW_NUMA_ROOT'})]
    assert answer(numa, groups, group_policy='none',
                  same_subtrees=[{'_N', '_X'}]) == []


def test_resourceless_group_ignores_in_tree(numa):
    other = numa.add_provider('other')
    numa.add_traits(other, 'HW_NUMA_ROOT')
    groups = [group('_N', {'SRIOV_NET_VF': 1}),
              group('_T', required_traits=req(['HW_NUMA_ROOT']),
                    in_tree='other')]
    assert len(answer(numa, groups, group_policy='none',
                      same_subtrees=[{'_N', '_T'}])) == 2


# -- limits and order ------------------------------------------------------------------

def _many_roots(count):
    snap = Snapshot()
    for n in range(count):
        cn = snap.add_provider('cn%d' % n)
        snap.set_inventory(cn, 'VCPU', 4)
        for m in range(2):
            pf = snap.add_provider('pf%d.%d' % (n, m), parent=cn)
            snap.set_inventory(pf, 'SRIOV_NET_VF', 4)
    return snap


def test_limit_keeps_the_first_and_their_trees():
    snap = _many_roots(3)
    groups = [group(resources={'VCPU': 1, 'SRIOV_NET_VF': 1})]
    assert len(answer(snap, groups)) == 6
    assert answer(snap, groups, limit=1) == [
        alloc(('cn0', 'VCPU', 1), ('pf0.0', 'SRIOV_NET_VF', 1))]
    assert summaries(snap, groups, limit=1) == ['cn0', 'pf0.0', 'pf0.1']


def test_limit_random_sample():
    snap = _many_roots(5)
    groups = [group(resources={'VCPU': 1, 'SRIOV_NET_VF': 1})]
    random.seed(3)
    seen = {frozenset(answer(snap, groups, limit=2, randomize=True))
            for _ in range(20)}
    assert len(seen) > 1
    assert all(len(s) == 2 for s in seen)


def test_max_candidates_depth_and_breadth_first():
    snap = _many_roots(3)
    groups = [group(resources={'VCPU': 1, 'SRIOV_NET_VF': 1})]
    deep = answer(snap, groups, max_candidates=3)
    assert {uuid for c in deep for uuid, _rc, _n in c} == {
        'cn0', 'pf0.0', 'pf0.1', 'cn1', 'pf1.0'}
    broad = answer(snap, groups, max_candidates=3, strategy=cs.BREADTH_FIRST)
    assert {uuid for c in broad for uuid, rc, _n in c if rc == 'VCPU'} == {
        'cn0', 'cn1', 'cn2'}
    assert len(answer(snap, groups, max_candidates=0)) == 1


def test_equal_results_are_merged_but_not_different_mappings(numa):
    groups = [group('1', {'VCPU': 1}), group('2', {'VCPU': 1})]
    found = cs.search(numa, groups, cs.Params(group_policy='none'))
    allocations = [_readable(numa, c) for c in found.candidates]
    # numa0+numa1 twice (1->numa0, 2->numa1 and the reverse), plus 2 on each.
    assert len(allocations) == 4
    assert len(set(allocations)) == 3
