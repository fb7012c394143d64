"""Aggregates isolated by trait
(``[scheduler] enable_isolated_aggregate_filtering``).

An aggregate with metadata ``trait:<NAME>=required`` is reserved for the
requests that require ``<NAME>`` (flavor extra spec or image property
``trait:<NAME>=required``); every other request must avoid it.
"""

from nova_core.placement_client import candidates
from nova_core.scheduler.request_filters import constraints

NAME = 'isolated_aggregates'
PREFIX = 'trait:'


def enabled(conf):
    return conf.scheduler.enable_isolated_aggregate_filtering


def requested_traits(spec):
    """Every trait the request requires, in any group or on the root."""
    groups, _policy = candidates.request_groups(spec)
    traits = set()
    for group in groups.values():
        traits |= group.required
    level = spec.get('request_level_params') or {}
    traits.update(level.get('root_required') or ())
    return traits


def apply(conf, ctx, spec, aggregates):
    wanted = requested_traits(spec)
    avoid = []
    for agg in aggregates():
        reserved = {key[len(PREFIX):] for key, value in
                    (agg.get('metadata') or {}).items()
                    if key.startswith(PREFIX) and value == 'required'}
        if reserved and not reserved <= wanted:
            avoid.append(agg['uuid'])
    if not avoid:
        return None
    constraints.forbid_aggregates(spec, avoid)
    return 'member_of !in:%s' % ','.join(sorted(avoid))
