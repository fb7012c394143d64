"""What a request pre-filter may add to a request spec, and how it refuses.

The constraints land in ``spec['request_level_params']``, which the
placement query builder (placement_client/candidates.py) turns into query
parameters::

    member_of            [[uuid, ...], ...]  each list: in one of them
    forbidden_aggregates [uuid, ...]          in none of them
    root_required        [trait, ...]         on the compute node provider
    root_forbidden       [trait, ...]
"""


class Refused(Exception):
    """No host can take the request; the message says why (one line)."""


def _level(spec):
    level = spec.get('request_level_params')
    if level is None:
        level = spec['request_level_params'] = {}
    return level


def _add(values, items):
    for item in items:
        if item not in values:
            values.append(item)


def require_aggregates(spec, uuids):
    """The compute node must be in one of *uuids*."""
    _level(spec).setdefault('member_of', []).append(sorted(set(uuids)))


def forbid_aggregates(spec, uuids):
    """The compute node must be in none of *uuids*."""
    _add(_level(spec).setdefault('forbidden_aggregates', []), sorted(uuids))


def require_root_trait(spec, trait):
    _add(_level(spec).setdefault('root_required', []), [trait])


def forbid_root_trait(spec, trait):
    _add(_level(spec).setdefault('root_forbidden', []), [trait])
