"""ServerGroupAffinityFilter: members of an ``affinity`` group share a host."""

from nova_core.scheduler import filters


def group_of(spec, policy):
    """The request's server group if its policy is *policy*, else None."""
    group = spec.get('instance_group')
    if not group or group.get('policy') != policy:
        return None
    return group


def members_on_host(group, host_state):
    """How many of the group's members the host holds."""
    members = set(group.get('members') or ())
    count = len(members.intersection(host_state.instances or {}))
    if not count and host_state.host in (group.get('hosts') or ()):
        # The host runs a member the host manager did not list (another
        # cell's view, or a member being built): trust the group's record.
        count = 1
    return count


class ServerGroupAffinityFilter(filters.BaseHostFilter):
    """The first member goes anywhere; the others follow it."""

    RUN_ON_REBUILD = False

    def passes_all(self, spec):
        group = group_of(spec, 'affinity')
        return group is None or not group.get('hosts')

    def host_passes(self, host_state, spec):
        group = group_of(spec, 'affinity')
        if group is None:
            return True
        hosts = group.get('hosts') or ()
        return not hosts or host_state.host in hosts

    def why(self, host_state, spec):
        group = group_of(spec, 'affinity') or {}
        return 'server group %s (affinity) lives on %s' % (
            group.get('uuid'), ', '.join(sorted(group.get('hosts') or ())))
