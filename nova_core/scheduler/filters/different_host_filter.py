"""DifferentHostFilter: scheduler hint ``different_host``, uuids to avoid.

A host passes if it runs none of the instances listed; without the hint
every host passes. The host manager loads those instances into
``host_state.instances``.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import hints


class DifferentHostFilter(filters.BaseHostFilter):
    """Hosts running none of the ``different_host`` instances."""

    RUN_ON_REBUILD = False

    def _present(self, host_state, spec):
        avoid = set(hints.hint_list(spec, 'different_host'))
        return sorted(avoid.intersection(host_state.instances or {}))

    def host_passes(self, host_state, spec):
        return not self._present(host_state, spec)

    def why(self, host_state, spec):
        return 'runs different_host instance(s) %s' % ', '.join(
            self._present(host_state, spec))
