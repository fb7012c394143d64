"""HypervisorVersionWeigher: prefer hosts with a newer hypervisor (older,
with a negative ``[filter_scheduler]
hypervisor_version_weight_multiplier``)."""

from nova_core.scheduler import weighers


class HypervisorVersionWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by their hypervisor version (Nova's integer encoding)."""

    multiplier_option = 'hypervisor_version_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        try:
            return int(host_state.hypervisor_version or 0)
        except (TypeError, ValueError):
            # A driver reporting something else than a number: no opinion.
            return 0
