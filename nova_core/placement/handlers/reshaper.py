"""Handler of POST /reshaper (1.30): inventories and allocations at once."""

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import allocation as alloc_handler
from nova_core.placement.handlers import inventory as inv_handler
from nova_core.placement.handlers import render
from nova_core.placement.objects import reshaper as reshaper_obj
from nova_core.placement.policies import reshaper as policies
from nova_core.placement.schemas import reshaper as schema


def _not_found(exc, inventories):
    uuid = exc.kwargs['uuid']
    if uuid in inventories:
        return fault.http_error(
            400, 'Resource provider %s in inventories not found: %s'
            % (uuid, exc), code=errors.RESOURCE_PROVIDER_NOT_FOUND)
    return fault.http_error(
        400, "Allocation for resource provider '%s' that does not exist."
        % uuid)


@validation.requires_content()
def reshape(req):
    req.context.can(policies.RESHAPE)
    data = validation.extract_json(req, schema.for_version(req.microversion))
    inventories = {
        uuid: reshaper_obj.ProviderInventories(
            entry['resource_provider_generation'],
            [inv_handler.make_inventory(rc, record)
             for rc, record in sorted(entry['inventories'].items())])
        for uuid, entry in data['inventories'].items()}
    claims = [alloc_handler.consumer_allocations(consumer_uuid, body)
              for consumer_uuid, body in data['allocations'].items()]
    try:
        reshaper_obj.reshape(req.context, inventories, claims)
    except exception.ResourceProviderNotFound as exc:
        raise _not_found(exc, inventories)
    except (exception.ConsumerGenerationConflict,
            exception.ResourceProviderGenerationConflict):
        raise
    except exception.ConcurrentUpdateDetected as exc:
        raise fault.http_error(409, 'update conflict: %s' % exc,
                               code=errors.CONCURRENT_UPDATE)
    except exception.NotFound as exc:
        raise fault.http_error(400, 'malformed reshaper data: %s' % exc)
    except exception.InventoryInUse as exc:
        raise fault.http_error(409, 'update conflict: %s' % exc,
                               code=errors.INVENTORY_INUSE)
    except exception.InvalidInventoryCapacity as exc:
        raise fault.http_error(400, 'Unable to update inventory: %s' % exc)
    except exception.InvalidInventory as exc:
        raise fault.http_error(409, 'Unable to allocate inventory: %s' % exc)
    return render.empty(req, 204)
