"""The allocation-candidate search: which providers can satisfy a request.

Runs on a :class:`~nova_core.placement.candidate_snapshot.Snapshot`, without
database or HTTP, and answers exactly what upstream placement answers for
microversions 1.10-1.39. In words:

1. ``root_required`` keeps only the trees whose root has (and lacks) the
   given traits; those roots are the allowed *anchors*.
2. Each request group is solved on its own, as a list of *options*: an
   anchor (the root of a tree), what to allocate where, and the providers
   that satisfied the group (its "mappings").

   - A suffixed (granular) group is satisfied by one provider holding all
     its resources, traits and aggregates. Its anchor is the provider's
     root; a sharing provider (trait MISC_SHARES_VIA_AGGREGATE) is also
     offered to the tree of every provider it shares an aggregate with.
   - The unsuffixed group may be spread over one tree (one provider per
     resource class) plus sharing providers associated with that tree.
     Its required traits must be found on the providers chosen (together);
     none of them may have a forbidden trait; ``member_of`` is met by the
     provider or by the tree's root. In a cloud without trees and without
     sharing providers this is the same as the granular rule.

3. Options of the same anchor, one per group, are combined; ``isolate``
   wants the granular groups on distinct providers, ``same_subtree`` wants
   one of the named groups' providers to be an ancestor of all the others;
   amounts on the same provider and class are added up and checked against
   capacity and ``max_unit`` again. Equal results are merged.
4. Before microversion 1.29 (``nested_aware`` false) results using two
   providers of one tree are dropped. ``limit`` keeps the first (or a random
   sample of) candidates.

Upstream corners kept on purpose because clients see them: a group without
resources finds nothing unless it has required traits or ``member_of``, and
ignores ``in_tree``; ``in_tree`` disables sharing providers from other trees
for the unsuffixed group only; unknown names are errors in upstream's order
(root traits, then per group: classes, then traits), but a group that finds
nothing ends the search before later groups' names are looked at.

One deliberate difference: when every resource of the unsuffixed group
comes from sharing providers, upstream keeps the resulting option for only
one (arbitrary) of the trees it could serve and so may drop valid
combinations with other groups; here it is offered to every such tree.
"""

import collections
import itertools
import random

from nova_core import exception
from nova_core.placement.candidate_snapshot import NO_PARENT

DEPTH_FIRST = 'depth-first'
BREADTH_FIRST = 'breadth-first'

# One request group, in plain names (the handler parses the query into these).
#   resources: {class name: amount}, in request order
#   required_traits: [frozenset of names]: each set any-of, the list AND'd
#   forbidden_traits, forbidden_aggregates: sets of names / aggregate uuids
#   member_of: [set of aggregate uuids]: each set any-of, the list AND'd
#   in_tree: a provider uuid or None
RequestGroup = collections.namedtuple('RequestGroup', [
    'suffix', 'resources', 'required_traits', 'forbidden_traits',
    'member_of', 'forbidden_aggregates', 'in_tree'])
RequestGroup.__new__.__defaults__ = ((), frozenset(), (), frozenset(), None)

# Request-wide parameters.
#   same_subtrees: [set of suffixes]
#   nested_aware: False before microversion 1.29
#   limit: None or a positive int; max_candidates: -1 (no bound) or more
Params = collections.namedtuple('Params', [
    'group_policy', 'root_required', 'root_forbidden', 'same_subtrees',
    'nested_aware', 'limit', 'randomize', 'max_candidates', 'strategy'])
Params.__new__.__defaults__ = (
    None, frozenset(), frozenset(), (), True, None, False, -1, DEPTH_FIRST)

# allocations: ((provider, rc id, amount), ...), each (provider, class) once
# mappings: {suffix: frozenset of providers}
Candidate = collections.namedtuple('Candidate', 'allocations mappings')

# candidates: [Candidate]; summaries: [provider] to describe in the answer
Result = collections.namedtuple('Result', 'candidates summaries')

EMPTY = Result([], [])

# What one group can use under one anchor.
_Option = collections.namedtuple('_Option', 'anchor allocations providers')

# A group's constraints, in ids.
_Filters = collections.namedtuple('_Filters', [
    'required', 'forbidden', 'in_aggregates', 'bad_aggregates'])


def search(snapshot, groups, params=Params()):
    """The candidates for *groups* (RequestGroups, in request order)."""
    return _Search(snapshot, params).run(groups)


class _Search:
    """One search: the snapshot plus what is derived from it once."""

    def __init__(self, snapshot, params):
        self.snap = snapshot
        self.params = params
        self.sharing = snapshot.sharing_providers()
        self.has_trees = snapshot.has_trees()
        self._members = None

    def run(self, groups):
        anchors = self._allowed_anchors()
        if anchors is not None and not anchors:
            return EMPTY
        options = []
        for group in groups:
            found = self._group_options(group, anchors)
            if not found:
                return EMPTY
            options.append(found)
        candidates = _combine(self.snap, groups, options, self.params)
        if not candidates:
            return EMPTY
        summaries = _providers_of_trees(self.snap, candidates)
        if not self.params.nested_aware and self.has_trees:
            candidates, summaries = _without_nested(self.snap, candidates)
        return _limited(self.snap, candidates, summaries, self.params)

    # -- names and sets -------------------------------------------------------

    def _trait_ids(self, names):
        ids = set()
        for name in sorted(names):
            trait_id = self.snap.trait_names.ids.get(name)
            if trait_id is None:
                raise exception.TraitNotFound(name=name)
            ids.add(trait_id)
        return ids

    def _class_id(self, name):
        rc_id = self.snap.resource_classes.ids.get(name)
        if rc_id is None:
            raise exception.ResourceClassNotFound(name=name)
        return rc_id

    def _aggregate_members(self):
        """``{aggregate id: [provider]}``, built on first use."""
        if self._members is None:
            self._members = collections.defaultdict(list)
            for provider, aggregates in enumerate(self.snap.aggregates):
                for aggregate in aggregates:
                    self._members[aggregate].append(provider)
        return self._members

    def _in_aggregates(self, uuid_sets):
        """Providers in at least one aggregate of every set of uuids."""
        members = self._aggregate_members()
        ids = self.snap.aggregate_uuids.ids
        result = None
        for uuids in uuid_sets:
            found = {p for uuid in uuids if uuid in ids
                     for p in members[ids[uuid]]}
            result = found if result is None else result & found
        return result or set()

    def _sharing_anchors(self, provider):
        """Roots of the trees *provider* shares an aggregate with."""
        members = self._aggregate_members()
        return {self.snap.roots[other]
                for aggregate in self.snap.aggregates[provider]
                for other in members[aggregate]}

    def _allowed_anchors(self):
        """Roots allowed by ``root_required``; None if not filtering."""
        params = self.params
        if not (params.root_required or params.root_forbidden):
            return None
        required = self._trait_ids(params.root_required)
        forbidden = self._trait_ids(params.root_forbidden)
        return {p for p, traits in enumerate(self.snap.traits)
                if self.snap.parents[p] == NO_PARENT and required <= traits
                and not forbidden & traits}

    # -- one group ------------------------------------------------------------

    def _group_options(self, group, anchors):
        """The options of one group; [] if it cannot be satisfied."""
        snap = self.snap
        amounts = [(self._class_id(name), amount)
                   for name, amount in group.resources.items()]
        in_aggregates = None
        if group.member_of:
            in_aggregates = self._in_aggregates(group.member_of)
            if not in_aggregates:
                return []
        filters = _Filters(
            [self._trait_ids(names) for names in group.required_traits],
            self._trait_ids(group.forbidden_traits), in_aggregates,
            self._in_aggregates([group.forbidden_aggregates])
            if group.forbidden_aggregates else set())
        tree = None
        if group.in_tree is not None:
            where = snap.index_of.get(group.in_tree)
            if where is None:
                return []
            tree = snap.roots[where]
        able = {}
        for rc_id, amount in amounts:
            able[rc_id] = [
                p for p, inventory in sorted(
                    snap.inventories.get(rc_id, {}).items())
                if inventory.fits(amount)
                and (tree is None or snap.roots[p] == tree)]
            if not able[rc_id]:
                return []
        if group.suffix or not (self.has_trees or self.sharing):
            return self._single_provider_options(
                amounts, able, filters, anchors)
        return self._tree_options(amounts, able, filters, anchors, tree)

    def _passes_alone(self, provider, filters):
        traits = self.snap.traits[provider]
        return (all(any_of & traits for any_of in filters.required)
                and not filters.forbidden & traits
                and (filters.in_aggregates is None
                     or provider in filters.in_aggregates)
                and provider not in filters.bad_aggregates)

    def _single_provider_options(self, amounts, able, filters, anchors):
        if amounts:
            found = set.intersection(*(set(able[rc]) for rc, _ in amounts))
        elif filters.required or filters.in_aggregates is not None:
            # Without resources only a positive filter selects providers,
            # and in_tree is not applied (upstream does the same).
            found = set(range(len(self.snap)))
        else:
            return []
        options = []
        for provider in sorted(found):
            if not self._passes_alone(provider, filters):
                continue
            allocations = tuple((provider, rc_id, amount)
                                for rc_id, amount in amounts)
            mine = frozenset([provider])
            own_root = self.snap.roots[provider]
            served = {own_root}
            if provider in self.sharing:
                served |= self._sharing_anchors(provider)
            for anchor in sorted(served):
                if anchors is None or anchor in anchors:
                    options.append(_Option(anchor, allocations, mine))
        return options

    def _tree_options(self, amounts, able, filters, anchors, tree):
        """Options of the unsuffixed group: one tree plus sharing providers."""
        roots = self.snap.roots
        # Per requested class: {anchor: providers that may serve it there}.
        by_class = []
        for rc_id, _amount in amounts:
            pairs = {(p, roots[p]) for p in able[rc_id]}
            if tree is None:
                for shared in able[rc_id]:
                    if shared in self.sharing and (
                            filters.in_aggregates is None
                            or shared in filters.in_aggregates):
                        pairs |= {(shared, anchor) for anchor
                                  in self._sharing_anchors(shared)}
            by_anchor = collections.defaultdict(list)
            for p, anchor in sorted(pairs):
                if _pair_allowed(p, anchor, filters, anchors):
                    by_anchor[anchor].append(p)
            if not by_anchor:
                return []
            by_class.append(by_anchor)
        common = set.intersection(*(set(by_anchor) for by_anchor in by_class))
        options = []
        for anchor in sorted(common):
            choices = [by_anchor[anchor] for by_anchor in by_class]
            for chosen in itertools.product(*choices):
                if self._together_ok(chosen, filters):
                    options.append(_Option(anchor, tuple(
                        (p, rc_id, amount)
                        for p, (rc_id, amount) in zip(chosen, amounts)),
                        frozenset(chosen)))
        return options

    def _together_ok(self, chosen, filters):
        """Traits of the unsuffixed group, judged on the chosen providers."""
        traits = self.snap.traits
        if any(filters.forbidden & traits[p] for p in chosen):
            return False
        offered = set().union(*(traits[p] for p in chosen))
        return all(any_of & offered for any_of in filters.required)


def _pair_allowed(provider, anchor, filters, anchors):
    """Whether *provider* may serve the unsuffixed group in *anchor*'s tree."""
    if anchors is not None and anchor not in anchors:
        return False
    if filters.in_aggregates is not None and not (
            provider in filters.in_aggregates
            or anchor in filters.in_aggregates):
        return False
    return not (provider in filters.bad_aggregates
                or anchor in filters.bad_aggregates)


# -- all groups together ---------------------------------------------------------

def _combine(snap, groups, options, params):
    """Candidates made of one option per group, all of the same anchor."""
    suffixes = [group.suffix for group in groups]
    by_anchor = collections.defaultdict(lambda: [[] for _ in groups])
    for index, group_options in enumerate(options):
        for option in group_options:
            by_anchor[option.anchor][index].append(option)
    generators = [itertools.product(*lists)
                  for _anchor, lists in sorted(by_anchor.items())
                  if all(lists)]
    if params.strategy == BREADTH_FIRST:
        stream = _round_robin(generators)
    else:
        stream = itertools.chain.from_iterable(generators)
    found = {}
    for combination in stream:
        if params.group_policy == 'isolate' and not _isolated(
                combination, suffixes):
            continue
        if not all(_same_subtree(snap, combination, suffixes, wanted)
                   for wanted in params.same_subtrees):
            continue
        candidate = _consolidated(combination, suffixes)
        if _exceeds_capacity(snap, candidate):
            continue
        key = (frozenset(candidate.allocations),
               frozenset(candidate.mappings.items()))
        found.setdefault(key, candidate)
        if 0 <= params.max_candidates <= len(found):
            break
    return list(found.values())


def _round_robin(generators):
    """One item of each generator in turn until all are exhausted."""
    active = collections.deque(generators)
    while active:
        generator = active.popleft()
        try:
            yield next(generator)
        except StopIteration:
            continue
        active.append(generator)


def _isolated(combination, suffixes):
    """Granular groups on pairwise distinct providers."""
    used = set()
    granular = 0
    for option, suffix in zip(combination, suffixes):
        if suffix:
            granular += 1
            used |= option.providers
    return len(used) == granular


def _same_subtree(snap, combination, suffixes, wanted):
    """One provider of the *wanted* groups is an ancestor of all the others."""
    providers = set()
    for option, suffix in zip(combination, suffixes):
        if suffix in wanted:
            providers |= option.providers
    if len(providers) == 1:
        return True
    common = set.intersection(*(snap.ancestors(p) for p in providers))
    return bool(common & providers)


def _consolidated(combination, suffixes):
    amounts = {}
    mappings = {}
    for option, suffix in zip(combination, suffixes):
        for provider, rc_id, amount in option.allocations:
            key = (provider, rc_id)
            amounts[key] = amounts.get(key, 0) + amount
        mappings[suffix] = option.providers
    return Candidate(
        tuple((p, rc_id, amount) for (p, rc_id), amount in amounts.items()),
        mappings)


def _exceeds_capacity(snap, candidate):
    for provider, rc_id, amount in candidate.allocations:
        inventory = snap.inventories[rc_id][provider]
        if (inventory.used + amount > inventory.capacity
                or amount > inventory.max_unit):
            return True
    return False


def _allocated_providers(candidates):
    return {p for candidate in candidates
            for p, _rc_id, _amount in candidate.allocations}


def _providers_of_trees(snap, candidates):
    """Every provider of every tree the candidates allocate from."""
    roots = {snap.roots[p] for p in _allocated_providers(candidates)}
    return [p for p in range(len(snap)) if snap.roots[p] in roots]


def _without_nested(snap, candidates):
    """Tree-blind answer: no candidate uses two providers of one tree."""
    kept = []
    for candidate in candidates:
        providers = {p for p, _rc_id, _amount in candidate.allocations}
        if len(providers) == len({snap.roots[p] for p in providers}):
            kept.append(candidate)
    return kept, sorted(_allocated_providers(kept))


def _limited(snap, candidates, summaries, params):
    if params.limit and params.limit < len(candidates):
        if params.randomize:
            candidates = random.sample(candidates, params.limit)
        else:
            candidates = candidates[:params.limit]
        roots = {snap.roots[p] for p in _allocated_providers(candidates)}
        summaries = [p for p in summaries if snap.roots[p] in roots]
    elif params.randomize:
        random.shuffle(candidates)
    return Result(candidates, summaries)
