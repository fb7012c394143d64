"""The placement API as data: URL -> HTTP method -> handler.

``since(v, handler)`` limits a handler to microversion v and later; outside
its range a URL answers 404 (or the status given), and any method not
listed answers 405 with ``Allow``. ``''`` serves the root when placement is
mounted under a prefix and the request has no trailing slash.
"""

from nova_core.api.router import since
from nova_core.api.router import versioned
from nova_core.placement.handlers import aggregate
from nova_core.placement.handlers import allocation
from nova_core.placement.handlers import allocation_candidate
from nova_core.placement.handlers import inventory
from nova_core.placement.handlers import reshaper
from nova_core.placement.handlers import resource_class
from nova_core.placement.handlers import resource_provider
from nova_core.placement.handlers import root
from nova_core.placement.handlers import trait
from nova_core.placement.handlers import usage

ROUTES = {
    '': {'GET': root.home},
    '/': {'GET': root.home},
    '/resource_classes': {
        'GET': since('1.2', resource_class.list_resource_classes),
        'POST': since('1.2', resource_class.create_resource_class),
    },
    '/resource_classes/{name}': {
        'GET': since('1.2', resource_class.get_resource_class),
        'PUT': versioned(
            since('1.2', resource_class.rename_resource_class, '1.6'),
            since('1.7', resource_class.ensure_resource_class)),
        'DELETE': since('1.2', resource_class.delete_resource_class),
    },
    '/resource_providers': {
        'GET': resource_provider.list_resource_providers,
        'POST': resource_provider.create_resource_provider,
    },
    '/resource_providers/{uuid}': {
        'GET': resource_provider.get_resource_provider,
        'PUT': resource_provider.update_resource_provider,
        'DELETE': resource_provider.delete_resource_provider,
    },
    '/resource_providers/{uuid}/aggregates': {
        'GET': since('1.1', aggregate.get_aggregates),
        'PUT': since('1.1', aggregate.set_aggregates),
    },
    '/traits': {
        'GET': since('1.6', trait.list_traits),
    },
    '/traits/{name}': {
        'GET': since('1.6', trait.get_trait),
        'PUT': since('1.6', trait.put_trait),
        'DELETE': since('1.6', trait.delete_trait),
    },
    '/resource_providers/{uuid}/inventories': {
        'GET': inventory.list_inventories,
        'POST': inventory.create_inventory,
        'PUT': inventory.set_inventories,
        'DELETE': since('1.5', inventory.delete_inventories,
                        unavailable_status=405),
    },
    '/resource_providers/{uuid}/inventories/{resource_class}': {
        'GET': inventory.get_inventory,
        'PUT': inventory.update_inventory,
        'DELETE': inventory.delete_inventory,
    },
    '/resource_providers/{uuid}/usages': {
        'GET': usage.list_provider_usages,
    },
    '/usages': {
        'GET': since('1.9', usage.get_total_usages),
    },
    '/resource_providers/{uuid}/allocations': {
        'GET': allocation.list_for_resource_provider,
    },
    '/allocations': {
        'POST': since('1.13', allocation.set_allocations),
    },
    '/allocations/{consumer_uuid}': {
        'GET': allocation.list_for_consumer,
        'PUT': allocation.set_allocations_for_consumer,
        'DELETE': allocation.delete_allocations,
    },
    '/reshaper': {
        'POST': since('1.30', reshaper.reshape),
    },
    '/allocation_candidates': {
        'GET': since('1.10', allocation_candidate.list_allocation_candidates),
    },
    '/resource_providers/{uuid}/traits': {
        'GET': since('1.6', trait.list_provider_traits),
        'PUT': since('1.6', trait.update_provider_traits),
        'DELETE': since('1.6', trait.delete_provider_traits),
    },
}
