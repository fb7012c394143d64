"""Placement's policy rules (oslo.policy), one module per noun.

``list_rules`` is the ``oslo.policy.policies`` entry point (for
``oslopolicy-sample-generator --namespace nova_core.placement``);
``get_enforcer`` is the ``oslo.policy.enforcer`` one (for
``oslopolicy-policy-generator`` and friends).
"""

from oslo_config import cfg

from nova_core.api import policy
from nova_core import conf as nova_conf
from nova_core.placement.policies import aggregate
from nova_core.placement.policies import allocation
from nova_core.placement.policies import allocation_candidate
from nova_core.placement.policies import base
from nova_core.placement.policies import inventory
from nova_core.placement.policies import reshaper
from nova_core.placement.policies import resource_class
from nova_core.placement.policies import resource_provider
from nova_core.placement.policies import trait
from nova_core.placement.policies import usage

_MODULES = (base, resource_provider, resource_class, inventory, aggregate,
            usage, trait, allocation, allocation_candidate, reshaper)


def list_rules():
    return policy.collect_rules(*_MODULES)


def get_enforcer():
    """An enforcer over the command line's config files (oslopolicy CLIs)."""
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core')
    return policy.make_enforcer(conf, list_rules())
