"""ComputeFilter: only hosts whose compute service is up and enabled."""

from nova_core.scheduler import filters


class ComputeFilter(filters.BaseHostFilter):
    """Pass hosts whose nova-compute service is up and not disabled."""

    RUN_ON_REBUILD = False

    HOST_BY_HOST = True

    JUDGES_HOST_ONLY = True

    def host_passes(self, host_state, spec):
        return host_state.service_up and not host_state.service_disabled

    def filter_all(self, hosts, spec):
        if type(self).host_passes is not ComputeFilter.host_passes:
            return super().filter_all(hosts, spec)
        return [host for host in hosts
                if host.service_up and not host.service_disabled]

    def why(self, host_state, spec):
        if host_state.service_disabled:
            reason = host_state.disabled_reason
            return 'compute service disabled' + (
                ' (%s)' % reason if reason else '')
        return 'compute service is down (no heartbeat in service_down_time)'
