"""Handlers of /resource_providers/{uuid}/aggregates (microversion 1.1 on)."""

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import render
from nova_core.placement.objects import aggregate as agg_obj
from nova_core.placement.objects import resource_provider as rp_obj
from nova_core.placement.policies import aggregate as policies
from nova_core.placement.schemas import aggregate as schema

# From here the body carries the provider generation, both ways.
_GENERATION_VERSION = (1, 19)


def _answer(req, aggregate_uuids, generation):
    body = {'aggregates': aggregate_uuids}
    if req.microversion.matches(_GENERATION_VERSION):
        body['resource_provider_generation'] = generation
    # Associations have no timestamp worth reporting: Last-Modified is now.
    return render.json(req, body)


@validation.accepts(validation.JSON)
def get_aggregates(req):
    req.context.can(policies.LIST)
    provider, aggregate_uuids = agg_obj.get_for_provider(
        req.context, req.path_arg('uuid'))
    return _answer(req, aggregate_uuids, provider.generation)


@validation.requires_content()
def set_aggregates(req):
    """Replace the provider's aggregates.

    Before 1.19 the body is the bare list and the generation is untouched;
    from 1.19 the client's generation must be current and is bumped.
    """
    req.context.can(policies.UPDATE)
    uuid = req.path_arg('uuid')
    rp_obj.get_by_uuid(req.context, uuid)
    with_generation = req.microversion.matches(_GENERATION_VERSION)
    if with_generation:
        data = validation.extract_json(
            req, schema.PUT_AGGREGATES_SCHEMA_V1_19)
        aggregate_uuids = data['aggregates']
        generation = data['resource_provider_generation']
    else:
        aggregate_uuids = validation.extract_json(
            req, schema.PUT_AGGREGATES_SCHEMA_V1_1)
        generation = None
    try:
        _provider, generation = agg_obj.replace_for_provider(
            req.context, uuid, aggregate_uuids, generation)
    except exception.ResourceProviderConcurrentUpdateDetected:
        raise fault.http_error(
            409, "Resource provider's generation already changed. Please "
            "update the generation and try again.",
            code=errors.CONCURRENT_UPDATE)
    return _answer(req, aggregate_uuids, generation)
