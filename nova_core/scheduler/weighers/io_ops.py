"""IoOpsWeigher: prefer hosts with fewer I/O-heavy operations in progress
(or more, with a positive ``[filter_scheduler] io_ops_weight_multiplier``)."""

from nova_core.scheduler import weighers


class IoOpsWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by ``num_io_ops`` (builds, resizes, snapshots...)."""

    minval = 0
    multiplier_option = 'io_ops_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        count = getattr(host_state, 'num_io_ops', None)
        if count is None:
            # Nova's compute publishes the count as a stat.
            count = (host_state.stats or {}).get('io_workload') or 0
        return int(count)
