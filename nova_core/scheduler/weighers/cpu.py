"""CPUWeigher: prefer hosts with more free vCPUs (or fewer, with a negative
``[filter_scheduler] cpu_weight_multiplier``)."""

from nova_core.scheduler import weighers


class CPUWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by free vCPUs (total times allocation ratio minus used)."""

    multiplier_option = 'cpu_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        return (host_state.vcpus_total * host_state.cpu_allocation_ratio -
                host_state.vcpus_used)

    def weigh_objects(self, hosts, spec):
        if type(self)._weigh_object is not CPUWeigher._weigh_object:
            return super().weigh_objects(hosts, spec)
        return [(host.vcpus_total * host.cpu_allocation_ratio -
                 host.vcpus_used) for host in hosts]
