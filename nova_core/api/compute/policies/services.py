"""Policies of /os-services (Nova's rule names, admin only)."""

from nova_core.api.compute.policies import base

_RULE = 'os_compute_api:os-services:%s'
LIST = _RULE % 'list'
UPDATE = _RULE % 'update'
DELETE = _RULE % 'delete'

rules = [
    base.rule(LIST, base.ADMIN, 'List all running Compute services in a '
              'region.', ('GET', '/os-services')),
    base.rule(UPDATE, base.ADMIN, 'Update a Compute service.',
              ('PUT', '/os-services/{service_id}')),
    base.rule(DELETE, base.ADMIN, 'Delete a Compute service.',
              ('DELETE', '/os-services/{service_id}')),
]
