"""AggregateInstanceExtraSpecsFilter: flavor extra specs vs aggregate metadata.

Extra specs scoped ``aggregate_instance_extra_specs:`` and unscoped ones
are requirements on the metadata of the host's aggregates: some aggregate
value of the key must satisfy it (Nova's operators, ``extra_specs_ops``);
a key no aggregate of the host sets fails. Other scopes (``hw:``,
``trait:``, ``capabilities:``...) are not this filter's.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import aggregate_metadata
from nova_core.scheduler.filters import extra_specs_ops

SCOPE = 'aggregate_instance_extra_specs'

# Unscoped keys that are placement's, not aggregate metadata.
_NOT_METADATA = frozenset(['group_policy'])


def _metadata_key(key):
    """The aggregate metadata key an extra spec names, or None."""
    parts = key.split(':', 1)
    if len(parts) == 1:
        return None if key in _NOT_METADATA else key
    if parts[0] != SCOPE:
        return None
    return parts[1]


class AggregateInstanceExtraSpecsFilter(filters.RequirementsFilter):
    """Hosts whose aggregates' metadata satisfies the flavor's extra specs."""

    RUN_ON_REBUILD = False

    def first_unmet(self, host_state, spec):
        extra_specs = ((spec.get('flavor') or {}).get('extra_specs') or {})
        if not extra_specs:
            return None
        metadata = aggregate_metadata.metadata_by_key(host_state)
        for key in sorted(extra_specs):
            name = _metadata_key(key)
            if not name:
                continue
            requirement = extra_specs[key]
            values = metadata.get(name)
            if not values:
                return key, requirement, None
            if not any(extra_specs_ops.match(value, requirement)
                       for value in values):
                return key, requirement, values
        return None

    def describe(self, key, requirement, values):
        if values is None:
            return 'extra spec %s=%r: no aggregate of the host sets it' % (
                key, requirement)
        return 'extra spec %s=%r: aggregates have %s' % (
            key, requirement, ', '.join(sorted(values)))
