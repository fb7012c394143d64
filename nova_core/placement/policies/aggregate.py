"""Policies of /resource_providers/{uuid}/aggregates."""

from nova_core.placement.policies import base

PREFIX = 'placement:resource_providers:aggregates:%s'
LIST = PREFIX % 'list'
UPDATE = PREFIX % 'update'

_PATH = '/resource_providers/{uuid}/aggregates'

rules = [
    base.rule(LIST, base.ADMIN_OR_SERVICE,
              'List the aggregates a resource provider is in.',
              ('GET', _PATH)),
    base.rule(UPDATE, base.ADMIN_OR_SERVICE,
              'Replace the aggregates a resource provider is in.',
              ('PUT', _PATH)),
]

