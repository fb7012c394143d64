"""Policies of /resource_providers."""

from nova_core.placement.policies import base

PREFIX = 'placement:resource_providers:%s'
LIST = PREFIX % 'list'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    base.rule(LIST, base.ADMIN_OR_SERVICE, 'List resource providers.',
              ('GET', '/resource_providers')),
    base.rule(CREATE, base.ADMIN_OR_SERVICE, 'Create a resource provider.',
              ('POST', '/resource_providers')),
    base.rule(SHOW, base.ADMIN_OR_SERVICE, 'Show a resource provider.',
              ('GET', '/resource_providers/{uuid}')),
    base.rule(UPDATE, base.ADMIN_OR_SERVICE, 'Update a resource provider.',
              ('PUT', '/resource_providers/{uuid}')),
    base.rule(DELETE, base.ADMIN_OR_SERVICE, 'Delete a resource provider.',
              ('DELETE', '/resource_providers/{uuid}')),
]

