"""DiskWeigher: prefer hosts with more free disk (or less, with a negative
``[filter_scheduler] disk_weight_multiplier``)."""

from nova_core.scheduler import weighers


class DiskWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by free local disk."""

    multiplier_option = 'disk_weight_multiplier'

    def _weigh_object(self, host_state, spec):
        return host_state.free_disk_mb
