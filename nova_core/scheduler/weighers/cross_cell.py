"""CrossCellWeigher: for a move allowed to cross cells, prefer the source
cell (``[filter_scheduler] cross_cell_move_weight_multiplier``).

A move across cells copies the instance between databases and is far more
costly than one within its cell, so by default (multiplier 1000000) another
cell is chosen only when no host of the source cell passes the filters.

The request spec says it is such a move with ``requested_destination``
``{"allow_cross_cell_move": true}``; the source cell is
``requested_destination.source_cell_uuid``, else the spec's
``source_cell_uuid``. Any other request weighs 0 everywhere.
"""

from nova_core.scheduler import weighers


def source_cell(spec):
    """The source cell uuid of a cross-cell move request, else None."""
    destination = spec.get('requested_destination') or {}
    if not destination.get('allow_cross_cell_move'):
        return None
    return destination.get('source_cell_uuid') or spec.get('source_cell_uuid')


class CrossCellWeigher(weighers.BaseHostWeigher):
    """1 for hosts in the source cell of a cross-cell move, else 0."""

    minval = 0
    maxval = 1
    multiplier_option = 'cross_cell_move_weight_multiplier'

    def _weigh_object(self, host_state, spec):
        cell = source_cell(spec)
        return 1 if cell is not None and host_state.cell_uuid == cell else 0
