"""Handlers of /traits and /resource_providers/{uuid}/traits."""

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import render
from nova_core.placement.objects import provider_trait
from nova_core.placement.objects import trait as trait_obj
from nova_core.placement.policies import trait as policies
from nova_core.placement.schemas import trait as schema

_INVALID_TRAIT = (
    'The trait is invalid. A valid trait must be no longer than 255 '
    'characters, start with the prefix "CUSTOM_" and use following '
    'characters: "A"-"Z", "0"-"9" and "_"')


def _name_filter(value):
    """``name=in:A,B`` or ``name=startswith:CUSTOM_`` as object filters."""
    if value.startswith('in:'):
        names = [n for n in value[3:].split(',') if n]
        if not names:
            raise fault.http_error(
                400, 'Invalid query string parameters: Expected "name" '
                'to be "in:<trait name>[,<trait name>...]" and contain at '
                'least one trait name')
        return {'name_in': names}
    if value.startswith('startswith:'):
        return {'prefix': value[len('startswith:'):]}
    raise fault.http_error(
        400, 'Badly formatted name parameter. Expected name query string '
        'parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. '
        'Got: "%s"' % value)


@validation.accepts(validation.JSON)
def list_traits(req):
    req.context.can(policies.TRAITS_LIST)
    params = validation.query_params(req, schema.LIST_TRAIT_SCHEMA)
    filters = {}
    if 'name' in params:
        filters.update(_name_filter(params['name']))
    if 'associated' in params:
        associated = params['associated'].lower()
        if associated not in ('true', 'false'):
            raise fault.http_error(
                400, 'The query parameter "associated" only accepts '
                '"true" or "false"')
        filters['associated'] = associated == 'true'
    traits = trait_obj.get_all(req.context, **filters)
    return render.json(req, {'traits': [t.name for t in traits]},
                       modified=render.last_modified(*traits))


def get_trait(req):
    req.context.can(policies.TRAITS_SHOW)
    trait = trait_obj.get_by_name(req.context, req.path_arg('name'))
    return render.empty(req, 204, modified=trait.created_at)


def put_trait(req):
    """Create a custom trait (201) or confirm it exists (204)."""
    req.context.can(policies.TRAITS_UPDATE)
    name = req.path_arg('name')
    validation.validate(name, schema.CUSTOM_TRAIT, _INVALID_TRAIT)
    status = 204
    try:
        trait = trait_obj.get_by_name(req.context, name)
    except exception.TraitNotFound:
        try:
            trait = trait_obj.create(req.context, name)
            status = 201
        except exception.TraitExists:
            trait = trait_obj.get_by_name(req.context, name)
    return render.empty(req, status, modified=trait.created_at,
                        location=render.trait_url(req, name))


def delete_trait(req):
    req.context.can(policies.TRAITS_DELETE)
    trait_obj.destroy(req.context, req.path_arg('name'))
    return render.empty(req)


def _provider_traits_body(provider, generation, names):
    return {'traits': sorted(names),
            'resource_provider_generation': generation}


@validation.accepts(validation.JSON)
def list_provider_traits(req):
    req.context.can(policies.RP_TRAIT_LIST)
    uuid = req.path_arg('uuid')
    try:
        provider, names = provider_trait.get(req.context, uuid)
    except exception.ResourceProviderNotFound as exc:
        raise fault.http_error(
            404, 'No resource provider with uuid %s found: %s' % (uuid, exc))
    return render.json(req, _provider_traits_body(
        provider, provider.generation, names))


@validation.requires_content()
def update_provider_traits(req):
    req.context.can(policies.RP_TRAIT_UPDATE)
    data = validation.extract_json(req, schema.SET_TRAITS_FOR_RP_SCHEMA)
    try:
        provider, generation = provider_trait.set_for_provider(
            req.context, req.path_arg('uuid'), data['traits'],
            data['resource_provider_generation'])
    except exception.ResourceProviderConcurrentUpdateDetected:
        raise fault.http_error(
            409, "Resource provider's generation already changed. Please "
            "update the generation and try again.",
            code=errors.CONCURRENT_UPDATE)
    except exception.TraitNotFound as exc:
        raise fault.http_error(400, 'No such trait %s' % exc.kwargs['name'])
    return render.json(req, _provider_traits_body(
        provider, generation, data['traits']))


def delete_provider_traits(req):
    req.context.can(policies.RP_TRAIT_DELETE)
    provider_trait.set_for_provider(req.context, req.path_arg('uuid'), [])
    return render.empty(req)
