"""BuildFailureWeigher: push back hosts whose recent builds failed.

The compute counts consecutive failed builds (reset by a success) and
reports them as the ``failed_builds`` stat; the weight is the negated count,
so with the default ``[filter_scheduler] build_failure_weight_multiplier``
of 1000000 a failing host loses against any other preference, yet remains
usable when it is the only one left.
"""

from nova_core.scheduler import weighers


def failed_builds(host_state):
    """The host's failed build count (attribute, else its stats)."""
    count = getattr(host_state, 'failed_builds', None)
    if count is None:
        count = (host_state.stats or {}).get('failed_builds') or 0
    try:
        return int(count)
    except (TypeError, ValueError):
        return 0


class BuildFailureWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by minus their recent failed builds."""

    multiplier_option = 'build_failure_weight_multiplier'
    WEIGHS_HOST_ONLY = True

    def _weigh_object(self, host_state, spec):
        return -failed_builds(host_state)
