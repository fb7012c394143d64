"""AggregateTypeAffinityFilter: aggregates reserved for some flavors.

A host in an aggregate with ``instance_type`` metadata (a flavor name, or
a comma list of names) takes only those flavors; a host in no such
aggregate takes every flavor.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import aggregate_metadata

KEY = 'instance_type'


class AggregateTypeAffinityFilter(filters.BaseHostFilter):
    """Hosts whose aggregates allow the request's flavor."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec):
        allowed = aggregate_metadata.values_of(host_state, KEY)
        return (not allowed or
                (spec.get('flavor') or {}).get('name') in allowed)

    def why(self, host_state, spec):
        return 'host aggregates allow flavor(s) %s, not %s' % (
            ', '.join(sorted(aggregate_metadata.values_of(host_state, KEY))),
            (spec.get('flavor') or {}).get('name'))
