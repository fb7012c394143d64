"""ServerGroupSoftAffinityWeigher / ServerGroupSoftAntiAffinityWeigher.

For a request in a server group of policy ``soft-affinity``, a host weighs
the number of the group's members it runs (more is better); for
``soft-anti-affinity`` the negated number (fewer is better). Other requests
weigh 0 everywhere. Multipliers: ``[filter_scheduler]
soft_affinity_weight_multiplier`` and ``soft_anti_affinity_weight_multiplier``.

The members placed by the earlier instances of the same multi-create count:
the scheduler adds each to the group and to its host as it goes.
"""

from nova_core.scheduler import weighers


class _SoftAffinityBase(weighers.BaseHostWeigher):

    policy = None

    def _members_on_host(self, host_state, spec):
        group = spec.get('instance_group') or {}
        if group.get('policy') != self.policy:
            return 0
        members = set(group.get('members') or ())
        return len(members.intersection(host_state.instances or {}))


class ServerGroupSoftAffinityWeigher(_SoftAffinityBase):
    """Prefer the hosts running the most members of the group."""

    policy = 'soft-affinity'
    multiplier_option = 'soft_affinity_weight_multiplier'

    def _weigh_object(self, host_state, spec):
        return self._members_on_host(host_state, spec)


class ServerGroupSoftAntiAffinityWeigher(_SoftAffinityBase):
    """Prefer the hosts running the fewest members of the group."""

    policy = 'soft-anti-affinity'
    multiplier_option = 'soft_anti_affinity_weight_multiplier'

    def _weigh_object(self, host_state, spec):
        return -self._members_on_host(host_state, spec)
