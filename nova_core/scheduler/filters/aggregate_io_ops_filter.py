"""AggregateIoOpsFilter: IoOpsFilter with a per-aggregate limit.

The limit is the smallest ``max_io_ops_per_host`` metadata value of the
host's aggregates; without a valid one, ``[filter_scheduler]
max_io_ops_per_host``.
"""

from nova_core.scheduler.filters import aggregate_metadata
from nova_core.scheduler.filters import io_ops_filter

KEY = 'max_io_ops_per_host'


class AggregateIoOpsFilter(io_ops_filter.IoOpsFilter):
    """Hosts not too busy with I/O, by their aggregates' limit."""

    def max_io_ops(self, host_state, spec):
        return aggregate_metadata.min_int(
            host_state, KEY, self.conf.filter_scheduler.max_io_ops_per_host)
