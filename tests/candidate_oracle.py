"""A brute-force oracle for GET /allocation_candidates, to test the engine.

Deliberately simple and deliberately slow: every way of giving each request
group a provider is tried, under every root ("anchor"), and kept if it
obeys every rule. It shares no code with the engine (not even the Snapshot):
a forest here is a plain list of :class:`Provider`, a request plain
:class:`Group` and :class:`Request` tuples, and the answer is made of
provider *positions* in that list and resource class *names*.

The rules are upstream placement's (openstack-placement, microversions
1.10-1.39), read from its behaviour; each check below names the upstream
function that applies it. Three upstream defects are left out on purpose,
as nova_core documents (nova_core.placement.candidate_search):

- when all of the unsuffixed group comes from sharing providers, upstream
  keeps that option for one arbitrary tree only (AllocationRequest equality
  ignores the anchor); here it is offered to every tree it may serve;
- a class asked by two groups on one provider is summed into an object that
  later candidates share (copy_arr_if_needed), growing their amounts; here
  each candidate sums its own amounts;
- a sharing provider that is a child in a tree can make upstream fail (its
  tree's summaries are never loaded); here it is an ordinary provider.

Sizes: fine for forests of about a dozen providers and three or four groups.
"""

import collections
import itertools

from nova_core import exception

SHARING = 'MISC_SHARES_VIA_AGGREGATE'

Inventory = collections.namedtuple('Inventory', [
    'total', 'reserved', 'min_unit', 'max_unit', 'step_size',
    'allocation_ratio', 'used'])

# parent: a position in the forest or None; inventories: {class: Inventory};
# traits: frozenset of names; aggregates: frozenset of aggregate uuids.
Provider = collections.namedtuple('Provider', [
    'uuid', 'parent', 'inventories', 'traits', 'aggregates'])

# providers: [Provider]; traits / classes: every name that exists (those the
# providers use and those merely defined).
Forest = collections.namedtuple('Forest', 'providers traits classes')

# One request group, as the engine's RequestGroup: resources {class: amount};
# required [frozenset] (each any-of, all of them needed); forbidden frozenset;
# member_of [frozenset of aggregate uuids] (each any-of, all needed);
# forbidden_aggs frozenset; in_tree a provider uuid or None.
Group = collections.namedtuple('Group', [
    'suffix', 'resources', 'required', 'forbidden', 'member_of',
    'forbidden_aggs', 'in_tree'])

Request = collections.namedtuple('Request', [
    'groups', 'group_policy', 'root_required', 'root_forbidden',
    'same_subtrees', 'nested_aware'])

# allocations: frozenset((position, class, amount)), one per (position, class)
# mappings: frozenset((suffix, frozenset of positions))
Candidate = collections.namedtuple('Candidate', 'allocations mappings')

# candidates: frozenset of Candidate, the whole answer (no limit);
# generated: how many there were before the pre-1.29 filter (what
#   max_allocation_candidates counts);
# summaries: frozenset of positions to summarise for that whole answer.
Answer = collections.namedtuple('Answer', 'candidates generated summaries')

NOTHING = Answer(frozenset(), 0, frozenset())

# What one group may use under one anchor: allocations [(position, class,
# amount)] and the positions that satisfied the group.
_Option = collections.namedtuple('_Option', 'anchor allocations providers')


def answer(forest, request):
    """The whole answer to *request*, or TraitNotFound / ResourceClassNotFound.

    Upstream order (AllocationCandidates._get_by_requests): the root traits
    are looked up first; then each group in request order has its classes,
    then its traits looked up, and as soon as one group finds nothing the
    answer is empty without looking at the groups after it.
    """
    _check_names(forest.traits, request.root_required | request.root_forbidden,
                 exception.TraitNotFound)
    anchors = _allowed_anchors(forest, request)
    if not anchors:
        # RequestWideSearchContext._process_anchor_traits found no root.
        return NOTHING
    options = []
    for group in request.groups:
        _check_names(forest.classes, group.resources,
                     exception.ResourceClassNotFound)
        if group.member_of and not _members(forest, group.member_of):
            # RequestGroupSearchContext: member_of matching no provider ends
            # the search before this group's traits are looked up.
            return NOTHING
        _check_names(forest.traits, _trait_names(group),
                     exception.TraitNotFound)
        if group.in_tree is not None and _position(forest,
                                                   group.in_tree) is None:
            return NOTHING
        found = _group_options(forest, group, anchors)
        if not found:
            return NOTHING
        options.append(found)
    generated = _combinations(forest, request, anchors, options)
    candidates = frozenset(c for c in generated
                           if _nested_allowed(forest, request, c))
    return Answer(candidates, len(generated),
                  summaries(forest, request, candidates, candidates))


def summaries(forest, request, returned, kept):
    """Positions summarised when *kept* (a subset of *returned*) is shown.

    *returned* is what the search produced before ``limit``; *kept* what
    ``limit`` left of it (RequestWideSearchContext.limit_results).
    """
    kept_roots = {_root(forest, p) for c in kept for p, _, _ in c.allocations}
    if request.nested_aware or not _has_trees(forest):
        # _merge_candidates: every provider of every tree that allocates.
        return frozenset(p for p in range(len(forest.providers))
                         if _root(forest, p) in kept_roots)
    # exclude_nested_providers (before 1.29): only the providers allocated
    # from in any returned candidate, then limit_results keeps those of the
    # trees of the kept candidates.
    allocated = {p for c in returned for p, _, _ in c.allocations}
    return frozenset(p for p in allocated if _root(forest, p) in kept_roots)


# -- names --------------------------------------------------------------------

def _check_names(known, names, error):
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise error(name=', '.join(unknown))


def _trait_names(group):
    return set().union(group.forbidden, *group.required)


def _position(forest, uuid):
    for position, provider in enumerate(forest.providers):
        if provider.uuid == uuid:
            return position
    return None


# -- the forest ---------------------------------------------------------------

def _root(forest, position):
    while forest.providers[position].parent is not None:
        position = forest.providers[position].parent
    return position


def _ancestors(forest, position):
    """*position* and every provider above it."""
    found = {position}
    while forest.providers[position].parent is not None:
        position = forest.providers[position].parent
        found.add(position)
    return found


def _roots(forest):
    return [p for p, provider in enumerate(forest.providers)
            if provider.parent is None]


def _has_trees(forest):
    # research_context._has_provider_trees: any provider with a parent.
    return any(p.parent is not None for p in forest.providers)


def _allowed_anchors(forest, request):
    """Roots that may anchor a candidate (root_required, 1.35)."""
    return [r for r in _roots(forest)
            if request.root_required <= forest.providers[r].traits
            and not request.root_forbidden & forest.providers[r].traits]


def _fits(inventory, amount):
    """research_context._capacity_check_clause, for one group's amount."""
    if inventory is None:
        return False
    capacity = ((inventory.total - inventory.reserved) *
                inventory.allocation_ratio)
    return (inventory.used + amount <= capacity and
            inventory.min_unit <= amount <= inventory.max_unit and
            amount % inventory.step_size == 0)


def _has_traits(traits, required):
    """Each any-of set of *required* met by *traits*."""
    return all(any_of & traits for any_of in required)


def _in_aggregates(aggregates, member_of):
    """Each any-of set of *member_of* met by *aggregates* (one provider's)."""
    return all(any_of & aggregates for any_of in member_of)


def _members(forest, member_of):
    return [p for p, provider in enumerate(forest.providers)
            if _in_aggregates(provider.aggregates, member_of)]


def _serves_tree(forest, position, anchor):
    """Whether *position* may give resources to the tree of *anchor*.

    Its own tree, always; a sharing provider also every tree one of whose
    providers shares an aggregate with it
    (research_context.anchors_for_sharing_providers).
    """
    if _root(forest, position) == anchor:
        return True
    provider = forest.providers[position]
    if SHARING not in provider.traits:
        return False
    return any(provider.aggregates & forest.providers[q].aggregates
               for q in range(len(forest.providers))
               if _root(forest, q) == anchor)


# -- one group ----------------------------------------------------------------

def _group_options(forest, group, anchors):
    if group.suffix == '':
        return _unsuffixed_options(forest, group, anchors)
    return _granular_options(forest, group, anchors)


def _granular_options(forest, group, anchors):
    """One provider has it all (research_context.get_provider_ids_matching,
    allocation_candidate._alloc_candidates_single_provider)."""
    if not group.resources and not (group.required or group.member_of):
        # A resourceless group starts from the providers its required traits
        # or member_of name; without either it starts from none.
        return []
    found = []
    for anchor in anchors:
        for p, provider in enumerate(forest.providers):
            if _granular_provider_ok(forest, group, p, provider, anchor):
                found.append(_Option(
                    anchor,
                    tuple((p, rc, n) for rc, n in group.resources.items()),
                    frozenset([p])))
    return found


def _granular_provider_ok(forest, group, p, provider, anchor):
    if not _serves_tree(forest, p, anchor):
        return False
    if group.resources and group.in_tree is not None:
        # get_providers_with_resource(tree_root_id): the provider itself
        # must be in the tree (a resourceless group ignores in_tree).
        if _root(forest, p) != _root(forest, _position(forest,
                                                       group.in_tree)):
            return False
    return (all(_fits(provider.inventories.get(rc), n)
                for rc, n in group.resources.items()) and
            # Traits and aggregates on the provider itself.
            _has_traits(provider.traits, group.required) and
            not group.forbidden & provider.traits and
            _in_aggregates(provider.aggregates, group.member_of) and
            not group.forbidden_aggs & provider.aggregates)


def _unsuffixed_options(forest, group, anchors):
    """Spread over one tree and its sharing providers
    (research_context.get_trees_matching_all,
    allocation_candidate._alloc_candidates_multiple_providers).

    Without trees and sharing providers upstream takes the one-provider path
    instead; the rules below give the same answer there.
    """
    classes = list(group.resources)
    found = []
    for anchor in anchors:
        # Every assignment of one provider to each class, each provider
        # allowed for its class under this anchor (a rule of its own, so
        # the providers failing it are left out of the product up front)...
        allowed = [[p for p in range(len(forest.providers))
                    if _unsuffixed_provider_ok(forest, group, p, rc, anchor)]
                   for rc in classes]
        for chosen in itertools.product(*allowed):
            # ...and the chosen providers together have the required traits
            # and none has a forbidden one (_check_traits_for_alloc_request).
            traits = [forest.providers[p].traits for p in set(chosen)]
            if any(group.forbidden & t for t in traits):
                continue
            if not _has_traits(frozenset().union(*traits), group.required):
                continue
            found.append(_Option(
                anchor,
                tuple((p, rc, group.resources[rc])
                      for p, rc in zip(chosen, classes)),
                frozenset(chosen)))
    return found


def _unsuffixed_provider_ok(forest, group, p, rc, anchor):
    provider = forest.providers[p]
    anchor_aggregates = forest.providers[anchor].aggregates
    if not _fits(provider.inventories.get(rc), group.resources[rc]):
        return False
    if _root(forest, p) == anchor:
        # In the anchor's own tree; in_tree narrows that to its tree.
        if group.in_tree is not None and anchor != _root(
                forest, _position(forest, group.in_tree)):
            return False
    else:
        # A sharing provider of another tree: not with in_tree, and it must
        # be in member_of's aggregates itself
        # (RequestGroupSearchContext.get_rps_with_shared_capacity).
        if group.in_tree is not None:
            return False
        if not _serves_tree(forest, p, anchor):
            return False
        if not _in_aggregates(provider.aggregates, group.member_of):
            return False
    # member_of is met by the provider or by the anchor, each alone
    # (RPCandidateList.filter_by_rp_or_tree); a forbidden aggregate on
    # either excludes it (filter_by_rp_nor_tree).
    if not (_in_aggregates(provider.aggregates, group.member_of) or
            _in_aggregates(anchor_aggregates, group.member_of)):
        return False
    return not group.forbidden_aggs & (provider.aggregates |
                                       anchor_aggregates)


# -- all groups together ------------------------------------------------------

def _combinations(forest, request, anchors, options):
    """allocation_candidate._merge_candidates: one option per group, all
    under the same anchor; equal results are one candidate."""
    found = set()
    for anchor in anchors:
        under = [[o for o in group_options if o.anchor == anchor]
                 for group_options in options]
        for combination in itertools.product(*under):
            candidate = _candidate(forest, request, combination)
            if candidate is not None:
                found.add(candidate)
    return found


def _candidate(forest, request, combination):
    groups = request.groups
    if request.group_policy == 'isolate':
        # _satisfies_group_policy: each granular group its own provider.
        granular = [o.providers for g, o in zip(groups, combination)
                    if g.suffix != '']
        if len(frozenset().union(*granular)) != len(granular):
            return None
    by_suffix = {g.suffix: o.providers for g, o in zip(groups, combination)}
    for suffixes in request.same_subtrees:
        # _satisfies_same_subtree: one of the named groups' providers is
        # above (or is) all of them.
        named = frozenset().union(*(by_suffix[s] for s in suffixes))
        if not any(all(top in _ancestors(forest, p) for p in named)
                   for top in named):
            return None
    amounts = collections.Counter()
    for option in combination:
        for p, rc, n in option.allocations:
            amounts[p, rc] += n
    for (p, rc), n in amounts.items():
        # RequestWideSearchContext.exceeds_capacity, on the summed amounts.
        inventory = forest.providers[p].inventories[rc]
        capacity = int((inventory.total - inventory.reserved) *
                       inventory.allocation_ratio)
        if inventory.used + n > capacity or n > inventory.max_unit:
            return None
    return Candidate(
        frozenset((p, rc, n) for (p, rc), n in amounts.items()),
        frozenset(by_suffix.items()))


def _nested_allowed(forest, request, candidate):
    """exclude_nested_providers: before 1.29, in a cloud with trees, no two
    allocating providers of one tree."""
    if request.nested_aware or not _has_trees(forest):
        return True
    allocating = {p for p, _, _ in candidate.allocations}
    return len({_root(forest, p) for p in allocating}) == len(allocating)
