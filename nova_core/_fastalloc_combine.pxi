# Combining the groups' options (included by _fastalloc.pyx): one option per
# group under the same anchor, walked lazily with backtracking.

from libc.stdlib cimport calloc
from libc.string cimport memcmp

cdef enum:
    MAX_GROUPS = 64
    MAX_ENTRIES = 512


cdef struct Leaf:
    # One combination, consolidated.
    int nentries
    int32_t slot[MAX_ENTRIES]
    int32_t col[MAX_ENTRIES]
    int64_t amount[MAX_ENTRIES]
    int32_t mstart[MAX_GROUPS]
    int32_t mcount[MAX_GROUPS]
    int32_t mapped[MAX_ENTRIES + MAX_GROUPS]


cdef class Found:
    """Candidates as arrays: consolidated allocations and per-group mappings.

    Candidate i allocates ``amount[k]`` of column ``col[k]`` from slot
    ``slot[k]`` for k in ``aoff[i]:aoff[i+1]`` (sorted by slot, then
    column); its group g was served by the slots ``mslot[moff[i*G+g]:
    moff[i*G+g+1]]`` (sorted).
    """

    cdef readonly int ngroups
    cdef readonly int64_t count
    cdef IVec aoff
    cdef IVec aslot
    cdef IVec acol
    cdef LVec aamt
    cdef IVec moff
    cdef IVec mslot
    cdef uint64_t *hashes
    cdef int64_t *hindex
    cdef int64_t hcap

    def __cinit__(self, int ngroups):
        self.ngroups = ngroups
        self.count = 0
        ivec_push(&self.aoff, 0)
        ivec_push(&self.moff, 0)

    def __dealloc__(self):
        ivec_free(&self.aoff)
        ivec_free(&self.aslot)
        ivec_free(&self.acol)
        lvec_free(&self.aamt)
        ivec_free(&self.moff)
        ivec_free(&self.mslot)
        free(self.hashes)
        free(self.hindex)

    def __len__(self):
        return self.count

    def allocations(self, int64_t i):
        """``[(slot, column, amount)]`` of candidate *i*."""
        return [(self.aslot.data[k], self.acol.data[k], self.aamt.data[k])
                for k in range(self.aoff.data[i], self.aoff.data[i + 1])]

    def same_as(self, Found other):
        """True if *other* holds the same candidates, in the same order."""
        if other is self:
            return True
        return (other is not None and other.ngroups == self.ngroups and
                other.count == self.count and
                _same_ivec(&self.aoff, &other.aoff) and
                _same_ivec(&self.aslot, &other.aslot) and
                _same_ivec(&self.acol, &other.acol) and
                self.aamt.len == other.aamt.len and
                memcmp(self.aamt.data, other.aamt.data,
                       self.aamt.len * 8) == 0 and
                _same_ivec(&self.moff, &other.moff) and
                _same_ivec(&self.mslot, &other.mslot))

    def mappings(self, int64_t i):
        """Per group, the tuple of slots that served it in candidate *i*."""
        cdef int g
        cdef int64_t base = i * self.ngroups
        return [tuple(self.mslot.data[k] for k in range(
            self.moff.data[base + g], self.moff.data[base + g + 1]))
            for g in range(self.ngroups)]

    cdef bint _same(self, int64_t i, Leaf *leaf):
        cdef int64_t k, b = self.aoff.data[i], base = i * self.ngroups
        cdef int g, j
        if self.aoff.data[i + 1] - b != leaf.nentries:
            return False
        for j in range(leaf.nentries):
            k = b + j
            if (self.aslot.data[k] != leaf.slot[j] or
                    self.acol.data[k] != leaf.col[j] or
                    self.aamt.data[k] != leaf.amount[j]):
                return False
        for g in range(self.ngroups):
            if (self.moff.data[base + g + 1] - self.moff.data[base + g] !=
                    leaf.mcount[g]):
                return False
            for j in range(leaf.mcount[g]):
                if self.mslot.data[self.moff.data[base + g] + j] != \
                        leaf.mapped[leaf.mstart[g] + j]:
                    return False
        return True

    cdef bint _add_unique(self, Leaf *leaf, uint64_t h) except -1:
        """Store the leaf unless an equal candidate is there; True if new."""
        cdef int64_t pos, i
        if (self.count + 1) * 2 > self.hcap:
            self._rehash()
        pos = <int64_t>(h & <uint64_t>(self.hcap - 1))
        while self.hindex[pos] >= 0:
            i = self.hindex[pos]
            if self.hashes[pos] == h and self._same(i, leaf):
                return False
            pos = (pos + 1) & (self.hcap - 1)
        self.hindex[pos] = self.count
        self.hashes[pos] = h
        self._append(leaf)
        return True

    cdef int _append(self, Leaf *leaf) except -1:
        """Store the leaf (known to be new) as the next candidate."""
        cdef int g, j
        for j in range(leaf.nentries):
            ivec_push(&self.aslot, leaf.slot[j])
            ivec_push(&self.acol, leaf.col[j])
            lvec_push(&self.aamt, leaf.amount[j])
        ivec_push(&self.aoff, <int32_t>self.aslot.len)
        for g in range(self.ngroups):
            for j in range(leaf.mcount[g]):
                ivec_push(&self.mslot, leaf.mapped[leaf.mstart[g] + j])
            ivec_push(&self.moff, <int32_t>self.mslot.len)
        self.count += 1
        return 0

    cdef void _rehash(self) except *:
        cdef int64_t newcap = self.hcap * 2 if self.hcap else 1024
        cdef uint64_t *hashes = <uint64_t *>malloc(newcap * 8)
        cdef int64_t *hindex = <int64_t *>malloc(newcap * 8)
        cdef int64_t k, pos
        if hashes == NULL or hindex == NULL:
            free(hashes)
            free(hindex)
            raise MemoryError()
        for k in range(newcap):
            hindex[k] = -1
        for k in range(self.hcap):
            if self.hindex[k] >= 0:
                pos = <int64_t>(self.hashes[k] & <uint64_t>(newcap - 1))
                while hindex[pos] >= 0:
                    pos = (pos + 1) & (newcap - 1)
                hindex[pos] = self.hindex[k]
                hashes[pos] = self.hashes[k]
        free(self.hashes)
        free(self.hindex)
        self.hashes = hashes
        self.hindex = hindex
        self.hcap = newcap


cdef inline bint _same_ivec(IVec *a, IVec *b):
    return a.len == b.len and (
        a.len == 0 or memcmp(a.data, b.data, a.len * 4) == 0)


cdef class _Plan:
    """The groups' options indexed by anchor, and the walk's settings."""

    cdef int G
    cdef int n
    cdef list groups
    cdef list options
    cdef int32_t **off        # per group: n + 1 offsets by anchor
    cdef int32_t **order      # per group: option indexes sorted by anchor
    cdef bint isolate
    cdef list same_subtrees
    cdef bint nested_filter

    def __dealloc__(self):
        cdef int g
        if self.off != NULL:
            for g in range(self.G):
                free(self.off[g])
                free(self.order[g])
        free(self.off)
        free(self.order)

    cdef void build(self, Engine e) except *:
        cdef int g, a
        cdef int64_t k, nopt
        cdef GroupOptions go
        self.off = <int32_t **>calloc(self.G, sizeof(int32_t *))
        self.order = <int32_t **>calloc(self.G, sizeof(int32_t *))
        if self.off == NULL or self.order == NULL:
            raise MemoryError()
        for g in range(self.G):
            go = self.options[g]
            nopt = go.o.anchor.len
            self.off[g] = <int32_t *>calloc(self.n + 1, 4)
            self.order[g] = <int32_t *>malloc(max(nopt, 1) * 4)
            if self.off[g] == NULL or self.order[g] == NULL:
                raise MemoryError()
            for k in range(nopt):
                self.off[g][go.o.anchor.data[k] + 1] += 1
            for a in range(self.n):
                self.off[g][a + 1] += self.off[g][a]
            # A stable counting sort: options keep their order per anchor.
            for k in range(nopt):
                a = go.o.anchor.data[k]
                self.order[g][self.off[g][a]] = <int32_t>k
                self.off[g][a] += 1
            for a in range(self.n, 0, -1):
                self.off[g][a] = self.off[g][a - 1]
            self.off[g][0] = 0

    cdef inline int32_t option_at(self, int g, int32_t anchor, int64_t i):
        return self.order[g][self.off[g][anchor] + i]

    cdef inline int64_t options_of(self, int g, int32_t anchor):
        return self.off[g][anchor + 1] - self.off[g][anchor]


cdef inline int32_t _provider(GroupOptions go, int32_t opt):
    """The one provider of an option of a granular group."""
    return go.o.mslots.data[go.o.moff.data[opt]]


cdef struct Walk:
    # A resumable backtracking walk over one anchor's combinations.
    int32_t anchor
    int depth
    int64_t *pos       # per group: index among the anchor's options


cdef bint _next_leaf(_Plan plan, Walk *w):
    """Advance *w* to its next combination that passes ``isolate``."""
    cdef int d = w.depth, g
    cdef int32_t mine
    cdef GroupOptions go
    while True:
        w.pos[d] += 1
        if w.pos[d] >= plan.options_of(d, w.anchor):
            if d == 0:
                w.depth = 0
                return False
            d -= 1
            continue
        if plan.isolate and (<Group>plan.groups[d]).granular:
            go = plan.options[d]
            mine = _provider(go, plan.option_at(d, w.anchor, w.pos[d]))
            for g in range(d):
                if (<Group>plan.groups[g]).granular and _provider(
                        plan.options[g],
                        plan.option_at(g, w.anchor, w.pos[g])) == mine:
                    break
            else:
                g = d
            if g < d:
                continue
        if d == plan.G - 1:
            w.depth = d
            return True
        d += 1
        w.pos[d] = -1


cdef bint _ancestor_or_self(Engine e, int32_t q, int32_t p):
    while p >= 0:
        if p == q:
            return True
        p = e.parent[p]
    return False


cdef bint _same_subtree_ok(Engine e, _Plan plan, Leaf *leaf):
    """Each same_subtree set: one of its providers is above all the others."""
    cdef int32_t found[MAX_ENTRIES + MAX_GROUPS]
    cdef int n, i, j, g
    cdef bint all_below
    for wanted in plan.same_subtrees:
        n = 0
        for g in wanted:
            for i in range(leaf.mcount[g]):
                found[n] = leaf.mapped[leaf.mstart[g] + i]
                n += 1
        n = _distinct_sorted(found, n, found)
        if n <= 1:
            continue
        for i in range(n):
            all_below = True
            for j in range(n):
                if not _ancestor_or_self(e, found[i], found[j]):
                    all_below = False
                    break
            if all_below:
                break
        else:
            return False
    return True


cdef int _consolidate(_Plan plan, Walk *w, Leaf *leaf) except -1:
    """Sum the combination's amounts per (slot, column); record mappings."""
    cdef int g
    cdef int sizes[2]
    sizes[0] = sizes[1] = 0
    for g in range(plan.G):
        _add_option_entries(
            plan.groups[g], plan.options[g],
            plan.option_at(g, w.anchor, w.pos[g]), g, leaf, sizes)
    leaf.nentries = sizes[0]
    return 0


cdef int _add_option_entries(Group grp, GroupOptions go, int32_t opt, int g,
                             Leaf *leaf, int *sizes) except -1:
    """Add option *opt* of group *g* to the leaf, whose entries and
    mapped slots so far are counted by sizes[0] and sizes[1] (updated)."""
    cdef int j, k, m = grp.ncls, n = sizes[0], nm = sizes[1]
    cdef int32_t s, c
    cdef int64_t amount
    if n + m > MAX_ENTRIES:
        raise ValueError('too many resources in one request')
    for j in range(m):
        s = go.o.slots.data[<int64_t>opt * m + j]
        c = grp.cols[j]
        amount = grp.amounts[j]
        # Insertion into the (slot, column)-sorted entries.
        k = n
        while k > 0 and (leaf.slot[k - 1] > s or (
                leaf.slot[k - 1] == s and leaf.col[k - 1] > c)):
            k -= 1
        if k > 0 and leaf.slot[k - 1] == s and leaf.col[k - 1] == c:
            leaf.amount[k - 1] += amount
            continue
        _shift(leaf, k, n)
        leaf.slot[k] = s
        leaf.col[k] = c
        leaf.amount[k] = amount
        n += 1
    leaf.mstart[g] = nm
    leaf.mcount[g] = go.o.moff.data[opt + 1] - go.o.moff.data[opt]
    for j in range(leaf.mcount[g]):
        leaf.mapped[nm] = go.o.mslots.data[go.o.moff.data[opt] + j]
        nm += 1
    sizes[0] = n
    sizes[1] = nm
    return 0


cdef inline void _shift(Leaf *leaf, int k, int n):
    cdef int i = n
    while i > k:
        leaf.slot[i] = leaf.slot[i - 1]
        leaf.col[i] = leaf.col[i - 1]
        leaf.amount[i] = leaf.amount[i - 1]
        i -= 1


cdef bint _fits_together(Engine e, Leaf *leaf):
    """The summed amounts still fit: capacity (rounded down) and max_unit."""
    cdef int k
    cdef Column *c
    for k in range(leaf.nentries):
        c = &e.cols[leaf.col[k]]
        if (c.used[leaf.slot[k]] + leaf.amount[k] > capacity(c, leaf.slot[k])
                or leaf.amount[k] > c.max_unit[leaf.slot[k]]):
            return False
    return True


cdef bint _one_per_tree(Engine e, Leaf *leaf):
    """Tree-blind clients (before 1.29): no two providers of one tree."""
    cdef int i, j
    for i in range(leaf.nentries):
        for j in range(i):
            if leaf.slot[j] != leaf.slot[i] and \
                    e.root[leaf.slot[j]] == e.root[leaf.slot[i]]:
                return False
    return True


cdef uint64_t _hash(Leaf *leaf, int G):
    cdef uint64_t h = 1469598103934665603ULL
    cdef int k, g
    for k in range(leaf.nentries):
        h = (h ^ <uint64_t>leaf.slot[k]) * 1099511628211ULL
        h = (h ^ <uint64_t>leaf.col[k]) * 1099511628211ULL
        h = (h ^ <uint64_t>leaf.amount[k]) * 1099511628211ULL
    for g in range(G):
        h = (h ^ 0xfeed) * 1099511628211ULL
        for k in range(leaf.mcount[g]):
            h = (h ^ <uint64_t>leaf.mapped[leaf.mstart[g] + k]) * \
                1099511628211ULL
    return h


def combine(Engine engine, list groups, list options, bint isolate,
            list same_subtrees, bint nested_filter, int64_t stop_at,
            bint breadth_first):
    """Candidates: one option per group, all under the same anchor.

    *same_subtrees*: lists of group indexes. *nested_filter*: drop
    candidates using two providers of one tree (clients before 1.29).
    *stop_at*: stop once that many distinct candidates are found (-1: find
    all; 0 gives one, as upstream's bound). *breadth_first*: take one combination of each anchor in turn
    instead of exhausting anchors one by one (matters with *stop_at*).
    """
    cdef _Plan plan = _Plan()
    cdef Found found = Found(len(groups))
    cdef int g, a, live, done = 0
    cdef int64_t nwalks = 0, i
    cdef Walk *walks = NULL
    cdef int64_t *positions = NULL
    cdef Leaf leaf
    if len(groups) != len(options) or not groups:
        raise ValueError('one option list per group')
    if len(groups) > MAX_GROUPS:
        raise ValueError('too many request groups')
    plan.G = len(groups)
    plan.n = engine.n
    plan.groups = groups
    plan.options = options
    plan.isolate = isolate
    plan.same_subtrees = same_subtrees
    plan.nested_filter = nested_filter
    if plan.G == 1 and _one_per_anchor(engine, options[0]):
        _take_each(engine, plan, &leaf, found, stop_at)
        return found
    plan.build(engine)
    try:
        walks = <Walk *>malloc(max(engine.n, 1) * sizeof(Walk))
        positions = <int64_t *>malloc(max(engine.n, 1) * plan.G * 8)
        if walks == NULL or positions == NULL:
            raise MemoryError()
        for a in range(engine.n):
            for g in range(plan.G):
                if plan.options_of(g, a) == 0:
                    break
            else:
                walks[nwalks].anchor = a
                walks[nwalks].depth = 0
                walks[nwalks].pos = positions + nwalks * plan.G
                walks[nwalks].pos[0] = -1
                nwalks += 1
        # Like upstream, the bound is checked after each new candidate: a
        # bound of 0 still gives one.
        if breadth_first:
            live = 1
            while live and not done:
                live = 0
                for i in range(nwalks):
                    if walks[i].anchor < 0:
                        continue
                    if not _next_leaf(plan, &walks[i]):
                        walks[i].anchor = -1
                        continue
                    live = 1
                    if _take(engine, plan, &walks[i], &leaf, found) and \
                            0 <= stop_at <= found.count:
                        done = 1
                        break
        else:
            for i in range(nwalks):
                while not done and _next_leaf(plan, &walks[i]):
                    if _take(engine, plan, &walks[i], &leaf, found) and \
                            0 <= stop_at <= found.count:
                        done = 1
                if done:
                    break
    finally:
        free(walks)
        free(positions)
    return found


cdef int _take(Engine e, _Plan plan, Walk *w, Leaf *leaf,
               Found found) except -1:
    """Keep one combination if it passes and is new; 1 if kept."""
    _consolidate(plan, w, leaf)
    if not _passes(e, plan, leaf):
        return 0
    return found._add_unique(leaf, _hash(leaf, plan.G))


cdef bint _passes(Engine e, _Plan plan, Leaf *leaf):
    """The checks a consolidated combination must pass to be a candidate."""
    if plan.same_subtrees and not _same_subtree_ok(e, plan, leaf):
        return False
    if not _fits_together(e, leaf):
        return False
    return not plan.nested_filter or _one_per_tree(e, leaf)


cdef bint _one_per_anchor(Engine e, GroupOptions go):
    """The options have ascending anchors, one each, and use providers of
    their anchor's tree only: then each is a combination of its own, in
    the walk's order (either strategy), and no two make equal candidates."""
    cdef int64_t k, j
    for k in range(go.o.anchor.len):
        if k and go.o.anchor.data[k] <= go.o.anchor.data[k - 1]:
            return False
        for j in range(go.o.moff.data[k], go.o.moff.data[k + 1]):
            if e.root[go.o.mslots.data[j]] != go.o.anchor.data[k]:
                return False
    return True


cdef int _take_each(Engine e, _Plan plan, Leaf *leaf, Found found,
                    int64_t stop_at) except -1:
    """combine() for one group whose options pass _one_per_anchor: each
    option as a combination, checked as _take does, without the walk's
    per-anchor index and with no search for equal candidates."""
    cdef GroupOptions go = plan.options[0]
    cdef Group grp = plan.groups[0]
    cdef int64_t k
    cdef int sizes[2]
    for k in range(go.o.anchor.len):
        sizes[0] = sizes[1] = 0
        _add_option_entries(grp, go, <int32_t>k, 0, leaf, sizes)
        leaf.nentries = sizes[0]
        if not _passes(e, plan, leaf):
            continue
        found._append(leaf)
        if 0 <= stop_at <= found.count:
            break
    return 0


def summary_slots(Engine engine, Found found, selected, bint tree_blind):
    """The providers an answer describes, ascending.

    Every provider of the trees the *selected* candidates (indexes; None:
    all) allocate from; for tree-blind answers (*tree_blind*: before 1.29
    in a cloud with trees) only providers some candidate allocates from,
    in those trees.
    """
    if not tree_blind and engine.is_flat():
        return _flat_summary_slots(engine, found, selected)
    cdef uint8_t *roots = <uint8_t *>calloc(max(engine.n, 1), 1)
    cdef uint8_t *used = <uint8_t *>calloc(max(engine.n, 1), 1)
    cdef int64_t i, k
    cdef int32_t s
    if roots == NULL or used == NULL:
        free(roots)
        free(used)
        raise MemoryError()
    try:
        indexes = range(found.count) if selected is None else selected
        for i in indexes:
            for k in range(found.aoff.data[i], found.aoff.data[i + 1]):
                roots[engine.root[found.aslot.data[k]]] = 1
        if tree_blind:
            for k in range(found.aslot.len):
                used[found.aslot.data[k]] = 1
            return [s for s in range(engine.n)
                    if used[s] and roots[engine.root[s]]]
        return [s for s in range(engine.n)
                if engine.alive[s] and roots[engine.root[s]]]
    finally:
        free(roots)
        free(used)


cdef list _flat_summary_slots(Engine engine, Found found, selected):
    """summary_slots() where every live provider is a tree of its own:
    the distinct live roots of the selected candidates' providers,
    ascending, found without a pass over every slot."""
    cdef uint8_t *seen = <uint8_t *>calloc(max(engine.n, 1), 1)
    cdef IVec roots
    cdef int64_t i, k
    cdef int32_t r
    cdef bint ascending = True
    cdef list out
    roots.data = NULL
    roots.len = roots.cap = 0
    if seen == NULL:
        raise MemoryError()
    try:
        if selected is None:
            for i in range(found.count):
                _mark_roots(engine, found, i, seen, &roots, &ascending)
        else:
            for i in selected:
                _mark_roots(engine, found, i, seen, &roots, &ascending)
        if not ascending:
            qsort(roots.data, roots.len, 4, _cmp_i32)
        out = [roots.data[k] for k in range(roots.len)]
        return out
    finally:
        free(seen)
        ivec_free(&roots)


cdef inline int _mark_roots(Engine engine, Found found, int64_t i,
                            uint8_t *seen, IVec *roots,
                            bint *ascending) except -1:
    cdef int64_t k
    cdef int32_t r
    for k in range(found.aoff.data[i], found.aoff.data[i + 1]):
        r = engine.root[found.aslot.data[k]]
        if not seen[r]:
            seen[r] = 1
            if engine.alive[r]:
                if roots.len and roots.data[roots.len - 1] > r:
                    ascending[0] = False
                ivec_push(roots, r)
    return 0


cdef int _cmp_i32(const void *x, const void *y) noexcept nogil:
    cdef int32_t a = (<const int32_t *>x)[0], b = (<const int32_t *>y)[0]
    return (a > b) - (a < b)
