# Growable C arrays used by the engine (included by _fastalloc.pyx).

cdef struct IVec:
    int32_t *data
    int64_t len
    int64_t cap


cdef struct LVec:
    int64_t *data
    int64_t len
    int64_t cap


cdef inline int ivec_push(IVec *v, int32_t x) except -1:
    cdef int64_t newcap
    cdef int32_t *grown
    if v.len == v.cap:
        newcap = v.cap * 2 if v.cap else 16
        grown = <int32_t *>realloc(v.data, newcap * 4)
        if grown == NULL:
            raise MemoryError()
        v.data = grown
        v.cap = newcap
    v.data[v.len] = x
    v.len += 1
    return 0


cdef inline int lvec_push(LVec *v, int64_t x) except -1:
    cdef int64_t newcap
    cdef int64_t *grown
    if v.len == v.cap:
        newcap = v.cap * 2 if v.cap else 16
        grown = <int64_t *>realloc(v.data, newcap * 8)
        if grown == NULL:
            raise MemoryError()
        v.data = grown
        v.cap = newcap
    v.data[v.len] = x
    v.len += 1
    return 0


cdef inline void ivec_free(IVec *v):
    free(v.data)
    v.data = NULL
    v.len = v.cap = 0


cdef inline void lvec_free(LVec *v):
    free(v.data)
    v.data = NULL
    v.len = v.cap = 0
