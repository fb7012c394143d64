"""MetricsWeigher: weigh hosts by the metrics their compute reports.

``[metrics] weight_setting = cpu.frequency=1.0, cpu.percent=-0.5`` gives a
host ``frequency * 1.0 + percent * -0.5``; the sum is normalised like any
weight and multiplied by ``[metrics] weight_multiplier`` (overridden per
host by aggregate metadata ``metrics_weight_multiplier``). A host missing a
weighted metric makes the request fail with ComputeHostMetricNotFound when
``[metrics] required`` (the default: pair the weigher with MetricsFilter),
else weighs ``[metrics] weight_of_unavailable``.
"""

from nova_core import exception
from nova_core.scheduler import weighers


def host_metrics(host_state):
    """{name: value} of the host's metrics (Nova's list form accepted)."""
    metrics = getattr(host_state, 'metrics', None) or {}
    if isinstance(metrics, dict):
        return metrics
    return {m['name']: m.get('value') for m in metrics
            if isinstance(m, dict) and 'name' in m}


class MetricsWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by a weighted sum of their metrics."""

    multiplier_option = 'weight_multiplier'
    multiplier_group = 'metrics'

    def __init__(self, conf):
        super().__init__(conf)
        self.setting = weighers.parse_setting(
            conf.metrics.weight_setting, '[metrics] weight_setting')

    def weight_multiplier(self, host_state):
        # The aggregate key is Nova's, not the option's bare name.
        return weighers.aggregate_multiplier(
            host_state, 'metrics_weight_multiplier',
            self.conf.metrics.weight_multiplier)

    def _weigh_object(self, host_state, spec):
        metrics = host_metrics(host_state)
        value = 0.0
        for name, ratio in self.setting:
            try:
                value += float(metrics[name]) * ratio
            except (KeyError, TypeError, ValueError):
                if self.conf.metrics.required:
                    raise exception.ComputeHostMetricNotFound(
                        host=host_state.host, node=host_state.nodename,
                        name=name)
                # Unusable when it would count at all: put it last.
                if ratio * self.weight_multiplier(host_state) != 0:
                    return self.conf.metrics.weight_of_unavailable
        return value
