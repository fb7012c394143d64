"""The compute API's policy rules, with Nova's names and defaults."""

from nova_core.api.compute.policies import base
from nova_core.api.compute.policies import flavors
from nova_core.api.compute.policies import servers
from nova_core.api import policy


def list_rules():
    return policy.collect_rules(base, flavors, servers)
