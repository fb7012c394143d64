# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Cython core of the allocation-candidate engine: plain arrays in, plain arrays out.

:class:`Engine` holds every provider as a *slot* (a small integer) in C
arrays: its parent and root slots, a trait bitset, whether it shares its
inventory through aggregates, and one inventory column per resource class
(total, reserved, min/max unit, step, ratio, used). Slots are updated in
place, one provider at a time, so that keeping the engine fresh costs what
changed, not the size of the cloud.

:func:`search` takes compiled request groups (:class:`Group`: columns and
amounts, trait masks, provider bitmaps for aggregates, the tree) and finds
the candidates: each group's *options* (an anchor root and the slots that
serve the group there), then every combination of one option per group
under the same anchor, checked for ``isolate``, ``same_subtree``, the
summed capacity and duplicates. Combinations are walked lazily, so a
``limit`` stops the walk early and memory stays bounded by the answer.
:class:`Found` holds the answer as arrays; the ``render_*`` functions turn
it into JSON bytes without building Python objects per candidate.

Names, uuids, ids, the database and HTTP are the Python glue's business
(``nova_core.placement.candidate_search`` and ``candidate_snapshot``).
"""

from libc.stdint cimport int32_t, int64_t, uint8_t, uint64_t
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, memset

include "_fastalloc_vec.pxi"

cdef enum:
    UUID_LEN = 36


cdef struct Column:
    uint8_t *present
    int64_t *total
    int64_t *reserved
    int64_t *min_unit
    int64_t *max_unit
    int64_t *step
    double *ratio
    int64_t *used


cdef inline bint fits(Column *c, int32_t s, int64_t amount) nogil:
    """One more allocation of *amount* from slot *s* (unrounded capacity)."""
    if not c.present[s]:
        return False
    if amount < c.min_unit[s] or amount > c.max_unit[s]:
        return False
    if c.step[s] > 0 and amount % c.step[s] != 0:
        return False
    return <double>(c.used[s] + amount) <= \
        <double>(c.total[s] - c.reserved[s]) * c.ratio[s]


cdef inline int64_t capacity(Column *c, int32_t s) nogil:
    return <int64_t>(<double>(c.total[s] - c.reserved[s]) * c.ratio[s])


cdef class Engine:
    """Every provider's place, traits and inventories, in C arrays."""

    cdef readonly int n          # slots handed out (alive or not)
    cdef int cap
    cdef readonly int nwords     # 64-bit words per trait bitset
    cdef readonly int ncols
    cdef int colcap
    cdef int32_t *parent
    cdef int32_t *root
    cdef uint8_t *alive
    cdef uint8_t *sharing
    cdef uint64_t *traits
    cdef char *uuids
    cdef Column *cols
    # Bumped by every change of the providers' places, trait bits or
    # liveness: what was computed from those at one value still holds.
    cdef readonly uint64_t shape
    cdef uint64_t _flags_at      # shape + 1 when the flags below were set
    cdef bint _trees, _sharing, _flat

    def __cinit__(self):
        self.n = 0
        self.cap = 0
        self.nwords = 1
        self.ncols = 0
        self.colcap = 0
        self.shape = 0
        self._flags_at = 0

    def __dealloc__(self):
        cdef int i
        for i in range(self.ncols):
            _free_column(&self.cols[i])
        free(self.cols)
        free(self.parent)
        free(self.root)
        free(self.alive)
        free(self.sharing)
        free(self.traits)
        free(self.uuids)

    cdef void _grow(self, int want) except *:
        cdef int newcap = self.cap or 64
        cdef int i
        while newcap < want:
            newcap *= 2
        if newcap == self.cap:
            return
        self.parent = <int32_t *>_resize(self.parent, self.cap, newcap, 4)
        self.root = <int32_t *>_resize(self.root, self.cap, newcap, 4)
        self.alive = <uint8_t *>_resize(self.alive, self.cap, newcap, 1)
        self.sharing = <uint8_t *>_resize(self.sharing, self.cap, newcap, 1)
        self.uuids = <char *>_resize(self.uuids, self.cap, newcap, UUID_LEN)
        self.traits = <uint64_t *>_resize(
            self.traits, self.cap * self.nwords, newcap * self.nwords, 8)
        for i in range(self.ncols):
            _resize_column(&self.cols[i], self.cap, newcap)
        self.cap = newcap

    def new_slot(self, bytes uuid):
        """A fresh slot for a provider (a root without traits for now)."""
        if len(uuid) != UUID_LEN:
            raise ValueError('uuid must be %d bytes' % UUID_LEN)
        self._grow(self.n + 1)
        cdef int s = self.n
        self.n += 1
        memcpy(self.uuids + s * UUID_LEN, <char *>uuid, UUID_LEN)
        self.parent[s] = -1
        self.root[s] = s
        self.alive[s] = 1
        self.sharing[s] = 0
        self.shape += 1
        return s

    def place(self, int s, int parent, int root):
        self._check(s)
        self.parent[s] = parent
        self.root[s] = root
        self.shape += 1

    def kill(self, int s):
        """The provider is gone: its slot never matches again."""
        self._check(s)
        self.alive[s] = 0
        self.shape += 1
        self.clear_inventory(s)
        memset(self.traits + s * self.nwords, 0, self.nwords * 8)

    def set_traits(self, int s, bits, bint sharing):
        """Replace the slot's trait bits; *sharing*: it shares via aggregates."""
        self._check(s)
        cdef int top = max(bits) if bits else 0
        if top >= self.nwords * 64:
            self._widen((top // 64) + 1)
        cdef uint64_t *row = self.traits + s * self.nwords
        memset(row, 0, self.nwords * 8)
        cdef int b
        for b in bits:
            row[b >> 6] |= (<uint64_t>1) << (b & 63)
        self.sharing[s] = sharing
        self.shape += 1

    cdef void _widen(self, int nwords) except *:
        cdef uint64_t *wide = <uint64_t *>malloc(
            max(self.cap, 1) * nwords * 8)
        if wide == NULL:
            raise MemoryError()
        memset(wide, 0, max(self.cap, 1) * nwords * 8)
        cdef int s
        for s in range(self.cap):
            memcpy(wide + s * nwords, self.traits + s * self.nwords,
                   self.nwords * 8)
        free(self.traits)
        self.traits = wide
        self.nwords = nwords

    def add_column(self):
        """A new resource-class column; returns its index."""
        if self.ncols == self.colcap:
            self.colcap = self.colcap * 2 or 8
            self.cols = <Column *>realloc(self.cols,
                                          self.colcap * sizeof(Column))
            if self.cols == NULL:
                raise MemoryError()
        memset(&self.cols[self.ncols], 0, sizeof(Column))
        _resize_column(&self.cols[self.ncols], 0, self.cap)
        self.ncols += 1
        return self.ncols - 1

    def clear_inventory(self, int s):
        self._check(s)
        cdef int i
        for i in range(self.ncols):
            self.cols[i].present[s] = 0

    def set_inventory(self, int s, int col, int64_t total, int64_t reserved,
                      int64_t min_unit, int64_t max_unit, int64_t step,
                      double ratio, int64_t used):
        self._check(s)
        if col < 0 or col >= self.ncols:
            raise IndexError(col)
        cdef Column *c = &self.cols[col]
        c.present[s] = 1
        c.total[s] = total
        c.reserved[s] = reserved
        c.min_unit[s] = min_unit
        c.max_unit[s] = max_unit
        c.step[s] = step
        c.ratio[s] = ratio
        c.used[s] = used

    def set_used(self, int s, int col, int64_t used):
        """Only the usage of slot *s* in column *col* changes."""
        self._check(s)
        if col < 0 or col >= self.ncols:
            raise IndexError(col)
        self.cols[col].used[s] = used

    def inventory(self, int s, int col):
        """``(capacity, used)`` of slot *s* in column *col*, or None."""
        self._check(s)
        cdef Column *c = &self.cols[col]
        if not c.present[s]:
            return None
        return capacity(c, s), c.used[s]

    cdef void _flags(self):
        """Set the flags below for the current shape (once per shape)."""
        cdef int s
        if self._flags_at == self.shape + 1:
            return
        self._trees = self._sharing = False
        self._flat = True
        for s in range(self.n):
            if not self.alive[s]:
                continue
            if self.parent[s] >= 0:
                self._trees = True
            if self.root[s] != s:
                self._flat = False
            if self.sharing[s]:
                self._sharing = True
        self._flat = self._flat and not self._trees
        self._flags_at = self.shape + 1

    def has_trees(self):
        """Some live provider has a parent."""
        self._flags()
        return self._trees

    def has_sharing(self):
        """Some live provider shares its inventory through aggregates."""
        self._flags()
        return self._sharing

    def is_flat(self):
        """Every live provider is the root of its own tree, alone."""
        self._flags()
        return self._flat

    def root_of(self, int s):
        self._check(s)
        return self.root[s]

    def roots_matching(self, bytes required, bytes forbidden, int nrequired):
        """A byte per slot: 1 for live roots having every trait of
        *required* (a mask of *nrequired* traits, all needed) and none of
        *forbidden*."""
        cdef bytearray out = bytearray(self.n)
        cdef uint64_t req[256]
        cdef uint64_t forb[256]
        cdef int s, w, have
        cdef uint64_t *row
        if self.nwords > 256:
            raise ValueError('too many traits')
        _copy_mask(req, required, self.nwords)
        _copy_mask(forb, forbidden, self.nwords)
        have = 0
        for w in range(self.nwords):
            have += _popcount(req[w])
        if have < nrequired:
            return bytes(out)  # a required trait no provider has
        for s in range(self.n):
            if not self.alive[s] or self.parent[s] >= 0:
                continue
            row = self.traits + s * self.nwords
            for w in range(self.nwords):
                if (row[w] & req[w]) != req[w] or (row[w] & forb[w]):
                    break
            else:
                out[s] = 1
        return bytes(out)

    def sharing_slots(self):
        return [s for s in range(self.n) if self.alive[s] and self.sharing[s]]

    def roots_of(self):
        return [self.root[s] for s in range(self.n)]

    def parents_of(self):
        return [self.parent[s] for s in range(self.n)]

    def is_alive(self, int s):
        return bool(self.alive[s])

    def mask(self, bits):
        """A trait bitset (bytes) for *bits*, as wide as the engine's."""
        cdef bytearray out = bytearray(self.nwords * 8)
        cdef uint64_t *words = <uint64_t *><char *>out
        cdef int b
        for b in bits:
            if b < self.nwords * 64:
                words[b >> 6] |= (<uint64_t>1) << (b & 63)
        return bytes(out)

    cdef void _check(self, int s) except *:
        if s < 0 or s >= self.n:
            raise IndexError(s)


cdef inline int _popcount(uint64_t x):
    cdef int n = 0
    while x:
        x &= x - 1
        n += 1
    return n


cdef void *_resize(void *ptr, int old, int new, int size) except NULL:
    cdef void *out = realloc(ptr, max(new, 1) * size)
    if out == NULL:
        raise MemoryError()
    if new > old:
        memset(<char *>out + old * size, 0, (new - old) * size)
    return out


cdef void _resize_column(Column *c, int old, int new) except *:
    c.present = <uint8_t *>_resize(c.present, old, new, 1)
    c.total = <int64_t *>_resize(c.total, old, new, 8)
    c.reserved = <int64_t *>_resize(c.reserved, old, new, 8)
    c.min_unit = <int64_t *>_resize(c.min_unit, old, new, 8)
    c.max_unit = <int64_t *>_resize(c.max_unit, old, new, 8)
    c.step = <int64_t *>_resize(c.step, old, new, 8)
    c.ratio = <double *>_resize(c.ratio, old, new, 8)
    c.used = <int64_t *>_resize(c.used, old, new, 8)


cdef void _free_column(Column *c):
    free(c.present)
    free(c.total)
    free(c.reserved)
    free(c.min_unit)
    free(c.max_unit)
    free(c.step)
    free(c.ratio)
    free(c.used)


include "_fastalloc_search.pxi"
include "_fastalloc_combine.pxi"
include "_fastalloc_render.pxi"
