"""Policy enforcement with oslo.policy: build an enforcer, authorize calls."""

import logging
import os
import time

from oslo_policy import policy

from nova_core import exception

LOG = logging.getLogger(__name__)

# Decisions remembered at most (then the memory starts over).
_MAX_DECISIONS = 10000


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


def documented_rule(name, check_str, description, *operations):
    """A documented project-scoped rule; *operations* are (method, path)."""
    return policy.DocumentedRuleDefault(
        name=name, check_str=check_str, description=description,
        operations=[{'method': m, 'path': p} for m, p in operations],
        scope_types=['project'])


def collect_rules(*modules):
    """The ``rules`` lists of policy *modules*, in order, as one list."""
    return [rule for module in modules for rule in module.rules]


class Authorizer:
    """``authorizer(ctx, action, target)``: True, or PolicyNotAuthorized.

    oslo.policy re-reads its rule files' state on every check, which costs
    more than the rest of a small request. Decisions are a pure function of
    the rules, the caller's credentials and the target, so they are
    remembered, and forgotten as soon as a policy file changes: the files
    in use are looked at (stat) on every call. A policy file that did not
    exist is looked for again at most once a second.
    """

    def __init__(self, enforcer):
        self.enforcer = enforcer
        self._decisions = {}
        self._files = None
        self._where = {}    # file name -> (path or None, when looked for)

    def __call__(self, ctx, action, target):
        files = self._policy_files()
        if files != self._files:
            self._decisions = {}
            self._files = files
        key = _key(action, ctx.to_policy_values(), target)
        allowed = self._decisions.get(key) if key is not None else None
        if allowed is None:
            allowed = self._decide(ctx, action, target)
            if key is not None:
                if len(self._decisions) >= _MAX_DECISIONS:
                    self._decisions = {}
                self._decisions[key] = allowed
        if not allowed:
            raise exception.PolicyNotAuthorized(action=action)
        return True

    def _decide(self, ctx, action, target):
        try:
            return bool(self.enforcer.authorize(
                action, target, ctx, do_raise=True,
                exc=exception.PolicyNotAuthorized, action=action))
        except policy.InvalidScope:
            LOG.debug('Policy %s refused: token scope %s', action,
                      ctx.system_scope or 'project')
            return False
        except exception.PolicyNotAuthorized:
            return False

    def _find(self, name):
        path, when = self._where.get(name, (None, None))
        now = time.monotonic()
        if path is None and when is not None and now - when < 1.0:
            return None
        if path is None or not os.path.exists(path):
            path = self.enforcer.conf.find_file(name)
            self._where[name] = (path, now)
        return path

    def _policy_files(self):
        """What the rules depend on: each policy file and its state.

        The file is the enforcer's own (oslo.policy reads
        ``[oslo_policy] policy_file`` once, when it is made); the
        directories are read from the configuration as the enforcer does,
        on every call.
        """
        found = []
        names = [self.enforcer.policy_file]
        names.extend(self.enforcer.conf.oslo_policy.policy_dirs)
        for name in names:
            path = self._find(name)
            if path is None:
                continue
            found.append((path, _state(path)))
            if os.path.isdir(path):
                found.extend((os.path.join(path, entry), _state(
                    os.path.join(path, entry)))
                    for entry in sorted(os.listdir(path)))
        return tuple(found)


def _state(path):
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _key(action, credentials, target):
    """A hashable key of one decision, or None if the values are not."""
    # oslo.context's policy values are a mapping over a dict of them: its
    # items are that dict's, read without a Python call per key.
    values = getattr(credentials, '_dict', None)
    items = (values if isinstance(values, dict) else credentials).items()
    try:
        key = (action,
               tuple([(k, tuple(v) if isinstance(v, list) else v)
                      for k, v in items]),
               tuple(sorted(target.items())))
        hash(key)
    except TypeError:
        return None
    return key
