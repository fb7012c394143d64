"""AggregateNumInstancesFilter: NumInstancesFilter with a per-aggregate limit.

The limit is the smallest ``max_instances_per_host`` metadata value of the
host's aggregates; without a valid one, ``[filter_scheduler]
max_instances_per_host``.
"""

from nova_core.scheduler.filters import aggregate_metadata
from nova_core.scheduler.filters import num_instances_filter

KEY = 'max_instances_per_host'


class AggregateNumInstancesFilter(num_instances_filter.NumInstancesFilter):
    """Hosts not holding too many instances, by their aggregates' limit."""

    def max_instances(self, host_state, spec):
        return aggregate_metadata.min_int(
            host_state, KEY,
            self.conf.filter_scheduler.max_instances_per_host)
