"""Tenant isolation by aggregate
(``[scheduler] limit_tenants_to_placement_aggregate``).

An aggregate whose metadata has a key starting with ``filter_tenant_id``
(``filter_tenant_id``, ``filter_tenant_id2``...) whose value names the
request's project (or lists it, comma-separated) takes that project's
instances; the request must land in one of those aggregates. A project no
aggregate names goes anywhere, or nowhere with
``placement_aggregate_required_for_tenants``.
"""

from nova_core.scheduler.request_filters import constraints

NAME = 'tenant_aggregate'
KEY_PREFIX = 'filter_tenant_id'


def enabled(conf):
    return conf.scheduler.limit_tenants_to_placement_aggregate


def tenants_of(aggregate):
    """The projects an aggregate's metadata names."""
    names = set()
    for key, value in (aggregate.get('metadata') or {}).items():
        if key.startswith(KEY_PREFIX) and value:
            names.update(v.strip() for v in str(value).split(',')
                         if v.strip())
    return names


def apply(conf, ctx, spec, aggregates):
    project = spec.get('project_id') or getattr(ctx, 'project_id', None)
    mine = [agg['uuid'] for agg in aggregates()
            if project in tenants_of(agg)]
    if mine:
        constraints.require_aggregates(spec, mine)
        return 'member_of in:%s (project %s)' % (','.join(sorted(mine)),
                                                  project)
    if conf.scheduler.placement_aggregate_required_for_tenants:
        raise constraints.Refused(
            'no host aggregate is assigned to project %s '
            '(placement_aggregate_required_for_tenants)' % project)
    return None
