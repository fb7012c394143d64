"""Policies of /resource_classes."""

from nova_core.placement.policies import base

PREFIX = 'placement:resource_classes:%s'
LIST = PREFIX % 'list'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    base.rule(LIST, base.ADMIN_OR_SERVICE, 'List resource classes.',
              ('GET', '/resource_classes')),
    base.rule(CREATE, base.ADMIN_OR_SERVICE, 'Create a custom resource class.',
              ('POST', '/resource_classes')),
    base.rule(SHOW, base.ADMIN_OR_SERVICE, 'Show a resource class.',
              ('GET', '/resource_classes/{name}')),
    base.rule(UPDATE, base.ADMIN_OR_SERVICE,
              'Create (1.7+) or rename (1.2-1.6) a custom resource class.',
              ('PUT', '/resource_classes/{name}')),
    base.rule(DELETE, base.ADMIN_OR_SERVICE, 'Delete a custom resource class.',
              ('DELETE', '/resource_classes/{name}')),
]

