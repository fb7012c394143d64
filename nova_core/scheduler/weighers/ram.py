"""RAMWeigher: prefer hosts with more free RAM (or less, with a negative
``[filter_scheduler] ram_weight_multiplier``)."""

from nova_core.scheduler import weighers


class RAMWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by free RAM (placement's capacity minus usage)."""

    multiplier_option = 'ram_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        return host_state.free_ram_mb

    def weigh_objects(self, hosts, spec):
        if type(self)._weigh_object is not RAMWeigher._weigh_object:
            return super().weigh_objects(hosts, spec)
        return [host.free_ram_mb for host in hosts]
