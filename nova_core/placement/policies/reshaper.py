"""Policies of /reshaper."""

from nova_core.placement.policies import base

RESHAPE = 'placement:reshaper:reshape'

rules = [
    base.rule(RESHAPE, base.SERVICE,
              'Move inventories and allocations between providers atomically.',
              ('POST', '/reshaper')),
]

