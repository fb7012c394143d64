"""Policy enforcement with oslo.policy: build an enforcer, authorize calls."""

import logging

from oslo_policy import policy

from nova_core import exception

LOG = logging.getLogger(__name__)


def make_enforcer(conf, rules):
    """An Enforcer over *conf* (``[oslo_policy]``) with *rules* as defaults.

    A policy file named by ``[oslo_policy] policy_file`` overrides the
    defaults and is re-read when it changes.
    """
    enforcer = policy.Enforcer(conf)
    # The defaults changed with secure RBAC; warning about each of them on
    # every start would drown the log.
    enforcer.suppress_default_change_warnings = True
    enforcer.register_defaults(rules)
    enforcer.load_rules()
    return enforcer


class Authorizer:
    """``authorizer(ctx, action, target)``: True, or PolicyNotAuthorized."""

    def __init__(self, enforcer):
        self.enforcer = enforcer

    def __call__(self, ctx, action, target):
        try:
            return self.enforcer.authorize(
                action, target, ctx, do_raise=True,
                exc=exception.PolicyNotAuthorized, action=action)
        except policy.InvalidScope:
            LOG.debug('Policy %s refused: token scope %s', action,
                      ctx.system_scope or 'project')
            raise exception.PolicyNotAuthorized(action=action)
