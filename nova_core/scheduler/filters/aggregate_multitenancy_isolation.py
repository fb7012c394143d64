"""AggregateMultiTenancyIsolation: aggregates reserved for some projects.

A host in an aggregate whose metadata has ``filter_tenant_id`` (or keys
starting with it, ``filter_tenant_id_2``... to list more projects than one
value holds; values may be comma lists) takes only instances of those
projects. Hosts in no such aggregate take every project.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import aggregate_metadata

KEY_PREFIX = 'filter_tenant_id'


def tenants_of(host_state):
    """The projects the host is reserved for (empty: any project)."""
    allowed = set()
    for key, values in aggregate_metadata.metadata_by_key(host_state).items():
        if key.startswith(KEY_PREFIX):
            allowed.update(values)
    return allowed


class AggregateMultiTenancyIsolation(filters.BaseHostFilter):
    """Hosts open to the request's project."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec):
        allowed = tenants_of(host_state)
        return not allowed or spec.get('project_id') in allowed

    def why(self, host_state, spec):
        return 'host reserved for project(s) %s, not %s' % (
            ', '.join(sorted(tenants_of(host_state))), spec.get('project_id'))
