"""ServerGroupAntiAffinityFilter: members of an ``anti-affinity`` group spread.

The group's ``rules`` may set ``max_server_per_host`` (default 1): a host
passes while it holds fewer members than that.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import affinity_filter


def max_per_host(group):
    try:
        return max(1, int((group.get('rules') or {}).get(
            'max_server_per_host', 1)))
    except (TypeError, ValueError):
        return 1


class ServerGroupAntiAffinityFilter(filters.BaseHostFilter):
    """Hosts holding fewer than ``max_server_per_host`` group members."""

    RUN_ON_REBUILD = False

    def passes_all(self, spec):
        return affinity_filter.group_of(spec, 'anti-affinity') is None

    def host_passes(self, host_state, spec):
        group = affinity_filter.group_of(spec, 'anti-affinity')
        if group is None:
            return True
        return (affinity_filter.members_on_host(group, host_state) <
                max_per_host(group))

    def why(self, host_state, spec):
        group = affinity_filter.group_of(spec, 'anti-affinity') or {}
        return ('server group %s (anti-affinity): host already holds %d '
                'member(s), max_server_per_host is %d' % (
                    group.get('uuid'),
                    affinity_filter.members_on_host(group, host_state),
                    max_per_host(group)))
