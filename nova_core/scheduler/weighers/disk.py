"""DiskWeigher: prefer hosts with more free disk (or less, with a negative
``[filter_scheduler] disk_weight_multiplier``)."""

from nova_core.scheduler import weighers


class DiskWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by free local disk."""

    multiplier_option = 'disk_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        return host_state.free_disk_mb

    def weigh_objects(self, hosts, spec):
        if type(self)._weigh_object is not DiskWeigher._weigh_object:
            return super().weigh_objects(hosts, spec)
        return [host.free_disk_mb for host in hosts]
