"""Handlers of /resource_providers/{uuid}/usages and /usages."""

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement.handlers import render
from nova_core.placement.objects import usage as usage_obj
from nova_core.placement.policies import usage as policies
from nova_core.placement.schemas import usage as schema


# Usages answer "what is used now": Last-Modified (from 1.15) is always
# now, not the time of the newest allocation.

@validation.accepts(validation.JSON)
def list_provider_usages(req):
    req.context.can(policies.PROVIDER_USAGES)
    uuid = req.path_arg('uuid')
    try:
        provider, usages = usage_obj.for_provider(req.context, uuid)
    except exception.ResourceProviderNotFound as exc:
        raise fault.http_error(
            404, 'No resource provider with uuid %s found: %s' % (uuid, exc))
    return render.json(req, {
        'resource_provider_generation': provider.generation,
        'usages': {u.resource_class: u.usage for u in usages},
    })


@validation.accepts(validation.JSON)
def get_total_usages(req):
    """GET /usages?project_id=[&user_id=][&consumer_type=] (from 1.9)."""
    # The policy may depend on the project asked about, so it is checked
    # before the query string is validated, as upstream does.
    req.context.can(policies.TOTAL_USAGES,
                    target={'project_id': req.GET.get('project_id')})
    by_type = req.microversion.matches((1, 38))
    params = validation.query_params(
        req, schema.GET_USAGES_SCHEMA_1_38 if by_type
        else schema.GET_USAGES_SCHEMA_1_9)
    project_id, user_id = params['project_id'], params.get('user_id')
    if not by_type:
        usages = usage_obj.for_project(req.context, project_id, user_id)
        return render.json(
            req, {'usages': {u.resource_class: u.usage for u in usages}})
    grouped = {}
    for usage in usage_obj.by_consumer_type(
            req.context, project_id, user_id, params.get('consumer_type')):
        group = grouped.setdefault(
            usage.consumer_type, {'consumer_count': usage.consumer_count})
        group[usage.resource_class] = usage.usage
    return render.json(req, {'usages': grouped})
