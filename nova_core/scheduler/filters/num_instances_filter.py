"""NumInstancesFilter: hosts with fewer than ``max_instances_per_host``.

``host_state.num_instances`` counts the host's instances (plus the ones
this scheduler placed there since); the limit is ``[filter_scheduler]
max_instances_per_host``.
"""

from nova_core.scheduler import filters


class NumInstancesFilter(filters.BaseHostFilter):
    """Hosts not holding too many instances."""

    RUN_ON_REBUILD = False

    def max_instances(self, host_state, spec):
        """The limit that applies to *host_state*."""
        return self.conf.filter_scheduler.max_instances_per_host

    def host_passes(self, host_state, spec):
        return (host_state.num_instances or 0) < self.max_instances(
            host_state, spec)

    def why(self, host_state, spec):
        return 'host holds %d instance(s), max_instances_per_host is %d' % (
            host_state.num_instances or 0,
            self.max_instances(host_state, spec))
