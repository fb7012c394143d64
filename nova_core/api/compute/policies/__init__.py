"""The compute API's policy rules, with Nova's names and defaults."""

from nova_core.api.compute.policies import aggregates
from nova_core.api.compute.policies import availability_zones
from nova_core.api.compute.policies import base
from nova_core.api.compute.policies import flavors
from nova_core.api.compute.policies import hypervisors
from nova_core.api.compute.policies import instance_actions
from nova_core.api.compute.policies import ips
from nova_core.api.compute.policies import keypairs
from nova_core.api.compute.policies import limits
from nova_core.api.compute.policies import quota_sets
from nova_core.api.compute.policies import server_groups
from nova_core.api.compute.policies import servers
from nova_core.api.compute.policies import services
from nova_core.api import policy


def list_rules():
    return policy.collect_rules(base, aggregates, availability_zones,
                                flavors, hypervisors,
                                instance_actions, ips, keypairs, limits,
                                quota_sets,
                                server_groups,
                                servers,
                                services)
