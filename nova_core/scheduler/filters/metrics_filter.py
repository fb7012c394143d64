"""MetricsFilter: hosts that report every metric the metrics weigher uses.

The metrics are the names of ``[metrics] weight_setting`` (``name=ratio``
entries); ``host_state.metrics`` maps the host's metric names to values.
With no weight_setting every host passes. (The option is the metrics
weigher's, in ``nova_core/conf/metrics.py``.)
"""

import logging

from nova_core.scheduler import filters

LOG = logging.getLogger(__name__)


def metric_names(conf):
    """The metric names of ``[metrics] weight_setting``.

    Entries that are not ``name=<number>`` are skipped (and logged), as the
    weigher skips them: a metric that is not weighed is not required.
    """
    names = []
    for entry in conf.metrics.weight_setting or ():
        name, sep, ratio = (part.strip() for part in entry.partition('='))
        try:
            float(ratio)
        except ValueError:
            sep = ''
        if not (name and sep):
            LOG.warning('Ignoring [metrics] weight_setting entry %r: not '
                        'name=ratio', entry)
            continue
        if name not in names:
            names.append(name)
    return names


class MetricsFilter(filters.BaseHostFilter):
    """Hosts reporting all the weighed metrics."""

    RUN_ON_REBUILD = False

    def __init__(self, conf):
        super().__init__(conf)
        self.names = metric_names(conf)

    def _missing(self, host_state):
        have = getattr(host_state, 'metrics', None) or {}
        return [name for name in self.names if name not in have]

    def host_passes(self, host_state, spec):
        return not self._missing(host_state)

    def why(self, host_state, spec):
        return 'host does not report metric(s) %s' % ', '.join(
            self._missing(host_state))
