"""Handlers of /resource_providers and /resource_providers/{uuid}."""

import uuid as uuidlib

from oslo_utils import uuidutils

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import query
from nova_core.placement.handlers import render
from nova_core.placement.objects import resource_provider as rp_obj
from nova_core.placement.policies import resource_provider as policies
from nova_core.placement.schemas import resource_provider as schema

# Sub-resources a provider links to, and the microversion that added each.
_LINKS = (('inventories', (1, 0)), ('usages', (1, 0)),
          ('aggregates', (1, 1)), ('traits', (1, 6)),
          ('allocations', (1, 11)))


def _links(req, provider):
    url = render.provider_url(req, provider.uuid)
    links = [{'rel': 'self', 'href': url}]
    links.extend({'rel': rel, 'href': '%s/%s' % (url, rel)}
                 for rel, since in _LINKS if req.microversion.matches(since))
    return links


def serialize(req, provider):
    """A provider as the requested microversion shows it."""
    body = {'uuid': provider.uuid, 'name': provider.name,
            'generation': provider.generation,
            'links': _links(req, provider)}
    if req.microversion.matches((1, 14)):
        body['parent_provider_uuid'] = provider.parent_provider_uuid
        body['root_provider_uuid'] = provider.root_provider_uuid
    return body


def _dashed(uuid):
    """The canonical spelling of a uuid the schema accepted.

    Providers are stored under it, so that one provider cannot be created
    twice, or missed, under two spellings of its uuid.
    """
    return str(uuidlib.UUID(uuid))


@validation.requires_content()
def create_resource_provider(req):
    """201 with Location before 1.20; from 1.20 200 with the provider."""
    req.context.can(policies.CREATE)
    new_schema = schema.POST_RESOURCE_PROVIDER_SCHEMA
    if req.microversion.matches((1, 14)):
        new_schema = schema.POST_RP_SCHEMA_V1_14
    data = validation.extract_json(req, new_schema)
    uuid = (_dashed(data['uuid']) if data.get('uuid')
            else uuidutils.generate_uuid())
    parent_uuid = data.get('parent_provider_uuid')
    try:
        provider = rp_obj.create(req.context, uuid, data['name'],
                                 parent_uuid and _dashed(parent_uuid))
    except exception.InvalidResourceProviderParent as exc:
        raise fault.http_error(
            400, 'Unable to create resource provider "%s", %s: %s'
            % (data['name'], uuid, exc))
    location = render.provider_url(req, provider.uuid)
    if not req.microversion.matches((1, 20)):
        return render.empty(req, 201, location=location)
    resp = render.json(req, serialize(req, provider),
                       modified=render.last_modified(provider))
    resp.location = location
    return resp


@validation.accepts(validation.JSON)
def get_resource_provider(req):
    req.context.can(policies.SHOW)
    provider = rp_obj.get_by_uuid(req.context, req.path_arg('uuid'))
    return render.json(req, serialize(req, provider),
                       modified=render.last_modified(provider))


def _list_filters(req):
    """The object filters a GET /resource_providers query asks for."""
    version = req.microversion
    for since, query_schema in schema.GET_RPS_SCHEMAS:
        if version.matches(since):
            params = validation.query_params(req, query_schema)
            break
    filters = {key: params[key] for key in ('name', 'uuid', 'in_tree')
               if key in params}
    if 'member_of' in params:
        aggregates = query.member_of(
            req.GET.getall('member_of'),
            allow_multiple=version.matches((1, 24)),
            allow_forbidden=version.matches((1, 32)))
        filters['member_of'] = aggregates.required
        filters['forbidden_aggregates'] = aggregates.forbidden
    if 'required' in params:
        traits = query.required_traits(
            req.GET.getall('required'),
            allow_forbidden=version.matches((1, 22)),
            allow_any_of=version.matches((1, 39)),
            allow_repeated=version.matches((1, 39)))
        filters['required_traits'] = traits.required
        filters['forbidden_traits'] = traits.forbidden
    if 'resources' in params:
        filters['resources'] = query.resources(params['resources'])
    return filters


@validation.accepts(validation.JSON)
def list_resource_providers(req):
    req.context.can(policies.LIST)
    filters = _list_filters(req)
    try:
        providers = rp_obj.get_all(req.context, **filters)
    except exception.ResourceClassNotFound as exc:
        raise fault.http_error(
            400, 'Invalid resource class in resources parameter: %s' % exc)
    except exception.TraitNotFound as exc:
        raise fault.http_error(
            400, 'Invalid trait(s) in "required" parameter: %s' % exc)
    body = {'resource_providers': [serialize(req, p) for p in providers]}
    return render.json(req, body, modified=render.last_modified(*providers))


@validation.requires_content()
def update_resource_provider(req):
    """Rename and, from 1.14, (re-)parent; from 1.37 also move or un-parent."""
    req.context.can(policies.UPDATE)
    uuid = req.path_arg('uuid')
    rp_obj.get_by_uuid(req.context, uuid)
    update_schema = schema.PUT_RESOURCE_PROVIDER_SCHEMA
    if req.microversion.matches((1, 14)):
        update_schema = schema.PUT_RP_SCHEMA_V1_14
    data = validation.extract_json(req, update_schema)
    if data.get('parent_provider_uuid'):
        data['parent_provider_uuid'] = _dashed(data['parent_provider_uuid'])
    try:
        provider = rp_obj.update(
            req.context, uuid,
            allow_reparenting=req.microversion.matches((1, 37)), **data)
    except exception.InvalidResourceProviderParent as exc:
        raise fault.http_error(
            400, 'Unable to save resource provider %s: %s' % (uuid, exc))
    return render.json(req, serialize(req, provider),
                       modified=render.last_modified(provider))


def delete_resource_provider(req):
    req.context.can(policies.DELETE)
    uuid = req.path_arg('uuid')
    try:
        rp_obj.destroy(req.context, uuid)
    except exception.ResourceProviderNotFound:
        raise fault.http_error(
            404, 'No resource provider with uuid %s found for delete' % uuid)
    except exception.ResourceProviderInUse as exc:
        raise fault.http_error(
            409, 'Unable to delete resource provider %s: %s' % (uuid, exc),
            code=errors.PROVIDER_IN_USE)
    except exception.CannotDeleteParentResourceProvider:
        raise fault.http_error(
            409, 'Unable to delete parent resource provider %s: It has '
            'child resource providers.' % uuid,
            code=errors.PROVIDER_CANNOT_DELETE_PARENT)
    return render.empty(req)
