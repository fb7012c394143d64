"""Availability zone -> placement aggregates
(``[scheduler] query_placement_for_availability_zone``).

A zone is the set of host aggregates whose ``availability_zone`` metadata
names it; the request must land in one of them. The default zone
(``[DEFAULT] default_availability_zone``, "nova") is made of the hosts in no
zone aggregate, so it forbids the aggregates of every other zone instead.
A zone no aggregate names, other than the default, has no host.
"""

from nova_core.scheduler.request_filters import constraints

NAME = 'availability_zone'
KEY = 'availability_zone'
DEFAULT_ZONE = 'nova'


def enabled(conf):
    return conf.scheduler.query_placement_for_availability_zone


def default_zone(conf):
    # Nova's [DEFAULT] option; nova_core may not register it.
    return getattr(conf, 'default_availability_zone', None) or DEFAULT_ZONE


def apply(conf, ctx, spec, aggregates):
    zone = spec.get('availability_zone')
    if not zone:
        return None
    # "zone:host[:node]" was split by the API; be lenient if it was not.
    zone = zone.split(':', 1)[0]
    in_zone, in_other_zones = [], []
    for agg in aggregates():
        named = (agg.get('metadata') or {}).get(KEY)
        if named == zone:
            in_zone.append(agg['uuid'])
        elif named:
            in_other_zones.append(agg['uuid'])
    if in_zone:
        constraints.require_aggregates(spec, in_zone)
        return 'member_of in:%s (zone %s)' % (','.join(sorted(in_zone)),
                                               zone)
    if zone == default_zone(conf):
        if in_other_zones:
            constraints.forbid_aggregates(spec, in_other_zones)
            return 'member_of !in:%s (default zone %s)' % (
                ','.join(sorted(in_other_zones)), zone)
        return None
    raise constraints.Refused('availability zone %s has no host aggregate'
                              % zone)
