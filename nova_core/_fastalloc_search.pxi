# The search (included by _fastalloc.pyx): options per group, then the
# combinations of one option per group under one anchor.

from libc.stdlib cimport qsort


cdef class Group:
    """One request group, compiled: columns, amounts, masks, bitmaps.

    ``required``: a list of trait masks (bytes), each an any-of set, all of
    them AND'd; ``forbidden``: one mask; ``in_aggregates`` /
    ``bad_aggregates``: a byte per slot (1 = member of a wanted /
    forbidden aggregate) or None; ``tree``: the root slot of ``in_tree``,
    -1 for none, -2 when it names no provider (nothing matches).
    """

    cdef readonly bint granular
    cdef int ncls
    cdef int32_t *cols
    cdef int64_t *amounts
    cdef int nreq
    cdef uint64_t *req
    cdef uint64_t *forb
    cdef bytes in_aggs
    cdef bytes bad_aggs
    cdef int32_t tree
    cdef int nwords

    def __cinit__(self, Engine engine, bint granular, cols, amounts,
                  required, bytes forbidden, in_aggregates, bad_aggregates,
                  int tree):
        self.nwords = engine.nwords
        self.granular = granular
        self.ncls = len(cols)
        self.cols = <int32_t *>malloc(max(self.ncls, 1) * 4)
        self.amounts = <int64_t *>malloc(max(self.ncls, 1) * 8)
        self.nreq = len(required)
        self.req = <uint64_t *>malloc(max(self.nreq, 1) * self.nwords * 8)
        self.forb = <uint64_t *>malloc(self.nwords * 8)
        if not (self.cols and self.amounts and self.req and self.forb):
            raise MemoryError()
        cdef int i
        for i in range(self.ncls):
            self.cols[i] = cols[i]
            self.amounts[i] = amounts[i]
        for i in range(self.nreq):
            _copy_mask(self.req + i * self.nwords, required[i], self.nwords)
        _copy_mask(self.forb, forbidden, self.nwords)
        for bitmap in (in_aggregates, bad_aggregates):
            if bitmap is not None and len(bitmap) < engine.n:
                raise ValueError('aggregate bitmap shorter than the slots')
        self.in_aggs = in_aggregates
        self.bad_aggs = bad_aggregates
        self.tree = tree

    def __dealloc__(self):
        free(self.cols)
        free(self.amounts)
        free(self.req)
        free(self.forb)


cdef void _copy_mask(uint64_t *dest, bytes mask, int nwords):
    memset(dest, 0, nwords * 8)
    memcpy(dest, <char *>mask, min(len(mask), nwords * 8))


cdef inline bint _traits_ok(uint64_t *row, Group g):
    cdef int r, w
    cdef bint hit
    for w in range(g.nwords):
        if row[w] & g.forb[w]:
            return False
    for r in range(g.nreq):
        hit = False
        for w in range(g.nwords):
            if row[w] & g.req[r * g.nwords + w]:
                hit = True
                break
        if not hit:
            return False
    return True


cdef inline bint _member(bytes bitmap, int32_t s):
    return (<const uint8_t *><const char *>bitmap)[s] != 0


cdef struct Options:
    IVec anchor     # per option: the root slot it serves
    IVec slots      # per option: ncls slots (one per class of the group)
    IVec moff       # per option + 1: offsets into mslots
    IVec mslots     # the distinct providers of each option (its mappings)


cdef class GroupOptions:
    """What one group can use, anchor by anchor (see group_options).

    ``truncated``: the scan stopped at ``max_options``; there may be more.
    """

    cdef Options o
    cdef Group group
    cdef readonly bint truncated

    def __dealloc__(self):
        ivec_free(&self.o.anchor)
        ivec_free(&self.o.slots)
        ivec_free(&self.o.moff)
        ivec_free(&self.o.mslots)

    def __len__(self):
        return self.o.anchor.len


def group_options(Engine engine, Group group, Sharing sharing,
                  bytes anchors_ok, bint spread, int64_t max_options=-1):
    """The options of *group*: one provider for all its classes, or with
    *spread* (the unsuffixed group where trees or sharing exist) one
    provider per class from one tree plus its sharing providers.

    *anchors_ok*: a byte per slot, 1 for roots ``root_required`` allows,
    or None when every root is allowed. *max_options* (without *spread*
    only; -1: no limit): stop scanning once that many options are found
    (``truncated`` says so); in a state without sharing providers the
    options come in anchor order, so the first ones found are the first
    ones of the full list.
    """
    cdef GroupOptions found = GroupOptions()
    cdef const uint8_t *ok = NULL
    if sharing.n != engine.n or group.nwords != engine.nwords:
        raise ValueError('sharing map or group compiled for another state')
    if anchors_ok is not None and len(anchors_ok) < engine.n:
        raise ValueError('anchors_ok is shorter than the slots')
    if anchors_ok is not None:
        ok = <const uint8_t *><const char *>anchors_ok
    found.group = group
    if spread:
        _tree_options(engine, group, ok, sharing, &found.o)
    else:
        found.truncated = _single_options(engine, group, ok, sharing,
                                          &found.o, max_options)
    return found


cdef class Sharing:
    """For each sharing slot, the roots of the trees it serves (sorted)."""

    cdef IVec off
    cdef IVec anchors
    cdef readonly int n

    def __cinit__(self, int n, dict anchors_by_slot):
        cdef int s
        self.n = n
        ivec_push(&self.off, 0)
        for s in range(n):
            for a in anchors_by_slot.get(s, ()):
                ivec_push(&self.anchors, a)
            ivec_push(&self.off, <int32_t>self.anchors.len)

    def __dealloc__(self):
        ivec_free(&self.off)
        ivec_free(&self.anchors)


cdef int _add_option(Options *o, int32_t anchor, int32_t *slots, int m,
                     int32_t *mapped, int nm) except -1:
    cdef int i
    if o.moff.len == 0:
        ivec_push(&o.moff, 0)
    ivec_push(&o.anchor, anchor)
    for i in range(m):
        ivec_push(&o.slots, slots[i])
    for i in range(nm):
        ivec_push(&o.mslots, mapped[i])
    ivec_push(&o.moff, <int32_t>o.mslots.len)
    return 0


cdef int _single_options(Engine e, Group g, const uint8_t *anchors_ok,
                         Sharing sh, Options *o,
                         int64_t max_options) except -1:
    """Options of a group served by one provider (granular groups, and
    the unsuffixed group in a cloud without trees or sharing); 1 if it
    stopped at *max_options* (>= 0) before the last provider."""
    cdef int32_t s, j, a, lo, hi, own
    cdef int32_t slots[64]
    cdef bint resourceless = g.ncls == 0
    if g.tree == -2 or g.ncls > 64:
        return 0
    if resourceless and not (g.nreq or g.in_aggs is not None):
        return 0
    for s in range(e.n):
        if max_options >= 0 and o.anchor.len >= max_options:
            return 1
        if not e.alive[s]:
            continue
        if not resourceless:
            if g.tree >= 0 and e.root[s] != g.tree:
                continue
            for j in range(g.ncls):
                if not fits(&e.cols[g.cols[j]], s, g.amounts[j]):
                    break
            else:
                j = g.ncls
            if j < g.ncls:
                continue
        if not _traits_ok(e.traits + s * e.nwords, g):
            continue
        if g.in_aggs is not None and not _member(g.in_aggs, s):
            continue
        if g.bad_aggs is not None and _member(g.bad_aggs, s):
            continue
        for j in range(g.ncls):
            slots[j] = s
        own = e.root[s]
        lo = hi = 0
        if e.sharing[s]:
            lo = sh.off.data[s]
            hi = sh.off.data[s + 1]
        # The own root merged into the sorted sharing anchors.
        while True:
            if lo < hi and sh.anchors.data[lo] < own:
                a = sh.anchors.data[lo]
                lo += 1
            elif own >= 0:
                a = own
                if lo < hi and sh.anchors.data[lo] == own:
                    lo += 1
                own = -1
            elif lo < hi:
                a = sh.anchors.data[lo]
                lo += 1
            else:
                break
            if anchors_ok == NULL or anchors_ok[a]:
                _add_option(o, a, slots, g.ncls, &s, 1)
    return 0


cdef int _cmp_i64(const void *x, const void *y) noexcept nogil:
    cdef int64_t a = (<const int64_t *>x)[0], b = (<const int64_t *>y)[0]
    return (a > b) - (a < b)


cdef inline bint _pair_ok(Group g, const uint8_t *anchors_ok, int32_t p,
                          int32_t anchor):
    if anchors_ok != NULL and not anchors_ok[anchor]:
        return False
    if g.in_aggs is not None and not (_member(g.in_aggs, p) or
                                      _member(g.in_aggs, anchor)):
        return False
    if g.bad_aggs is not None and (_member(g.bad_aggs, p) or
                                   _member(g.bad_aggs, anchor)):
        return False
    return True


cdef int _class_pairs(Engine e, Group g, int j, const uint8_t *anchors_ok,
                      Sharing sh, LVec *pairs) except -1:
    """Sorted unique (anchor << 32 | slot) that may serve class *j*."""
    cdef int32_t s, a, k
    cdef Column *c = &e.cols[g.cols[j]]
    for s in range(e.n):
        if not e.alive[s] or (g.tree >= 0 and e.root[s] != g.tree):
            continue
        if not fits(c, s, g.amounts[j]):
            continue
        if _pair_ok(g, anchors_ok, s, e.root[s]):
            lvec_push(pairs, ((<int64_t>e.root[s]) << 32) | s)
        if g.tree < 0 and e.sharing[s] and (
                g.in_aggs is None or _member(g.in_aggs, s)):
            for k in range(sh.off.data[s], sh.off.data[s + 1]):
                a = sh.anchors.data[k]
                if _pair_ok(g, anchors_ok, s, a):
                    lvec_push(pairs, ((<int64_t>a) << 32) | s)
    if pairs.len > 1:
        qsort(pairs.data, pairs.len, 8, _cmp_i64)
    cdef int64_t i, kept = 0
    for i in range(pairs.len):
        if kept == 0 or pairs.data[i] != pairs.data[kept - 1]:
            pairs.data[kept] = pairs.data[i]
            kept += 1
    pairs.len = kept
    return 0


cdef bint _together_ok(Engine e, Group g, int32_t *chosen, int m):
    """The unsuffixed group's traits, judged on the chosen providers."""
    cdef int i, w, r
    cdef bint hit
    cdef uint64_t *row
    for i in range(m):
        row = e.traits + chosen[i] * e.nwords
        for w in range(e.nwords):
            if row[w] & g.forb[w]:
                return False
    for r in range(g.nreq):
        hit = False
        for i in range(m):
            row = e.traits + chosen[i] * e.nwords
            for w in range(e.nwords):
                if row[w] & g.req[r * g.nwords + w]:
                    hit = True
                    break
            if hit:
                break
        if not hit:
            return False
    return True


cdef int _distinct_sorted(int32_t *src, int m, int32_t *out):
    """The distinct values of src[:m], ascending, into *out*; their count."""
    cdef int i, j, k, n = 0
    cdef int32_t x
    for i in range(m):
        x = src[i]
        j = n
        while j > 0 and out[j - 1] > x:
            j -= 1
        if j > 0 and out[j - 1] == x:
            continue
        k = n
        while k > j:
            out[k] = out[k - 1]
            k -= 1
        out[j] = x
        n += 1
    return n


cdef int _tree_options(Engine e, Group g, const uint8_t *anchors_ok,
                       Sharing sh, Options *o) except -1:
    """Options of the unsuffixed group: one provider per class, from one
    tree and the sharing providers associated with it."""
    cdef int m = g.ncls, j, nm
    cdef LVec pairs[64]
    cdef int64_t pos[64]
    cdef int64_t lo[64]
    cdef int64_t hi[64]
    cdef int32_t chosen[64]
    cdef int32_t mapped[64]
    cdef int32_t anchor
    cdef int64_t best
    cdef bint ready
    if m == 0 or m > 64 or g.tree == -2:
        return 0
    memset(pairs, 0, sizeof(pairs))
    try:
        for j in range(m):
            _class_pairs(e, g, j, anchors_ok, sh, &pairs[j])
            if pairs[j].len == 0:
                return 0
            pos[j] = 0
        while True:
            # The smallest anchor present in every class (a merge walk).
            best = -1
            ready = True
            for j in range(m):
                if pos[j] >= pairs[j].len:
                    return 0
                if (pairs[j].data[pos[j]] >> 32) > best:
                    best = pairs[j].data[pos[j]] >> 32
            for j in range(m):
                while pos[j] < pairs[j].len and \
                        (pairs[j].data[pos[j]] >> 32) < best:
                    pos[j] += 1
                if pos[j] >= pairs[j].len:
                    return 0
                if (pairs[j].data[pos[j]] >> 32) != best:
                    ready = False
            if not ready:
                continue
            anchor = <int32_t>best
            for j in range(m):
                lo[j] = pos[j]
                hi[j] = pos[j]
                while hi[j] < pairs[j].len and \
                        (pairs[j].data[hi[j]] >> 32) == best:
                    hi[j] += 1
            _anchor_products(e, g, o, anchor, m, pairs, lo, hi, chosen,
                             mapped)
            for j in range(m):
                pos[j] = hi[j]
    finally:
        for j in range(m):
            lvec_free(&pairs[j])


cdef int _anchor_products(Engine e, Group g, Options *o, int32_t anchor,
                          int m, LVec *pairs, int64_t *lo, int64_t *hi,
                          int32_t *chosen, int32_t *mapped) except -1:
    cdef int64_t idx[64]
    cdef int j, nm
    for j in range(m):
        idx[j] = lo[j]
    while True:
        for j in range(m):
            chosen[j] = <int32_t>(pairs[j].data[idx[j]] & 0xffffffff)
        if _together_ok(e, g, chosen, m):
            nm = _distinct_sorted(chosen, m, mapped)
            _add_option(o, anchor, chosen, m, mapped, nm)
        j = m - 1
        while j >= 0:
            idx[j] += 1
            if idx[j] < hi[j]:
                break
            idx[j] = lo[j]
            j -= 1
        if j < 0:
            return 0
