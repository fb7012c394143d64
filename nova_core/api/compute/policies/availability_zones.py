"""Policies of /os-availability-zone (Nova's rule names)."""

from nova_core.api.compute.policies import base

_RULE = 'os_compute_api:os-availability-zone:%s'
LIST = _RULE % 'list'
DETAIL = _RULE % 'detail'

rules = [
    base.rule(LIST, '@', 'List availability zone information without '
              'host information', ('GET', '/os-availability-zone')),
    base.rule(DETAIL, base.ADMIN, 'List detailed availability zone '
              'information with host information',
              ('GET', '/os-availability-zone/detail')),
]
