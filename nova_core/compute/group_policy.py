"""The compute's late check of a server group's policy, before it builds.

Schedulers choose hosts from what the cells said a moment ago. Two
schedulers (or two requests of one) may both put members of an
anti-affinity group on one host, or members of an affinity group on two,
before either build records its host. As Nova's compute does, the host
that receives the build checks the group again, with its membership read
now, and hands the build back for a reschedule onto an alternate when the
policy would be broken. Soft policies are preferences: never checked here.

When a member counts on a host: its compute admitted it there, that is it
left the ``scheduling`` task state (the conductor names the host before the
compute has a say). The compute checks and admits under one lock, so two
builds of a group on one host are judged one after the other and the
second sees the first.
"""

from nova_core.scheduler.filters import anti_affinity_filter

# The task state of an instance its compute has not admitted yet.
_NOT_ADMITTED = ('building', 'scheduling')


def _admitted(member):
    return (member.get('vm_state'), member.get('task_state')) != _NOT_ADMITTED


def violation(group, host):
    """Why building another member of *group* on *host* breaks its policy,
    or None. *group* as the conductor's ``instance_group`` object action
    answers it: the other members, with their host and states."""
    if not group:
        return None
    policy = group.get('policy')
    members = [m for m in group.get('members') or () if _admitted(m)]
    if policy == 'anti-affinity':
        here = sorted(m['uuid'] for m in members if m.get('host') == host)
        # The rule as the scheduler's filter reads it.
        limit = anti_affinity_filter.max_per_host(group)
        if len(here) >= limit:
            return ('server group %s (anti-affinity): host %s already holds '
                    '%d member(s) (%s), max_server_per_host is %d' % (
                        group.get('uuid'), host, len(here), ', '.join(here),
                        limit))
    elif policy == 'affinity':
        hosts = sorted({m['host'] for m in members if m.get('host')})
        if hosts and host not in hosts:
            return ('server group %s (affinity): its members are on %s, '
                    'not on %s' % (group.get('uuid'), ', '.join(hosts),
                                   host))
    return None
