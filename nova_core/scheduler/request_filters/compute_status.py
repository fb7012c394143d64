"""Disabled computes: never offer a compute whose service is disabled.

A compute marks its provider with COMPUTE_STATUS_DISABLED while its
service is disabled, so placement leaves it out. Always on, as in Nova.
"""

from nova_core.scheduler.request_filters import constraints

NAME = 'compute_status'
TRAIT = 'COMPUTE_STATUS_DISABLED'


def enabled(conf):
    return True


def apply(conf, ctx, spec, aggregates):
    constraints.forbid_root_trait(spec, TRAIT)
    return 'root_forbidden ' + TRAIT
