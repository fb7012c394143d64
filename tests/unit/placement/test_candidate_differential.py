"""The candidate engine against the brute-force oracle, on random forests.

Hypothesis draws provider forests (roots, children up to four levels,
sharing providers, traits, aggregates, inventories with every constraint and
some usage) and requests using every parameter of GET /allocation_candidates;
the engine (nova_core.placement.candidate_search) must give the same
candidates and provider summaries as tests.candidate_oracle, which enumerates
every assignment of groups to providers. Under CI=true the examples are
derandomized, so that a CI run is reproducible.
"""

import collections
import importlib.machinery
import os

from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis import given
import pytest

from nova_core import _fastalloc
from nova_core import exception
from nova_core.placement import candidate_search
from nova_core.placement import candidate_snapshot
from tests import candidate_oracle as oracle
from tests.candidate_oracle import Group
from tests.candidate_oracle import Inventory
from tests.candidate_oracle import Provider
from tests.candidate_oracle import SHARING

# NOVA_CORE_CANDIDATE_EXAMPLES=20000 for a long hunt (the default keeps the
# suite quick).
settings.register_profile(
    'candidates', max_examples=int(os.environ.get(
        'NOVA_CORE_CANDIDATE_EXAMPLES', 600)), deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    'candidates-ci', settings.get_profile('candidates'), derandomize=True,
    database=None, print_blob=True)
SETTINGS = settings.get_profile(
    'candidates-ci' if os.environ.get('CI') == 'true' else 'candidates')

CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_FPGA']
TRAITS = ['CUSTOM_A', 'CUSTOM_B', 'CUSTOM_C']
AGGREGATES = ['agg1', 'agg2', 'agg3']
# Names that exist but no provider has; names that do not exist at all.
IDLE_CLASS, IDLE_TRAIT = 'CUSTOM_IDLE', 'CUSTOM_IDLE_TRAIT'
UNKNOWN_CLASS, UNKNOWN_TRAIT = 'CUSTOM_NOPE', 'CUSTOM_NOPE'
UNKNOWN_AGGREGATE, UNKNOWN_PROVIDER = 'agg-none', 'rp-none'
KNOWN_TRAITS = frozenset(TRAITS + [SHARING, IDLE_TRAIT])
KNOWN_CLASSES = frozenset(CLASSES + [IDLE_CLASS])
SUFFIXES = ['1', '2', '_NIC', '_ACCEL']


# -- strategies ---------------------------------------------------------------
#
# Each rule is switched on with a small probability so that most requests
# still find candidates; every draw shrinks towards "off" (0) so that a
# failing example shrinks to the rules that matter.

def chance(draw, percent):
    """True about *percent* % of the time; shrinks to False."""
    return draw(st.integers(0, 99)) >= 100 - percent


def pick(draw, choices):
    return choices[draw(st.integers(0, len(choices) - 1))]


def some(draw, choices, percent):
    """A subset of *choices*, each in it with probability *percent* %."""
    return frozenset(c for c in choices if chance(draw, percent))


def draw_inventory(draw):
    """Mostly a plain inventory of 8 (or fewer); else capacity often tight
    and any of the constraints."""
    total = draw(st.integers(1, 8)) if chance(draw, 40) else 8
    if chance(draw, 60):
        return Inventory(total, 0, 1, total, 1, 1.0, 0)

    def usual(value, unusual):
        return draw(unusual) if chance(draw, 35) else value
    return Inventory(
        total=total,
        reserved=usual(0, st.integers(max(0, total - 3), total)),
        min_unit=usual(1, st.integers(1, 3)),
        max_unit=usual(total, st.integers(1, total)),
        step_size=usual(1, st.integers(1, 3)),
        allocation_ratio=usual(1.0, st.sampled_from([2.0, 0.5, 1.5, 1.1])),
        used=usual(0, st.integers(max(0, total - 4), total + 1)))


@st.composite
def forests(draw, max_providers=8):
    providers, depth = [], []
    for position in range(draw(st.integers(1, max_providers))):
        parents = [p for p in range(position) if depth[p] < 3]
        parent = pick(draw, parents) if parents and chance(draw, 70) else None
        depth.append(0 if parent is None else depth[parent] + 1)
        traits = some(draw, TRAITS, 35)
        if chance(draw, 20):
            traits |= {SHARING}
        providers.append(Provider(
            uuid='rp%d' % position,
            parent=parent,
            inventories={rc: draw_inventory(draw) for rc in CLASSES
                         if chance(draw, 70)},
            traits=traits,
            aggregates=some(draw, AGGREGATES, 45)))
    return oracle.Forest(providers, KNOWN_TRAITS, KNOWN_CLASSES)


def any_of(draw, names):
    """One any-of set: a name, sometimes two."""
    first = pick(draw, names)
    return frozenset([first, pick(draw, names)] if chance(draw, 30)
                     else [first])


def any_of_list(draw, names, percent):
    """No set (mostly), one set or two."""
    if not chance(draw, percent):
        return []
    return [any_of(draw, names) for _ in range(1 + chance(draw, 30))]


# What a test draws: whether unknown names may appear, how often each rule
# of a request is used (a factor of the usual chances) and how many
# providers a forest may have.
Mix = collections.namedtuple('Mix', 'unknown rules providers')
EVERYTHING = Mix(unknown=False, rules=1.0, providers=8)
# Names checked more often, in smaller forests.
NAMES = Mix(unknown=True, rules=1.6, providers=6)
# Fewer rules, bigger forests: more candidates to choose from.
MANY = Mix(unknown=False, rules=0.5, providers=10)


@st.composite
def groups(draw, forest, suffix, resourceless, mix):
    classes = CLASSES + [UNKNOWN_CLASS, IDLE_CLASS] * mix.unknown
    traits = TRAITS + [SHARING] + [UNKNOWN_TRAIT, IDLE_TRAIT] * mix.unknown
    aggregates = AGGREGATES + [UNKNOWN_AGGREGATE]
    providers = [p.uuid for p in forest.providers] + [UNKNOWN_PROVIDER]

    def rule(percent):
        return chance(draw, int(percent * mix.rules))
    resources = {}
    if not resourceless:
        for _ in range(1 + chance(draw, 40) + (suffix == '' and chance(
                draw, 20))):
            resources[pick(draw, classes)] = 1 + chance(draw, 40) * draw(
                st.integers(1, 4))
    required = any_of_list(draw, traits, 60 if not resources else int(
        30 * mix.rules))
    member_of = any_of_list(draw, aggregates, 60 if not resources else int(
        20 * mix.rules))
    if not resources and not (required or member_of) and not chance(draw,
                                                                       20):
        # Mostly a resourceless group that can find something.
        required = [any_of(draw, traits)]
    return Group(
        suffix=suffix,
        resources=resources,
        required=required,
        forbidden=frozenset([pick(draw, traits)] if rule(15) else []),
        member_of=member_of,
        forbidden_aggs=frozenset([pick(draw, aggregates)]
                                 if rule(15) else []),
        # in_tree is ignored without resources (an upstream corner): try it.
        in_tree=pick(draw, providers) if rule(10 if resources else 30)
        else None)


@st.composite
def requests(draw, forest, mix):
    """An oracle Request that upstream's query parsing would accept."""
    found = []
    if not chance(draw, 25):
        found.append(draw(groups(forest, '', False, mix)))
    suffixes = SUFFIXES[:draw(st.integers(0 if found else 1, 3))]
    resourceless = {s for s in suffixes if chance(draw, 30)}
    if len(resourceless) == len(suffixes) and not found:
        # Upstream wants at least one group with resources.
        resourceless.discard(suffixes[0])
    found += [draw(groups(forest, suffix, suffix in resourceless, mix))
              for suffix in suffixes]
    if chance(draw, 30):
        found = draw(st.permutations(found))
    same_subtrees = []
    if len(suffixes) > 1 and chance(draw, 30):
        same_subtrees.append(frozenset(suffixes[:draw(st.integers(2, len(
            suffixes)))]))
    for suffix in sorted(resourceless):
        # Upstream wants every resourceless group in a same_subtree.
        if not any(suffix in s for s in same_subtrees):
            same_subtrees.append(some(draw, suffixes, 50) | {suffix})
    traits = TRAITS + [SHARING] + [UNKNOWN_TRAIT, IDLE_TRAIT] * mix.unknown
    root_required = frozenset([pick(draw, traits)] if chance(
        draw, int(15 * mix.rules)) else [])
    root_forbidden = frozenset([pick(draw, traits)] if chance(
        draw, int(10 * mix.rules)) else [])
    return oracle.Request(
        groups=found,
        group_policy=(pick(draw, ['none', 'isolate']) if len(suffixes) > 1
                      else pick(draw, [None, 'none', 'isolate'])),
        root_required=root_required,
        root_forbidden=root_forbidden - root_required,
        same_subtrees=same_subtrees,
        nested_aware=not chance(draw, 25))


@st.composite
def cases(draw, mix=EVERYTHING):
    forest = draw(forests(mix.providers))
    return forest, draw(requests(forest, mix))


limit_params = st.fixed_dictionaries({
    'limit': st.one_of(st.none(), st.integers(1, 3), st.integers(1, 8)),
    'randomize': st.booleans(),
    'max_candidates': st.one_of(st.just(-1), st.integers(1, 8)),
    'strategy': st.sampled_from([candidate_search.DEPTH_FIRST,
                                 candidate_search.BREADTH_FIRST]),
})


# -- running the engine -------------------------------------------------------

def snapshot(forest):
    snap = candidate_snapshot.Snapshot()
    for provider in forest.providers:
        index = snap.add_provider(provider.uuid, provider.parent)
        for rc, stock in sorted(provider.inventories.items()):
            snap.set_inventory(index, rc, *stock)
        snap.add_traits(index, *sorted(provider.traits))
        snap.add_to_aggregates(index, *sorted(provider.aggregates))
    for name in sorted(forest.traits):
        snap.define_trait(name)
    for name in sorted(forest.classes):
        snap.define_resource_class(name)
    return snap


def engine(forest, request, limit=None, randomize=False, max_candidates=-1,
           strategy=candidate_search.DEPTH_FIRST):
    """The engine's answer as (candidates list, summaries list), in the
    oracle's terms (positions, class names)."""
    snap = snapshot(forest)
    groups = [candidate_search.RequestGroup(
        g.suffix, dict(g.resources), list(g.required), frozenset(g.forbidden),
        [set(m) for m in g.member_of], frozenset(g.forbidden_aggs), g.in_tree)
        for g in request.groups]
    params = candidate_search.Params(
        group_policy=request.group_policy,
        root_required=request.root_required,
        root_forbidden=request.root_forbidden,
        same_subtrees=[frozenset(s) for s in request.same_subtrees],
        nested_aware=request.nested_aware, limit=limit, randomize=randomize,
        max_candidates=max_candidates, strategy=strategy)
    result = candidate_search.search(snap, groups, params)
    names = snap.resource_classes.names
    found = []
    for candidate in result.candidates:
        pairs = [(p, rc) for p, rc, _ in candidate.allocations]
        assert len(pairs) == len(set(pairs)), candidate
        found.append(oracle.Candidate(
            frozenset((p, names[rc], n) for p, rc, n in candidate.allocations),
            frozenset((s, frozenset(ps))
                      for s, ps in candidate.mappings.items())))
    return found, list(result.summaries)


def both(forest, request, **limits):
    """(oracle's Answer or exception type, engine's answer or type)."""
    try:
        expected = oracle.answer(forest, request)
    except (exception.TraitNotFound, exception.ResourceClassNotFound) as exc:
        expected = type(exc)
    try:
        got = engine(forest, request, **limits)
    except (exception.TraitNotFound, exception.ResourceClassNotFound) as exc:
        got = type(exc)
    return expected, got


# -- describing a failure -----------------------------------------------------

def describe_inventory(rc, i):
    """CLASS:total, then only what differs from the defaults."""
    unusual = [('reserved', i.reserved, 0), ('min', i.min_unit, 1),
               ('max', i.max_unit, i.total), ('step', i.step_size, 1),
               ('ratio', i.allocation_ratio, 1.0), ('used', i.used, 0)]
    return '%s:%d%s' % (rc, i.total, ''.join(
        '/%s=%s' % (name, value) for name, value, default in unusual
        if value != default))


def describe_forest(forest):
    lines = []
    for p, provider in enumerate(forest.providers):
        depth, up = 0, provider.parent
        while up is not None:
            depth, up = depth + 1, forest.providers[up].parent
        stock = ' '.join(describe_inventory(rc, i) for rc, i
                         in sorted(provider.inventories.items()))
        lines.append('  %s%s [%s] traits=%s aggs=%s' % (
            '    ' * depth, provider.uuid, stock,
            ','.join(sorted(provider.traits)) or '-',
            ','.join(sorted(provider.aggregates)) or '-'))
    return '\n'.join(lines)


def describe_request(request, **limits):
    lines = []
    for g in request.groups:
        parts = ['resources%s=%s' % (g.suffix, ','.join(
            '%s:%d' % item for item in g.resources.items()))]
        parts += ['required%s=%s' % (g.suffix, '|'.join(sorted(r)))
                  for r in g.required]
        parts += ['required%s=!%s' % (g.suffix, t)
                  for t in sorted(g.forbidden)]
        parts += ['member_of%s=%s' % (g.suffix, '|'.join(sorted(m)))
                  for m in g.member_of]
        parts += ['member_of%s=!%s' % (g.suffix, a)
                  for a in sorted(g.forbidden_aggs)]
        if g.in_tree:
            parts.append('in_tree%s=%s' % (g.suffix, g.in_tree))
        lines.append('  ' + ' '.join(parts))
    wide = dict(group_policy=request.group_policy,
                root_required=sorted(request.root_required),
                root_forbidden=sorted(request.root_forbidden),
                same_subtree=[sorted(s) for s in request.same_subtrees],
                nested_aware=request.nested_aware, **limits)
    lines.append('  ' + ' '.join('%s=%s' % kv for kv in wide.items()))
    return '\n'.join(lines)


def describe_candidate(forest, candidate):
    allocations = ', '.join('%s:%s=%d' % (forest.providers[p].uuid, rc, n)
                            for p, rc, n in sorted(candidate.allocations))
    mappings = ' '.join('%r=%s' % (s, ','.join(
        sorted(forest.providers[p].uuid for p in ps)))
        for s, ps in sorted(candidate.mappings))
    return '{%s} %s' % (allocations, mappings)


def report(forest, request, problem, only_engine=(), only_oracle=(),
           **limits):
    text = ['%s\nforest:\n%s\nrequest:\n%s' % (
        problem, describe_forest(forest), describe_request(request, **limits))]
    for title, found in (('engine only', only_engine),
                         ('oracle only', only_oracle)):
        shown = sorted(describe_candidate(forest, c) for c in found)
        text += ['%s:' % title] + ['  ' + line for line in shown[:8]]
    return '\n'.join(text)


def uuids(forest, positions):
    return sorted(forest.providers[p].uuid for p in positions)


# -- the differential tests ---------------------------------------------------

def check_same(forest, request):
    expected, got = both(forest, request)
    if not isinstance(expected, oracle.Answer) or not isinstance(got, tuple):
        assert got == expected, report(forest, request, 'outcome %s != %s' % (
            getattr(got, '__name__', 'an answer'),
            getattr(expected, '__name__', 'an answer')))
        return expected
    candidates, summaries = got
    assert len(candidates) == len(set(candidates)), report(
        forest, request, 'the engine repeats a candidate')
    found = set(candidates)
    assert found == expected.candidates, report(
        forest, request, 'candidates differ', found - expected.candidates,
        expected.candidates - found)
    assert len(summaries) == len(set(summaries)), report(
        forest, request, 'the engine repeats a summary')
    assert set(summaries) == expected.summaries, report(
        forest, request, 'summaries differ: engine %s, oracle %s' % (
            uuids(forest, summaries), uuids(forest, expected.summaries)))
    return expected


@settings(SETTINGS, max_examples=2 * SETTINGS.max_examples)
@given(cases())
def test_same_answer_as_the_oracle(case):
    check_same(*case)


@SETTINGS
@given(cases(MANY), limit_params)
def test_limits_choose_among_the_oracle_candidates(case, limits):
    """limit, max_allocation_candidates, randomize, strategy: some of the
    oracle's candidates, as many as the rules say, summarised as upstream."""
    forest, request = case
    expected, got = both(forest, request, **limits)
    if not isinstance(expected, oracle.Answer):
        assert got == expected, report(forest, request, 'outcome differs',
                                       **limits)
        return
    candidates, summaries = got
    found = set(candidates)

    def say(problem, *sets):
        return report(forest, request, problem, *sets, **limits)
    assert len(found) == len(candidates), say('a candidate repeated')
    assert found <= expected.candidates, say(
        'not among the oracle candidates', found - expected.candidates)
    # max_allocation_candidates bounds what is generated, before the
    # pre-1.29 filter; limit then keeps at most that many of the rest.
    bound, limit = limits['max_candidates'], limits['limit']
    if bound == -1 or expected.generated <= bound:
        returned = expected.candidates
    elif request.nested_aware or not any(
            p.parent is not None for p in forest.providers):
        returned = None
        assert len(found) == min(bound, limit or bound), say(
            '%d candidates for max %d limit %s' % (len(found), bound, limit))
    else:
        returned = None
        assert len(found) <= min(bound, limit or bound), say('too many')
    if returned is not None:
        assert len(found) == min(len(returned), limit or len(returned)), say(
            '%d of %d candidates for limit %s' % (
                len(found), len(returned), limit))
        wanted = oracle.summaries(forest, request, returned, found)
        assert set(summaries) == wanted, say(
            'summaries differ: engine %s, oracle %s' % (
                uuids(forest, summaries), uuids(forest, wanted)))
    else:
        least = oracle.summaries(forest, request, found, found)
        most = oracle.summaries(forest, request, expected.candidates, found)
        assert least <= set(summaries) <= most, say(
            'summaries %s not between %s and %s' % (
                uuids(forest, summaries), uuids(forest, least),
                uuids(forest, most)))


@st.composite
def flat_cases(draw):
    """A forest of standalone providers (no trees, no sharing) and a
    request of one group: the engine then stops scanning at the limit."""
    forest, request = draw(cases())
    providers = [p._replace(parent=None, traits=p.traits - {SHARING})
                 for p in forest.providers]
    return (forest._replace(providers=providers),
            request._replace(groups=request.groups[:1], same_subtrees=[]))


@SETTINGS
@given(flat_cases(), st.integers(min_value=1, max_value=6))
def test_a_limit_keeps_the_first_candidates_of_the_full_answer(case, limit):
    """The scan that stops at the limit answers the first `limit`
    candidates of the full answer, in the same order."""
    forest, request = case
    try:
        full, _ = engine(forest, request)
    except (exception.TraitNotFound, exception.ResourceClassNotFound):
        return
    limited, _ = engine(forest, request, limit=limit)
    assert limited == full[:limit], report(forest, request, 'limit %d' % limit)


@SETTINGS
@given(cases(NAMES))
def test_unknown_names_fail_as_upstream(case):
    """Unknown classes and traits anywhere: the same error, or the same
    answer when upstream never gets to look the name up."""
    check_same(*case)


# -- regressions: upstream's corners, by hand ---------------------------------

def inventory(total, reserved=0, min_unit=1, max_unit=None, step_size=1,
              allocation_ratio=1.0, used=0):
    return Inventory(total, reserved, min_unit,
                     total if max_unit is None else max_unit, step_size,
                     allocation_ratio, used)


def provider(uuid, parent=None, traits=(), aggregates=(), **inventories):
    """inventories: CLASS=total or CLASS=inventory(...)."""
    return Provider(uuid, parent, {
        rc: inventory(spec) if isinstance(spec, int) else spec
        for rc, spec in inventories.items()}, frozenset(traits),
        frozenset(aggregates))


def forest_of(*providers):
    return oracle.Forest(list(providers), KNOWN_TRAITS, KNOWN_CLASSES)


def group(suffix='', resources=None, required=(), forbidden=(), member_of=(),
          forbidden_aggs=(), in_tree=None):
    return Group(suffix, dict(resources or {}),
                 [frozenset([t]) if isinstance(t, str) else frozenset(t)
                  for t in required], frozenset(forbidden),
                 [frozenset([a]) if isinstance(a, str) else frozenset(a)
                  for a in member_of], frozenset(forbidden_aggs), in_tree)


def request(*groups, group_policy='none', root_required=(),
            root_forbidden=(), same_subtrees=(), nested_aware=True):
    return oracle.Request(list(groups), group_policy, frozenset(root_required),
                          frozenset(root_forbidden),
                          [frozenset(s) for s in same_subtrees], nested_aware)


def readable(forest, expected):
    """The oracle's candidates as sorted lists of 'uuid:CLASS=n'."""
    return sorted(sorted('%s:%s=%d' % (forest.providers[p].uuid, rc, n)
                         for p, rc, n in c.allocations)
                  for c in expected.candidates)


def shared_disk():
    """cn1, cn2 (VCPU 8) and ss (sharing DISK_GB 100), all in agg1."""
    return forest_of(
        provider('cn1', aggregates=['agg1'], VCPU=8),
        provider('cn2', aggregates=['agg1'], VCPU=8),
        provider('ss', traits=[SHARING], aggregates=['agg1'], DISK_GB=100))


def numa_tree():
    """cn (traits A, agg1) > numa0 (VCPU 4, B) > pf0 (FPGA 2, C);
    cn > numa1 (VCPU 4) > pf1 (FPGA 2)."""
    return forest_of(
        provider('cn', traits=['CUSTOM_A'], aggregates=['agg1']),
        provider('numa0', 0, traits=['CUSTOM_B'], VCPU=4),
        provider('pf0', 1, traits=['CUSTOM_C'], CUSTOM_FPGA=2),
        provider('numa1', 0, VCPU=4),
        provider('pf1', 3, CUSTOM_FPGA=2))


def test_resourceless_group_needs_required_traits_or_member_of():
    forest = numa_tree()
    vcpu = group('1', {'VCPU': 1})
    only_forbidden = request(vcpu, group('_R', forbidden=['CUSTOM_C']),
                             same_subtrees=[{'1', '_R'}])
    assert readable(forest, check_same(forest, only_forbidden)) == []
    with_trait = request(vcpu, group('_R', required=['CUSTOM_A']),
                         same_subtrees=[{'1', '_R'}])
    assert readable(forest, check_same(forest, with_trait)) == [
        ['numa0:VCPU=1'], ['numa1:VCPU=1']]


def test_resourceless_group_ignores_in_tree():
    forest = forest_of(*numa_tree().providers,
                       provider('other', VCPU=1))
    found = check_same(forest, request(
        group('1', {'VCPU': 1}), group('_R', required=['CUSTOM_B'],
                                       in_tree='other'),
        same_subtrees=[{'1', '_R'}]))
    assert readable(forest, found) == [['numa0:VCPU=1']]


def test_in_tree_drops_other_trees_sharing_providers_for_unsuffixed_only():
    forest = shared_disk()
    unsuffixed = request(group('', {'VCPU': 1, 'DISK_GB': 1}, in_tree='cn1'))
    assert readable(forest, check_same(forest, unsuffixed)) == []
    # A granular group in ss's tree still serves the trees ss shares with.
    granular = request(group('1', {'DISK_GB': 1}, in_tree='ss'),
                       group('2', {'VCPU': 1}))
    assert readable(forest, check_same(forest, granular)) == [
        ['cn1:VCPU=1', 'ss:DISK_GB=1'], ['cn2:VCPU=1', 'ss:DISK_GB=1']]


def test_unsuffixed_group_all_from_sharing_serves_every_tree():
    # Upstream keeps ss's option for one of cn1 / cn2 only.
    forest = shared_disk()
    found = check_same(forest, request(group('', {'DISK_GB': 10}),
                                       group('1', {'VCPU': 1})))
    assert readable(forest, found) == [
        ['cn1:VCPU=1', 'ss:DISK_GB=10'], ['cn2:VCPU=1', 'ss:DISK_GB=10']]


@pytest.mark.parametrize('group_policy', [None, 'none', 'isolate'])
def test_class_in_two_groups_summed_per_candidate(group_policy):
    # Upstream adds into an object that later candidates share unless
    # group_policy=none: after (cn, cn) its cn:VCPU=2 of the unsuffixed
    # group has become 4.
    forest = forest_of(provider('cn', VCPU=8), provider('numa', 0, VCPU=8),
                       provider('small', VCPU=3))
    found = check_same(forest, request(
        group('', {'VCPU': 2}), group('1', {'VCPU': 2}),
        group_policy=group_policy))
    assert readable(forest, found) == [
        ['cn:VCPU=2', 'numa:VCPU=2'], ['cn:VCPU=2', 'numa:VCPU=2'],
        ['cn:VCPU=4'], ['numa:VCPU=4']]


def test_sharing_provider_child_in_a_tree():
    # Upstream fails when ss's own root is not an anchor (root_required).
    forest = forest_of(
        provider('r1'),
        provider('ss', 0, traits=[SHARING], aggregates=['agg1'], DISK_GB=9),
        provider('cn2', traits=['CUSTOM_A'], aggregates=['agg1'], VCPU=2))
    found = check_same(forest, request(group('', {'VCPU': 1, 'DISK_GB': 1}),
                                       root_required=['CUSTOM_A']))
    assert readable(forest, found) == [['cn2:VCPU=1', 'ss:DISK_GB=1']]
    assert set(found.summaries) == {0, 1, 2}


def test_member_of_on_provider_or_root_for_unsuffixed_only():
    forest = numa_tree()
    unsuffixed = request(group('', {'VCPU': 1}, member_of=['agg1']))
    assert len(check_same(forest, unsuffixed).candidates) == 2
    granular = request(group('1', {'VCPU': 1}, member_of=['agg1']))
    assert readable(forest, check_same(forest, granular)) == []


def test_unsuffixed_traits_are_those_of_the_allocating_providers():
    forest = numa_tree()
    # B (numa0) and C (pf0) together; A is on cn, which allocates nothing.
    both_traits = request(group('', {'VCPU': 1, 'CUSTOM_FPGA': 1},
                                required=['CUSTOM_B', 'CUSTOM_C']))
    assert readable(forest, check_same(forest, both_traits)) == [
        ['numa0:VCPU=1', 'pf0:CUSTOM_FPGA=1']]
    root_trait = request(group('', {'VCPU': 1}, required=['CUSTOM_A']))
    assert readable(forest, check_same(forest, root_trait)) == []
    granular = request(group('1', {'VCPU': 1}, required=['CUSTOM_B']))
    assert readable(forest, check_same(forest, granular)) == [
        ['numa0:VCPU=1']]


def test_before_1_29_one_provider_per_tree():
    forest = forest_of(provider('cn', VCPU=4, DISK_GB=10),
                       provider('numa', 0, VCPU=4))
    found = check_same(forest, request(group('', {'VCPU': 1, 'DISK_GB': 1}),
                                       nested_aware=False))
    assert readable(forest, found) == [['cn:DISK_GB=1', 'cn:VCPU=1']]
    assert found.summaries == {0}


def test_same_subtree_with_a_resourceless_group():
    forest = numa_tree()
    found = check_same(forest, request(
        group('_CPU', {'VCPU': 1}), group('_ACC', {'CUSTOM_FPGA': 1}),
        group('_NUMA', required=['CUSTOM_B']),
        same_subtrees=[{'_CPU', '_ACC', '_NUMA'}]))
    assert readable(forest, found) == [['numa0:VCPU=1', 'pf0:CUSTOM_FPGA=1']]


@pytest.mark.parametrize('group_policy, expected', [
    ('none', [['cn:VCPU=1'], ['numa:VCPU=1']]),
    ('isolate', [['numa:VCPU=1']])])
def test_isolate_counts_resourceless_groups(group_policy, expected):
    forest = forest_of(provider('cn', traits=['CUSTOM_A'], VCPU=4),
                       provider('numa', 0, VCPU=4))
    found = check_same(forest, request(
        group('1', {'VCPU': 1}), group('_R', required=['CUSTOM_A']),
        group_policy=group_policy, same_subtrees=[{'1', '_R'}]))
    assert readable(forest, found) == expected


def test_capacity_unrounded_per_group_rounded_when_summed():
    # (3 - 0) * 1.1 = 3.3: one group may take 3, two groups 3 together.
    forest = forest_of(provider('cn', VCPU=inventory(3, allocation_ratio=1.1)))
    assert len(check_same(forest, request(group('', {'VCPU': 3}))
                          ).candidates) == 1
    summed = request(group('', {'VCPU': 2}), group('1', {'VCPU': 1}))
    assert readable(forest, check_same(forest, summed)) == [['cn:VCPU=3']]
    over_max = forest_of(provider('cn', VCPU=inventory(8, max_unit=2)))
    assert readable(over_max, check_same(over_max, summed)) == []


def test_unknown_names_in_upstream_order():
    forest = shared_disk()
    unknown_class = group('1', {UNKNOWN_CLASS: 1}, required=[UNKNOWN_TRAIT])
    # Root traits are looked up before any group.
    assert both(forest, request(unknown_class,
                                root_required=[UNKNOWN_TRAIT])) == (
        exception.TraitNotFound, exception.TraitNotFound)
    # In a group, classes before traits.
    assert both(forest, request(unknown_class)) == (
        exception.ResourceClassNotFound, exception.ResourceClassNotFound)
    # A group finding nothing ends the search: later names are not read.
    nothing = group('2', {'VCPU': 99})
    assert check_same(forest, request(nothing, unknown_class)
                      ).candidates == frozenset()
    assert both(forest, request(unknown_class, nothing))[0] is (
        exception.ResourceClassNotFound)
    # member_of matching no provider ends it before the group's traits.
    assert check_same(forest, request(group(
        '1', {'VCPU': 1}, member_of=[UNKNOWN_AGGREGATE],
        required=[UNKNOWN_TRAIT]))).candidates == frozenset()
    # An unknown in_tree finds nothing, after the traits are read.
    assert both(forest, request(group(
        '1', {'VCPU': 1}, in_tree=UNKNOWN_PROVIDER,
        required=[UNKNOWN_TRAIT])))[0] is exception.TraitNotFound


def test_compiled_engine_loaded():
    """The Cython core is a compiled extension, not a Python fallback."""
    assert _fastalloc.__file__.endswith('.so'), _fastalloc.__file__
    assert isinstance(_fastalloc.__loader__,
                      importlib.machinery.ExtensionFileLoader)
