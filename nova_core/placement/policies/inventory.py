"""Policies of /resource_providers/{uuid}/inventories."""

from nova_core.placement.policies import base

PREFIX = 'placement:resource_providers:inventories:%s'
LIST = PREFIX % 'list'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

_ALL = '/resource_providers/{uuid}/inventories'
_ONE = _ALL + '/{resource_class}'

rules = [
    base.rule(LIST, base.ADMIN_OR_SERVICE,
              "List a resource provider's inventories.", ('GET', _ALL)),
    base.rule(CREATE, base.ADMIN_OR_SERVICE,
              'Add one inventory to a resource provider.', ('POST', _ALL)),
    base.rule(SHOW, base.ADMIN_OR_SERVICE,
              'Show one inventory of a resource provider.', ('GET', _ONE)),
    base.rule(UPDATE, base.ADMIN_OR_SERVICE,
              'Replace all, or update one, inventory of a resource provider.',
              ('PUT', _ALL), ('PUT', _ONE)),
    base.rule(DELETE, base.ADMIN_OR_SERVICE,
              'Delete all, or one, inventory of a resource provider.',
              ('DELETE', _ALL), ('DELETE', _ONE)),
]

