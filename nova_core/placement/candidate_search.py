"""The allocation-candidate search: which providers can satisfy a request.

A thin Python layer over the compiled engine (:mod:`nova_core._fastalloc`):
it turns request groups given in names (classes, traits, aggregate and
provider uuids) into the engine's columns, trait masks and slot bitmaps,
runs the engine, applies ``limit`` and hands back an :class:`Answer` that
renders the HTTP body or lists the candidates. No database, no HTTP.

The semantics are upstream placement's (microversions 1.10-1.39):

1. ``root_required`` keeps only the trees whose root has (and lacks) the
   given traits; those roots are the allowed *anchors*.
2. Each request group is solved on its own, as *options*: an anchor (the
   root of a tree), what to allocate where, and the providers that
   satisfied the group (its "mappings").

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
   sample of) candidates; without randomisation the engine stops as soon as
   it has found that many.

Upstream corners kept on purpose because clients see them: a group without
resources finds nothing unless it has required traits or ``member_of``, and
ignores ``in_tree``; ``in_tree`` disables sharing providers from other trees
for the unsuffixed group only; unknown names are errors in upstream's order
(root traits, then per group: classes, then traits), but a group that finds
nothing ends the search before later groups' names are looked at.

Deliberate differences, where upstream is wrong: when every resource of the
unsuffixed group comes from sharing providers, upstream keeps the resulting
option for only one (arbitrary: it depends on Python's set order) of the
trees it could serve, and so may drop valid combinations with other
groups; here it is offered to every such tree. Amounts of one class asked
by several groups from one provider are summed once (upstream may sum them
into an object that later candidates share), and a sharing provider that
is a child in a tree is served normally (upstream fails with a 500).
"""

import collections
import random
import sys

from nova_core import _fastalloc
from nova_core import exception

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

# The HTTP answer's shapes (see Answer.render).
REQUESTS_LIST, REQUESTS_DICT, REQUESTS_MAPPINGS = 0, 1, 2


def search(snapshot, groups, params=Params()):
    """The candidates for *groups* (RequestGroups, in request order)."""
    return find(snapshot, groups, params).result()


def find(snapshot, groups, params=Params()):
    """Like :func:`search`, but the answer stays in the engine's arrays."""
    return _Search(snapshot, params).run(groups)


class Answer:
    """The engine's answer: candidates chosen, providers to describe."""

    def __init__(self, snapshot, groups, found=None, selected=None,
                 summaries=()):
        self.snapshot = snapshot
        self.groups = groups
        self.found = found
        self.selected = selected
        self.summaries = list(summaries)

    def __len__(self):
        if self.found is None:
            return 0
        return len(self.found) if self.selected is None \
            else len(self.selected)

    def indexes(self):
        if self.found is None:
            return []
        return range(len(self.found)) if self.selected is None \
            else self.selected

    def result(self):
        """The answer as :class:`Result` (slots and class ids)."""
        if self.found is None:
            return EMPTY
        snap = self.snapshot
        rc_of_col = {col: rc for rc, col in snap._col_of.items()}
        suffixes = [g.suffix for g in self.groups]
        candidates = []
        for i in self.indexes():
            allocations = tuple((slot, rc_of_col[col], amount)
                                for slot, col, amount
                                in self.found.allocations(i))
            mappings = {suffix: frozenset(slots) for suffix, slots
                        in zip(suffixes, self.found.mappings(i))}
            candidates.append(Candidate(allocations, mappings))
        return Result(candidates, self.summaries)

    def render(self, requests_format=None, requested_classes=None,
               with_traits=True, tree_uuids=True, compact=False):
        """The JSON body of ``GET /allocation_candidates``, as bytes.

        *requested_classes*: names of the classes to describe in provider
        summaries (before 1.27), None for all. *compact*: the compact form
        instead (:meth:`render_compact`; the other options do not apply).
        """
        if compact:
            return self.render_compact()
        snap = self.snapshot
        if self.found is None:
            return b'{"allocation_requests": [], "provider_summaries": {}}'
        wanted = None
        if requested_classes is not None:
            ids = {snap.resource_classes.ids.get(n) for n in requested_classes}
            wanted = bytes(1 if rc in ids else 0 for rc, _col in sorted(
                snap._col_of.items(), key=lambda item: item[1]))
        traits = snap.traits_json(self.summaries) if with_traits else None
        return _fastalloc.render(
            snap.engine, self.found, self.selected, self.summaries,
            snap.col_names, [g.suffix.encode('ascii') for g in self.groups],
            requests_format, wanted, traits, tree_uuids)

    def render_compact(self):
        """The compact body (see the handler), as bytes.

        Only for answers that know provider trees (microversion 1.29 and
        later): every provider they use is described with its tree.
        """
        snap = self.snapshot
        if self.found is None:
            sections = [b''] * len(COMPACT_SECTIONS)
            summaries = []
            sets, which = _fastalloc.compact_traits(
                summaries, snap.traits_json(summaries))
        else:
            sections, sets, which = self._compact_parts()
        sections.append(which)
        header = b'{"byteorder": "%s", "resource_classes": [%s], ' \
                 b'"groups": [%s], "trait_sets": [%s], "sizes": [%s]}' % (
                     sys.byteorder.encode('ascii'),
                     b', '.join(b'"%s"' % name for name in snap.col_names),
                     b', '.join(b'"%s"' % g.suffix.encode('ascii')
                                for g in self.groups),
                     b', '.join(sets),
                     b', '.join(b'%d' % len(part) for part in sections))
        return b''.join([COMPACT_MAGIC, header, b'\n'] + sections)

    def _compact_parts(self):
        """The sections (but traits), the trait sets and the traits
        section of a non-empty answer.

        Consecutive answers mostly hold the same candidates, only some
        usage changed (the previous request's claim): the snapshot keeps
        the last parts made, and an answer of the same candidates and
        summaries in the same shape takes them, with only the providers'
        resources (res_off, res) made again.
        """
        snap = self.snapshot
        engine, summaries = snap.engine, self.summaries
        last = snap.last_compact
        if (last is not None and last[0] == engine.shape and
                last[2] == self.selected and last[3] == summaries and
                self.found.same_as(last[1])):
            sections = list(last[4])
            sections[3:5] = _fastalloc.compact_resources(engine, summaries)
            return sections, last[5], last[6]
        sections = _fastalloc.compact_sections(
            engine, self.found, self.selected, summaries)
        # Trait sets: most providers share theirs; each is sent once.
        sets, which = _fastalloc.compact_traits(
            summaries, snap.traits_json(summaries))
        selected = None if self.selected is None else list(self.selected)
        snap.last_compact = (engine.shape, self.found, selected,
                             list(summaries), tuple(sections), sets, which)
        return sections, sets, which


# The compact form: this line, a JSON header line, then the sections.
COMPACT_MAGIC = b'nova-core-allocation-candidates 1\n'
COMPACT_SECTIONS = ('uuids', 'parents', 'roots', 'res_off', 'res', 'req_off',
                    'req', 'root_order', 'root_off', 'root_req', 'map_off',
                    'map')


class _Search:
    """One search: compile the request against the snapshot, run it."""

    def __init__(self, snapshot, params):
        self.snap = snapshot
        self.engine = snapshot.engine
        self.params = params
        self._empty = Answer(snapshot, [])

    def run(self, groups):
        params = self.params
        anchors, some = self._allowed_anchors()
        if not some:
            return self._empty
        spread = self.engine.has_trees() or self.engine.has_sharing()
        sharing = self.snap.sharing()
        tree_blind = not params.nested_aware and self.engine.has_trees()
        stop_at = params.max_candidates
        if params.limit and not params.randomize and not tree_blind:
            # The first `limit` found are as good as any: stop there.
            stop_at = params.limit if stop_at < 0 else min(stop_at,
                                                           params.limit)
        # One group in a cloud of standalone providers: each option is a
        # candidate, in provider order, so the scan can stop at stop_at
        # (a cloud of 10,000 hosts answers a limit of 1,000 from the
        # first tenth of it).
        cap = stop_at if (len(groups) == 1 and stop_at > 0 and
                          not spread) else -1
        compiled, options = [], []
        for group in groups:
            found = self._group(group)
            if found is None:
                return self._empty
            opts = _fastalloc.group_options(
                self.engine, found, sharing, anchors,
                spread and not group.suffix, cap)
            if not len(opts):
                return self._empty
            compiled.append(found)
            options.append(opts)
        found = self._combine(compiled, options, groups, tree_blind, stop_at)
        if cap > 0 and len(found) < stop_at and options[0].truncated:
            # Some options did not make candidates: the full scan.
            options = [_fastalloc.group_options(
                self.engine, compiled[0], sharing, anchors, False)]
            found = self._combine(compiled, options, groups, tree_blind,
                                  stop_at)
        if not len(found):
            return self._empty
        selected = None
        if params.limit and params.limit < len(found):
            selected = (sorted(random.sample(range(len(found)), params.limit))
                        if params.randomize else list(range(params.limit)))
        elif params.randomize:
            selected = list(range(len(found)))
        if selected is not None and params.randomize:
            random.shuffle(selected)
        summaries = _fastalloc.summary_slots(
            self.engine, found, selected, tree_blind)
        return Answer(self.snap, groups, found, selected, summaries)

    def _combine(self, compiled, options, groups, tree_blind, stop_at):
        params = self.params
        index = {group.suffix: i for i, group in enumerate(groups)}
        return _fastalloc.combine(
            self.engine, compiled, options, params.group_policy == 'isolate',
            [sorted(index[s] for s in wanted if s in index)
             for wanted in params.same_subtrees],
            tree_blind, stop_at, params.strategy == BREADTH_FIRST)

    # -- names to engine terms ----------------------------------------------

    def _trait_ids(self, names):
        ids = set()
        for name in sorted(names):
            trait_id = self.snap.trait_names.ids.get(name)
            if trait_id is None:
                raise exception.TraitNotFound(name=name)
            ids.add(trait_id)
        return ids

    def _mask(self, trait_ids):
        return self.engine.mask(self.snap.trait_bits(trait_ids))

    def _slots_in(self, uuid_sets):
        """A byte per slot: 1 if in an aggregate of every set; None if none."""
        ids = self.snap.aggregate_uuids.ids
        found = None
        for uuids in uuid_sets:
            members = set()
            for uuid in uuids:
                if uuid in ids:
                    members |= self.snap.members(ids[uuid])
            found = members if found is None else found & members
        if not found:
            return None
        bitmap = bytearray(self.engine.n)
        for slot in found:
            bitmap[slot] = 1
        return bytes(bitmap)

    def _allowed_anchors(self):
        """A byte per slot, 1 for the roots root_required allows, or None
        for all; and whether any is.

        Kept by the snapshot while its shape stays the same: the roots
        and their traits are all it depends on.
        """
        params = self.params
        if not (params.root_required or params.root_forbidden):
            return None, True
        required = frozenset(self._trait_ids(params.root_required))
        forbidden = frozenset(self._trait_ids(params.root_forbidden))

        def make():
            anchors = self.engine.roots_matching(
                self._mask(required), self._mask(forbidden), len(required))
            return anchors, any(anchors)
        return self.snap.shaped(('anchors', required, forbidden), make)

    def _group(self, group):
        """The group compiled for the engine; None if it cannot match."""
        snap = self.snap
        rc_ids = []
        for name in group.resources:
            rc_id = snap.resource_classes.ids.get(name)
            if rc_id is None:
                raise exception.ResourceClassNotFound(name=name)
            rc_ids.append(rc_id)
        in_aggregates = None
        if group.member_of:
            in_aggregates = self._slots_in(group.member_of)
            if in_aggregates is None:
                return None
        required = [self._mask(self._trait_ids(any_of))
                    for any_of in group.required_traits]
        forbidden = self._mask(self._trait_ids(group.forbidden_traits))
        bad = (self._slots_in([group.forbidden_aggregates])
               if group.forbidden_aggregates else None)
        tree = -1
        if group.in_tree is not None:
            where = snap.index_of.get(group.in_tree)
            tree = -2 if where is None else self.engine.root_of(where)
        cols = [snap.column_of(rc_id) for rc_id in rc_ids]
        if None in cols:
            return None  # a class no provider has ever had
        return _fastalloc.Group(
            self.engine, bool(group.suffix), cols,
            list(group.resources.values()), required, forbidden,
            in_aggregates, bad, tree)
