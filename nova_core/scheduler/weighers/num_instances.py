"""NumInstancesWeigher: weigh hosts by how many instances they run
(``[filter_scheduler] num_instances_weight_multiplier``: positive packs,
negative spreads, 0 (default) ignores)."""

from nova_core.scheduler import weighers


class NumInstancesWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by their instance count."""

    minval = 0
    multiplier_option = 'num_instances_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        return int(host_state.num_instances or 0)
