# JSON rendering of an answer (included by _fastalloc.pyx). Every string it
# writes is a uuid, a resource class, a trait or a group suffix: characters
# that JSON never escapes, which the glue checks before it hands them over.

from cpython.bytes cimport PyBytes_FromStringAndSize

cdef enum:
    REQUESTS_LIST = 0       # before 1.12: a list per request
    REQUESTS_DICT = 1       # 1.12: keyed by provider uuid
    REQUESTS_MAPPINGS = 2   # 1.34: and the mappings


cdef struct Buf:
    char *data
    int64_t len
    int64_t cap


cdef int _reserve(Buf *b, int64_t extra) except -1:
    cdef int64_t cap = b.cap or 65536
    cdef char *grown
    if b.len + extra <= b.cap:
        return 0
    while cap < b.len + extra:
        cap *= 2
    grown = <char *>realloc(b.data, cap)
    if grown == NULL:
        raise MemoryError()
    b.data = grown
    b.cap = cap
    return 0


cdef inline int _put(Buf *b, const char *s, int64_t n) except -1:
    _reserve(b, n)
    memcpy(b.data + b.len, s, n)
    b.len += n
    return 0


cdef inline int _puts(Buf *b, bytes s) except -1:
    return _put(b, <const char *>s, len(s))


cdef int _put_int(Buf *b, int64_t x) except -1:
    cdef char tmp[24]
    cdef int n = 0, i
    cdef uint64_t u
    _reserve(b, 24)
    if x < 0:
        b.data[b.len] = 45  # '-'
        b.len += 1
        u = <uint64_t>(-(x + 1)) + 1
    else:
        u = <uint64_t>x
    while True:
        tmp[n] = <char>(48 + u % 10)
        n += 1
        u //= 10
        if u == 0:
            break
    for i in range(n):
        b.data[b.len + i] = tmp[n - 1 - i]
    b.len += n
    return 0


cdef inline int _put_uuid(Buf *b, Engine e, int32_t s) except -1:
    _reserve(b, UUID_LEN + 2)
    b.data[b.len] = 34  # '"'
    memcpy(b.data + b.len + 1, e.uuids + s * UUID_LEN, UUID_LEN)
    b.data[b.len + UUID_LEN + 1] = 34
    b.len += UUID_LEN + 2
    return 0


cdef int _put_resources(Buf *b, Found f, int64_t k0, int64_t k1,
                        list col_names) except -1:
    """``{"VCPU": 1, ...}`` for entries k0:k1 (one slot)."""
    cdef int64_t k
    _puts(b, b'{')
    for k in range(k0, k1):
        if k > k0:
            _puts(b, b', ')
        _puts(b, b'"')
        _puts(b, col_names[f.acol.data[k]])
        _puts(b, b'": ')
        _put_int(b, f.aamt.data[k])
    _puts(b, b'}')
    return 0


cdef int _put_request(Buf *b, Engine e, Found f, int64_t i, list col_names,
                      list suffixes, int fmt) except -1:
    cdef int64_t k0 = f.aoff.data[i], k1 = f.aoff.data[i + 1], k, start
    cdef int g
    cdef int64_t base = i * f.ngroups
    _puts(b, b'{"allocations": ')
    _put(b, b'[' if fmt == REQUESTS_LIST else b'{', 1)
    k = k0
    while k < k1:
        start = k
        while k < k1 and f.aslot.data[k] == f.aslot.data[start]:
            k += 1
        if start > k0:
            _puts(b, b', ')
        if fmt == REQUESTS_LIST:
            _puts(b, b'{"resource_provider": {"uuid": ')
            _put_uuid(b, e, f.aslot.data[start])
            _puts(b, b'}, "resources": ')
            _put_resources(b, f, start, k, col_names)
            _puts(b, b'}')
        else:
            _put_uuid(b, e, f.aslot.data[start])
            _puts(b, b': {"resources": ')
            _put_resources(b, f, start, k, col_names)
            _puts(b, b'}')
    _put(b, b']' if fmt == REQUESTS_LIST else b'}', 1)
    if fmt == REQUESTS_MAPPINGS:
        _puts(b, b', "mappings": {')
        for g in range(f.ngroups):
            if g:
                _puts(b, b', ')
            _puts(b, b'"')
            _puts(b, suffixes[g])
            _puts(b, b'": [')
            for k in range(f.moff.data[base + g], f.moff.data[base + g + 1]):
                if k > f.moff.data[base + g]:
                    _puts(b, b', ')
                _put_uuid(b, e, f.mslot.data[k])
            _puts(b, b']')
        _puts(b, b'}')
    _puts(b, b'}')
    return 0


cdef int _put_summary(Buf *b, Engine e, int32_t s, list col_names,
                      const uint8_t *wanted_cols, bytes traits,
                      bint tree_uuids) except -1:
    cdef int c, n = 0
    cdef Column *col
    _put_uuid(b, e, s)
    _puts(b, b': {"resources": {')
    for c in range(e.ncols):
        col = &e.cols[c]
        if not col.present[s] or (wanted_cols != NULL and not wanted_cols[c]):
            continue
        if n:
            _puts(b, b', ')
        n += 1
        _puts(b, b'"')
        _puts(b, col_names[c])
        _puts(b, b'": {"capacity": ')
        _put_int(b, capacity(col, s))
        _puts(b, b', "used": ')
        _put_int(b, col.used[s])
        _puts(b, b'}')
    _puts(b, b'}')
    if traits is not None:
        _puts(b, b', "traits": ')
        _puts(b, traits)
    if tree_uuids:
        _puts(b, b', "parent_provider_uuid": ')
        if e.parent[s] >= 0:
            _put_uuid(b, e, e.parent[s])
        else:
            _puts(b, b'null')
        _puts(b, b', "root_provider_uuid": ')
        _put_uuid(b, e, e.root[s])
    _puts(b, b'}')
    return 0


def render(Engine engine, Found found, selected, list summaries,
           list col_names, list suffixes, int requests_format,
           bytes wanted_cols, list traits_json, bint tree_uuids):
    """The body of ``GET /allocation_candidates`` as JSON bytes.

    *selected*: candidate indexes in answer order (None: all, in order);
    *summaries*: slots to describe; *col_names*, *suffixes*: bytes per
    column / per group; *requests_format*: 0 list (< 1.12), 1 dict, 2 dict
    with mappings (1.34); *wanted_cols*: a byte per column, 1 for classes to
    describe (None: all, 1.27); *traits_json*: per slot the JSON list of its
    trait names, or None to leave traits out (< 1.17); *tree_uuids*: add
    parent and root uuids (1.29).
    """
    cdef Buf b
    cdef int64_t i, n = 0
    cdef int32_t s
    cdef const uint8_t *wanted = NULL
    if wanted_cols is not None:
        if len(wanted_cols) < engine.ncols:
            raise ValueError('wanted_cols is shorter than the columns')
        wanted = <const uint8_t *><const char *>wanted_cols
    if len(col_names) < engine.ncols or len(suffixes) != found.ngroups:
        raise ValueError('names do not match the answer')
    b.data = NULL
    b.len = b.cap = 0
    try:
        _puts(&b, b'{"allocation_requests": [')
        for i in (range(found.count) if selected is None else selected):
            if i < 0 or i >= found.count:
                raise IndexError(i)
            if n:
                _puts(&b, b', ')
            n += 1
            _put_request(&b, engine, found, i, col_names, suffixes,
                         requests_format)
        _puts(&b, b'], "provider_summaries": {')
        n = 0
        for s in summaries:
            if n:
                _puts(&b, b', ')
            n += 1
            _put_summary(&b, engine, s, col_names, wanted,
                         None if traits_json is None else traits_json[s],
                         tree_uuids)
        _puts(&b, b'}}')
        return PyBytes_FromStringAndSize(b.data, b.len)
    finally:
        free(b.data)



cdef inline int _put_i32(Buf *b, int32_t x) except -1:
    return _put(b, <const char *>&x, 4)


cdef inline int _put_i64(Buf *b, int64_t x) except -1:
    return _put(b, <const char *>&x, 8)


cdef bytes _bytes_of(Buf *b):
    """The buffer's bytes (freed)."""
    try:
        return PyBytes_FromStringAndSize(b.data, b.len)
    finally:
        free(b.data)
        b.data = NULL
        b.len = b.cap = 0


def compact_traits(list summaries, list traits_json):
    """(the distinct trait lists of *summaries*, as JSON bytes; the bytes
    of an int32 per provider: its list's position)."""
    cdef dict sets = {}
    cdef list unique = []
    cdef Buf b
    cdef int64_t k
    cdef int32_t x
    b.data = NULL
    b.len = b.cap = 0
    try:
        for k in range(len(summaries)):
            key = traits_json[summaries[k]]
            found = sets.get(key)
            if found is None:
                x = <int32_t>len(unique)
                sets[key] = x
                unique.append(key)
            else:
                x = <int32_t>found
            _put_i32(&b, x)
        return unique, _bytes_of(&b)
    finally:
        free(b.data)


cdef int _put_resources_of(Engine engine, list summaries, Buf *off,
                           Buf *res) except -1:
    """The res_off and res sections of the providers *summaries*."""
    cdef int64_t k
    cdef int32_t s, c
    cdef Column *col
    _put_i32(off, 0)
    for k in range(len(summaries)):
        s = summaries[k]
        if s < 0 or s >= engine.n:
            raise IndexError(s)
        for c in range(engine.ncols):
            col = &engine.cols[c]
            if not col.present[s]:
                continue
            _put_i64(res, c)
            _put_i64(res, capacity(col, s))
            _put_i64(res, col.used[s])
        _put_i32(off, <int32_t>res.len)
    return 0


def compact_resources(Engine engine, list summaries):
    """The res_off and res sections of compact_sections() alone (the
    ones an answer of the same candidates but other usage changes)."""
    cdef Buf off, res
    off.data = res.data = NULL
    off.len = off.cap = res.len = res.cap = 0
    try:
        _put_resources_of(engine, summaries, &off, &res)
        return _bytes_of(&off), _bytes_of(&res)
    finally:
        free(off.data)
        free(res.data)


def compact_sections(Engine engine, Found found, selected, list summaries):
    """The arrays of the compact form of an answer, as bytes (native
    int32 / int64; the layout is documented where the handler offers it,
    ``nova_core.placement.handlers.allocation_candidate``): uuids,
    parents, roots, res_off, res, req_off, req, root_order, root_off,
    root_req, map_off, map.

    Every provider a candidate allocates from and every parent and root
    of a described provider must be in *summaries* (true of answers that
    know provider trees, microversion 1.29 and later); else ValueError.
    """
    cdef int64_t nsum = len(summaries), i, k, k0, k1, j, n
    cdef int32_t s, r, c, g, nroot = 0
    cdef Column *col
    cdef int32_t *index = NULL
    cdef int32_t *first = NULL     # per provider index: its root's order
    cdef int32_t *count = NULL     # per root order: candidates
    cdef int32_t *fill = NULL
    cdef int32_t *seen = NULL      # roots of the candidate being read
    cdef int32_t nseen
    cdef Buf bufs[12]
    cdef int32_t x
    for k in range(12):
        bufs[k].data = NULL
        bufs[k].len = bufs[k].cap = 0
    indexes = range(found.count) if selected is None else selected
    n = len(indexes)
    try:
        index = <int32_t *>malloc(max(engine.n, 1) * sizeof(int32_t))
        first = <int32_t *>malloc(max(nsum, 1) * sizeof(int32_t))
        count = <int32_t *>calloc(max(nsum, 1), sizeof(int32_t))
        fill = <int32_t *>calloc(max(nsum, 1), sizeof(int32_t))
        seen = <int32_t *>malloc((MAX_ENTRIES + 1) * sizeof(int32_t))
        if (index == NULL or first == NULL or count == NULL or
                fill == NULL or seen == NULL):
            raise MemoryError()
        for k in range(engine.n):
            index[k] = -1
        for k in range(nsum):
            index[<int32_t>summaries[k]] = <int32_t>k
            first[k] = -1
        # Providers: uuid, parent, root, resources.
        _put_resources_of(engine, summaries, &bufs[3], &bufs[4])
        for k in range(nsum):
            s = summaries[k]
            _put(&bufs[0], engine.uuids + s * UUID_LEN, UUID_LEN)
            if engine.parent[s] < 0:
                _put_i32(&bufs[1], -1)
            elif index[engine.parent[s]] < 0:
                raise ValueError('parent of slot %d not described' % s)
            else:
                _put_i32(&bufs[1], index[engine.parent[s]])
            if index[engine.root[s]] < 0:
                raise ValueError('root of slot %d not described' % s)
            _put_i32(&bufs[2], index[engine.root[s]])
        # Requests: allocations, the roots of their trees, mappings.
        _put_i32(&bufs[5], 0)
        _put_i32(&bufs[10], 0)
        for i in indexes:
            if i < 0 or i >= found.count:
                raise IndexError(i)
            k0 = found.aoff.data[i]
            k1 = found.aoff.data[i + 1]
            nseen = 0
            for k in range(k0, k1):
                s = found.aslot.data[k]
                if index[s] < 0:
                    raise ValueError('slot %d not described' % s)
                _put_i64(&bufs[6], index[s])
                _put_i64(&bufs[6], found.acol.data[k])
                _put_i64(&bufs[6], found.aamt.data[k])
                r = index[engine.root[s]]
                for j in range(nseen):
                    if seen[j] == r:
                        break
                else:
                    seen[nseen] = r
                    nseen += 1
                    if first[r] < 0:
                        first[r] = nroot
                        _put_i32(&bufs[7], r)
                        nroot += 1
                    count[first[r]] += 1
            _put_i32(&bufs[5], <int32_t>(bufs[6].len // 24))
            for g in range(found.ngroups):
                k0 = found.moff.data[i * found.ngroups + g]
                k1 = found.moff.data[i * found.ngroups + g + 1]
                for k in range(k0, k1):
                    _put_i32(&bufs[11], index[found.mslot.data[k]])
                _put_i32(&bufs[10], <int32_t>(bufs[11].len // 4))
        # Candidates per root, in the order of the roots' first use.
        x = 0
        _put_i32(&bufs[8], 0)
        for j in range(nroot):
            fill[j] = x
            x += count[j]
            _put_i32(&bufs[8], x)
        _reserve(&bufs[9], <int64_t>x * 4)
        bufs[9].len = <int64_t>x * 4
        j = 0
        for i in indexes:
            nseen = 0
            for k in range(found.aoff.data[i], found.aoff.data[i + 1]):
                r = index[engine.root[found.aslot.data[k]]]
                for c in range(nseen):
                    if seen[c] == r:
                        break
                else:
                    seen[nseen] = r
                    nseen += 1
                    x = <int32_t>j
                    memcpy(bufs[9].data + 4 * fill[first[r]], &x, 4)
                    fill[first[r]] += 1
            j += 1
        return [_bytes_of(&bufs[k]) for k in range(12)]
    finally:
        for k in range(12):
            free(bufs[k].data)
        free(index)
        free(first)
        free(count)
        free(fill)
        free(seen)
