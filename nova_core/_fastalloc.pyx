# cython: language_level=3, boundscheck=False, wraparound=False
"""Cython core of the allocation-candidate engine: plain arrays in and out.

This first version answers the innermost question of the engine: which
inventory rows can serve an amount of a resource, given capacity
``(total - reserved) * allocation_ratio - used`` and the ``min_unit`` /
``max_unit`` / ``step_size`` constraints. The Python glue in
``nova_core.placement.objects.candidate_engine`` prepares the arrays.
"""

from libc.stdint cimport int64_t


def fitting_rows(const int64_t[:] total, const int64_t[:] reserved,
                 const double[:] ratio, const int64_t[:] used,
                 const int64_t[:] min_unit, const int64_t[:] max_unit,
                 const int64_t[:] step_size, int64_t amount):
    """Indices of the rows whose inventory can serve *amount* more units."""
    cdef Py_ssize_t i, n = total.shape[0]
    cdef int64_t capacity
    cdef list result = []
    for i in range(n):
        if amount < min_unit[i] or amount > max_unit[i]:
            continue
        if step_size[i] > 0 and amount % step_size[i] != 0:
            continue
        capacity = <int64_t>((total[i] - reserved[i]) * ratio[i])
        if capacity - used[i] >= amount:
            result.append(i)
    return result
