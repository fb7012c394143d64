"""Policies of /allocation_candidates."""

from nova_core.placement.policies import base

LIST = 'placement:allocation_candidates:list'

rules = [
    base.rule(LIST, base.ADMIN_OR_SERVICE,
              'List allocation candidates for a resource request.',
              ('GET', '/allocation_candidates')),
]

