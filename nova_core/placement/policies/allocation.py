"""Policies of /allocations and /resource_providers/{uuid}/allocations."""

from nova_core.placement.policies import base

ALLOC_PREFIX = 'placement:allocations:%s'
ALLOC_LIST = ALLOC_PREFIX % 'list'
ALLOC_MANAGE = ALLOC_PREFIX % 'manage'
ALLOC_UPDATE = ALLOC_PREFIX % 'update'
ALLOC_DELETE = ALLOC_PREFIX % 'delete'
RP_ALLOC_LIST = 'placement:resource_providers:allocations:list'

rules = [
    base.rule(ALLOC_MANAGE, base.ADMIN_OR_SERVICE,
              'Write the allocations of several consumers at once.',
              ('POST', '/allocations')),
    base.rule(ALLOC_LIST, base.ADMIN_OR_SERVICE,
              "List a consumer's allocations.",
              ('GET', '/allocations/{consumer_uuid}')),
    base.rule(ALLOC_UPDATE, base.ADMIN_OR_SERVICE,
              "Replace a consumer's allocations.",
              ('PUT', '/allocations/{consumer_uuid}')),
    base.rule(ALLOC_DELETE, base.ADMIN_OR_SERVICE,
              "Delete a consumer's allocations.",
              ('DELETE', '/allocations/{consumer_uuid}')),
    base.rule(RP_ALLOC_LIST, base.ADMIN_OR_SERVICE,
              'List the allocations against a resource provider.',
              ('GET', '/resource_providers/{uuid}/allocations')),
]

