"""Handlers of /allocations and /resource_providers/{uuid}/allocations."""

import uuid as uuidlib

from oslo_utils import uuidutils

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import render
from nova_core.placement.objects import allocation as alloc_obj
from nova_core.placement.objects import consumer as consumer_obj
from nova_core.placement.policies import allocation as policies
from nova_core.placement.schemas import allocation as schema


# -- reading -------------------------------------------------------------------

def _consumer_body(req, consumer, allocations):
    by_provider = {}
    for alloc in allocations:
        entry = by_provider.setdefault(alloc.resource_provider_uuid, {
            'generation': alloc.resource_provider_generation,
            'resources': {}})
        entry['resources'][alloc.resource_class] = alloc.used
    body = {'allocations': by_provider}
    version = req.microversion
    if allocations and version.matches((1, 12)):
        body['project_id'] = consumer.project_id
        body['user_id'] = consumer.user_id
        if version.matches((1, 28)):
            body['consumer_generation'] = consumer.generation
        if version.matches((1, 38)):
            body['consumer_type'] = consumer_obj.type_name(consumer)
    return body


@validation.accepts(validation.JSON)
def list_for_consumer(req):
    """The allocations of one consumer (``{}`` for an unknown one)."""
    req.context.can(policies.ALLOC_LIST)
    consumer, allocations = alloc_obj.get_by_consumer(
        req.context, req.path_arg('consumer_uuid'))
    return render.json(req, _consumer_body(req, consumer, allocations),
                       modified=render.last_modified(*allocations))


@validation.accepts(validation.JSON)
def list_for_resource_provider(req):
    """The allocations against one provider, keyed by consumer."""
    req.context.can(policies.RP_ALLOC_LIST)
    uuid = req.path_arg('uuid')
    try:
        provider, allocations = alloc_obj.get_by_provider(req.context, uuid)
    except exception.NotFound as exc:
        raise fault.http_error(
            404, "Resource provider '%s' not found: %s" % (uuid, exc))
    with_generation = req.microversion.matches((1, 28))
    by_consumer = {}
    for alloc in allocations:
        entry = by_consumer.setdefault(alloc.consumer_uuid, {'resources': {}})
        entry['resources'][alloc.resource_class] = alloc.used
        if with_generation:
            entry['consumer_generation'] = alloc.consumer_generation
    body = {'allocations': by_consumer,
            'resource_provider_generation': provider.generation}
    return render.json(req, body, modified=render.last_modified(*allocations))


# -- writing -------------------------------------------------------------------

def consumer_allocations(consumer_uuid, data):
    """The ConsumerAllocations of one consumer's part of a request body.

    *data* has the dict shape of microversion 1.12 (``allocations`` keyed by
    provider uuid); what an older microversion did not send is None.
    """
    request = consumer_obj.ConsumerRequest(
        uuid=consumer_uuid, project_id=data.get('project_id'),
        user_id=data.get('user_id'),
        generation=data.get('consumer_generation'),
        consumer_type=data.get('consumer_type'))
    return alloc_obj.ConsumerAllocations(request, {
        rp_uuid: dict(entry['resources'])
        for rp_uuid, entry in data['allocations'].items()})


def _write(req, claims, not_found_message):
    """Replace the allocations of *claims*; domain errors to upstream's
    answers. *not_found_message* formats an unknown resource class."""
    try:
        alloc_obj.replace(req.context, claims,
                          check_generation=req.microversion.matches((1, 28)))
    except exception.ResourceProviderNotFound as exc:
        raise fault.http_error(
            400, "Allocation for resource provider '%s' that does not exist."
            % exc.kwargs['uuid'])
    except exception.NotFound as exc:
        raise fault.http_error(400, not_found_message % exc)
    except exception.InvalidInventory as exc:
        raise fault.http_error(409, 'Unable to allocate inventory: %s' % exc)
    except exception.ConsumerGenerationConflict:
        raise
    except exception.ConcurrentUpdateDetected as exc:
        raise fault.http_error(
            409, 'Inventory and/or allocations changed while attempting to '
            'allocate: %s' % exc, code=errors.CONCURRENT_UPDATE)
    return render.empty(req, 204)


@validation.requires_content()
def set_allocations_for_consumer(req):
    """PUT /allocations/{consumer_uuid}: replace one consumer's allocations."""
    req.context.can(policies.ALLOC_UPDATE)
    consumer_uuid = req.path_arg('consumer_uuid')
    if not uuidutils.is_uuid_like(consumer_uuid):
        raise fault.http_error(
            400, 'Malformed consumer_uuid: %s' % consumer_uuid)
    consumer_uuid = str(uuidlib.UUID(consumer_uuid))
    data = validation.extract_json(req, schema.put_schema(req.microversion))
    if not req.microversion.matches((1, 12)):
        data['allocations'] = {
            item['resource_provider']['uuid']: {
                'resources': item['resources']}
            for item in data['allocations']}
    return _write(req, [consumer_allocations(consumer_uuid, data)],
                  'Unable to allocate inventory for consumer %s: %%s'
                  % consumer_uuid)


@validation.requires_content()
def set_allocations(req):
    """POST /allocations (1.13): replace several consumers' allocations."""
    req.context.can(policies.ALLOC_MANAGE)
    data = validation.extract_json(req, schema.post_schema(req.microversion))
    claims = [consumer_allocations(consumer_uuid, body)
              for consumer_uuid, body in data.items()]
    return _write(req, claims, 'Unable to allocate inventory %s')


def delete_allocations(req):
    """DELETE /allocations/{consumer_uuid}: remove all, and the consumer."""
    req.context.can(policies.ALLOC_DELETE)
    consumer_uuid = req.path_arg('consumer_uuid')
    try:
        alloc_obj.delete_for_consumer(req.context, consumer_uuid)
    except exception.ConsumerNotFound:
        raise fault.http_error(
            404, "No allocations for consumer '%s'" % consumer_uuid)
    return render.empty(req, 204)
