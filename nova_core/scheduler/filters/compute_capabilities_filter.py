"""ComputeCapabilitiesFilter: flavor extra specs against host capabilities.

Keys scoped ``capabilities:`` (``capabilities:hypervisor_type``,
``capabilities:cpu_info:arch``) and unscoped keys are looked up on the host
state: first as an attribute, then in its ``stats``; nested parts walk into
dicts (JSON text is decoded). Keys with any other scope (``resources:``,
``trait:``, ``hw:``...) belong to someone else and are ignored. Values are
matched with Nova's operators (``extra_specs_ops``).
"""

import json

from nova_core.scheduler import filters
from nova_core.scheduler.filters import extra_specs_ops

# Unscoped keys that are placement's, not capabilities.
_NOT_CAPABILITIES = frozenset(['group_policy'])

_MISSING = object()


def _lookup(host_state, parts):
    """The host's value at *parts*, or _MISSING."""
    value = host_state
    for index, part in enumerate(parts):
        if isinstance(value, (str, bytes)):
            try:
                value = json.loads(value)
            except ValueError:
                return _MISSING
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif index == 0:
            found = getattr(value, part, None)
            if found is None:
                found = (getattr(value, 'stats', None) or {}).get(
                    part, _MISSING)
            value = found
        else:
            value = getattr(value, part, _MISSING)
        if value is _MISSING or value is None:
            return _MISSING
    return value


def _scope(key):
    """The lookup path of an extra spec key, or None if not ours."""
    parts = key.split(':')
    if len(parts) > 1:
        if parts[0] != 'capabilities':
            return None
        parts = parts[1:]
    elif key in _NOT_CAPABILITIES:
        return None
    return parts


class ComputeCapabilitiesFilter(filters.RequirementsFilter):
    """Hosts whose capabilities satisfy the flavor's capability extra specs."""

    RUN_ON_REBUILD = False

    def passes_all(self, spec):
        extra_specs = ((spec.get('flavor') or {}).get('extra_specs') or {})
        return not any(_scope(key) for key in extra_specs)

    def first_unmet(self, host_state, spec):
        extra_specs = ((spec.get('flavor') or {}).get('extra_specs') or {})
        for key in sorted(extra_specs):
            parts = _scope(key)
            if not parts:
                continue
            requirement = extra_specs[key]
            value = _lookup(host_state, parts)
            if value is _MISSING:
                return key, requirement, None
            if not extra_specs_ops.match(str(value), requirement):
                return key, requirement, value
        return None

    def describe(self, key, requirement, value):
        if value is None:
            return 'extra spec %s=%r: host has no such capability' % (
                key, requirement)
        return 'extra spec %s=%r: host has %r' % (key, requirement, value)
