"""SameHostFilter: scheduler hint ``same_host``, instance uuids to join.

A host passes if it runs at least one of the instances listed; without the
hint every host passes. The host manager loads those instances into
``host_state.instances``.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import hints


class SameHostFilter(filters.BaseHostFilter):
    """Hosts running one of the ``same_host`` instances."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec):
        wanted = set(hints.hint_list(spec, 'same_host'))
        if not wanted:
            return True
        return bool(wanted.intersection(host_state.instances or {}))

    def why(self, host_state, spec):
        return 'runs none of the same_host instances %s' % ', '.join(
            sorted(hints.hint_list(spec, 'same_host')))
