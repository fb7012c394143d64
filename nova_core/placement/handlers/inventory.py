"""Handlers of /resource_providers/{uuid}/inventories[/{resource_class}]."""

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import render
from nova_core.placement.objects import inventory as inv_obj
from nova_core.placement.objects import resource_provider as rp_obj
from nova_core.placement.policies import inventory as policies
from nova_core.placement.schemas import inventory as schema

_GENERATION_CONFLICT = 'resource provider generation conflict'


def make_inventory(resource_class, data):
    """An Inventory from a validated request record, with the API defaults.

    Also used by the reshaper, whose records have the same shape.
    """
    values = dict(schema.DEFAULTS)
    values.update((field, data[field])
                  for field in inv_obj.FIELDS if field in data)
    return inv_obj.Inventory(resource_class=resource_class, **values)


def reserved_can_be_total(req):
    """From 1.26 an inventory may reserve all of its total."""
    return req.microversion.matches((1, 26))


def _inventory_body(inventory, generation=None):
    body = {field: getattr(inventory, field) for field in inv_obj.FIELDS}
    if generation is not None:
        body['resource_provider_generation'] = generation
    return body


def _one(req, provider, inventory, status=200, location=None):
    resp = render.json(req, _inventory_body(inventory, provider.generation),
                       status=status,
                       modified=render.last_modified(inventory))
    if location:
        resp.location = location
    return resp


def _all(req, provider, inventories):
    return render.json(req, {
        'resource_provider_generation': provider.generation,
        'inventories': {inv.resource_class: _inventory_body(inv)
                        for inv in inventories},
    }, modified=render.last_modified(*inventories))


def _inventory_url(req, uuid, resource_class):
    return req.url_for('/resource_providers/%s/inventories/%s'
                       % (uuid, resource_class))


def _check_generation(provider, data):
    if data['resource_provider_generation'] != provider.generation:
        raise fault.http_error(409, _GENERATION_CONFLICT,
                               code=errors.CONCURRENT_UPDATE)


def _get_all(req, uuid):
    try:
        return inv_obj.get_all(req.context, uuid)
    except exception.ResourceProviderNotFound as exc:
        # Upstream's reads (only) repeat the reason: wire text.
        raise fault.http_error(
            404, 'No resource provider with uuid %s found : %s' % (uuid, exc))


@validation.accepts(validation.JSON)
def list_inventories(req):
    req.context.can(policies.LIST)
    provider, inventories = _get_all(req, req.path_arg('uuid'))
    return _all(req, provider, inventories)


@validation.accepts(validation.JSON)
def get_inventory(req):
    req.context.can(policies.SHOW)
    uuid = req.path_arg('uuid')
    resource_class = req.path_arg('resource_class')
    provider, inventories = _get_all(req, uuid)
    inventory = inv_obj.find(inventories, resource_class)
    if inventory is None:
        raise fault.http_error(404, 'No inventory of class %s for %s'
                               % (resource_class, uuid))
    return _one(req, provider, inventory)


@validation.requires_content()
def create_inventory(req):
    """POST one inventory of a class the provider has none of yet."""
    req.context.can(policies.CREATE)
    provider = rp_obj.get_by_uuid(req.context, req.path_arg('uuid'))
    data = validation.extract_json(req, schema.POST_INVENTORY_SCHEMA)
    inventory = make_inventory(data['resource_class'], data)
    try:
        inv_obj.check_capacity(provider, [inventory],
                               reserved_can_be_total(req))
        provider, inventory = inv_obj.add(
            req.context, provider.uuid, inventory)
    except (exception.InventoryExists,
            exception.ConcurrentUpdateDetected) as exc:
        raise fault.http_error(409, 'Update conflict: %s' % exc,
                               code=errors.CONCURRENT_UPDATE)
    except (exception.InvalidInventoryCapacity, exception.NotFound) as exc:
        raise fault.http_error(
            400, 'Unable to create inventory for resource provider %s: %s'
            % (provider.uuid, exc))
    return _one(req, provider, inventory, status=201,
                location=_inventory_url(req, provider.uuid,
                                        inventory.resource_class))


@validation.requires_content()
def set_inventories(req):
    """PUT all inventories: add, update and delete classes as needed."""
    req.context.can(policies.UPDATE)
    provider = rp_obj.get_by_uuid(req.context, req.path_arg('uuid'))
    data = validation.extract_json(req, schema.PUT_INVENTORY_SCHEMA)
    _check_generation(provider, data)
    inventories = [make_inventory(rc, record)
                   for rc, record in sorted(data['inventories'].items())]
    try:
        inv_obj.check_capacity(provider, inventories,
                               reserved_can_be_total(req))
        provider, inventories = inv_obj.set_all(
            req.context, provider.uuid, inventories,
            generation=data['resource_provider_generation'])
    except exception.ResourceClassNotFound as exc:
        raise fault.http_error(
            400, 'Unknown resource class in inventory for resource provider '
            '%s: %s' % (provider.uuid, exc))
    except exception.InventoryWithResourceClassNotFound as exc:
        raise fault.http_error(
            409, 'Race condition detected when setting inventory. No '
            'inventory record with resource class for resource provider '
            '%s: %s' % (provider.uuid, exc))
    except exception.InventoryInUse as exc:
        raise fault.http_error(409, 'update conflict: %s' % exc,
                               code=errors.INVENTORY_INUSE)
    except exception.ConcurrentUpdateDetected as exc:
        raise fault.http_error(409, 'update conflict: %s' % exc,
                               code=errors.CONCURRENT_UPDATE)
    except exception.InvalidInventoryCapacity as exc:
        raise fault.http_error(
            400, 'Unable to update inventory for resource provider %s: %s'
            % (provider.uuid, exc))
    return _all(req, provider, inventories)


@validation.requires_content()
def update_inventory(req):
    """PUT one inventory the provider already has."""
    req.context.can(policies.UPDATE)
    provider = rp_obj.get_by_uuid(req.context, req.path_arg('uuid'))
    data = validation.extract_json(req, schema.PUT_ONE_SCHEMA)
    _check_generation(provider, data)
    inventory = make_inventory(req.path_arg('resource_class'), data)
    try:
        inv_obj.check_capacity(provider, [inventory],
                               reserved_can_be_total(req))
        provider, inventory = inv_obj.update(
            req.context, provider.uuid, inventory,
            generation=data['resource_provider_generation'])
    except exception.ConcurrentUpdateDetected as exc:
        raise fault.http_error(409, 'update conflict: %s' % exc,
                               code=errors.CONCURRENT_UPDATE)
    except exception.InventoryWithResourceClassNotFound as exc:
        raise fault.http_error(
            400, 'No inventory record with resource class for resource '
            'provider %s: %s' % (provider.uuid, exc))
    except exception.InvalidInventoryCapacity as exc:
        raise fault.http_error(
            400, 'Unable to update inventory for resource provider %s: %s'
            % (provider.uuid, exc))
    return _one(req, provider, inventory)


def delete_inventory(req):
    """DELETE one inventory; refused while it has allocations."""
    req.context.can(policies.DELETE)
    provider = rp_obj.get_by_uuid(req.context, req.path_arg('uuid'))
    resource_class = req.path_arg('resource_class')
    try:
        inv_obj.delete(req.context, provider.uuid, resource_class)
    except (exception.ConcurrentUpdateDetected,
            exception.InventoryInUse) as exc:
        # Upstream answers both with the concurrent-update code.
        raise fault.http_error(
            409, 'Unable to delete inventory of class %s: %s'
            % (resource_class, exc), code=errors.CONCURRENT_UPDATE)
    except exception.InventoryWithResourceClassNotFound:
        # Upstream's wording, reason included, for a class the provider
        # has no inventory of (an unknown class keeps its own reason).
        raise fault.http_error(
            404, 'No inventory of class %(rc)s found for delete: '
            'No inventory of class %(rc)s found for delete'
            % {'rc': resource_class})
    except exception.NotFound as exc:
        raise fault.http_error(
            404, 'No inventory of class %s found for delete: %s'
            % (resource_class, exc))
    return render.empty(req)


def delete_inventories(req):
    """DELETE all inventories (from 1.5); refused while any is in use."""
    req.context.can(policies.DELETE)
    provider = rp_obj.get_by_uuid(req.context, req.path_arg('uuid'))
    try:
        inv_obj.delete_all(req.context, provider.uuid)
    except exception.ResourceProviderConcurrentUpdateDetected:
        raise fault.http_error(
            409, 'Unable to delete inventory for resource provider %s '
            'because the inventory was updated by another process. Please '
            'retry your request.' % provider.uuid,
            code=errors.CONCURRENT_UPDATE)
    return render.empty(req)
