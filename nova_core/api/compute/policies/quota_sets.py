"""Policies of /os-quota-sets (Nova's names and defaults)."""

from nova_core.api.compute.policies import base

POLICY = 'os_compute_api:os-quota-sets:%s'
UPDATE = POLICY % 'update'
DEFAULTS = POLICY % 'defaults'
SHOW = POLICY % 'show'
DELETE = POLICY % 'delete'
DETAIL = POLICY % 'detail'

_QUOTA = '/os-quota-sets/{tenant_id}'

rules = [
    base.rule(UPDATE, base.ADMIN, 'Update the quotas', ('PUT', _QUOTA)),
    base.rule(DEFAULTS, '@', 'List default quotas',
              ('GET', _QUOTA + '/defaults')),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN, 'Show a quota',
              ('GET', _QUOTA)),
    base.rule(DELETE, base.ADMIN, 'Revert quotas to defaults',
              ('DELETE', _QUOTA)),
    base.rule(DETAIL, base.PROJECT_READER_OR_ADMIN,
              'Show the detail of quota', ('GET', _QUOTA + '/detail')),
]
