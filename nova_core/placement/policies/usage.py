"""Policies of the usage reports."""

from nova_core.placement.policies import base

PROVIDER_USAGES = 'placement:resource_providers:usages'
TOTAL_USAGES = 'placement:usages'

rules = [
    base.rule(PROVIDER_USAGES, base.ADMIN_OR_SERVICE,
              "Show a resource provider's usages.",
              ('GET', '/resource_providers/{uuid}/usages')),
    base.rule(TOTAL_USAGES, base.ADMIN_OR_PROJECT_READER_OR_SERVICE,
              "Show a project's (or a project user's) total usages.",
              ('GET', '/usages')),
]

