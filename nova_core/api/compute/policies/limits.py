"""Policies of /limits (Nova's names and defaults)."""

from nova_core.api.compute.policies import base

LIMITS = 'os_compute_api:limits'
OTHER_PROJECT = 'os_compute_api:limits:other_project'

rules = [
    base.rule(LIMITS, '@', 'Show rate and absolute limits for the current '
              'user project', ('GET', '/limits')),
    base.rule(OTHER_PROJECT, base.ADMIN,
              'Show rate and absolute limits of other project',
              ('GET', '/limits')),
]
