"""A request spec as a GET /allocation_candidates query, and the call itself.

The flavor gives the unsuffixed group (VCPU, MEMORY_MB, DISK_GB); flavor
extra specs (and image properties, for required traits of the unsuffixed
group only) add to it with Nova's syntax::

    resources:CUSTOM_X=2       resources:VCPU=0 (drops the class)
    trait:HW_CPU_X86_AVX=required | forbidden
    resources1:VCPU=1  trait1:CUSTOM_Y=required  (suffixed groups, 1.33+
    suffixes may also be ``_name``)
    group_policy=none | isolate

The request pre-filters (scheduler/request_filters/) add aggregate and
root-provider constraints in ``request_level_params`` (``member_of``,
``forbidden_aggregates``, ``root_required``, ``root_forbidden``).

Everything here is plain data; placement decides which providers fit.
"""

import collections
import logging
import math
import re
from urllib import parse

from nova_core.placement_client import answer

LOG = logging.getLogger(__name__)

# 1.36: suffixed groups, any-of traits and member_of, root_required,
# mappings in allocation requests; the newest the scheduler relies on.
CANDIDATES_VERSION = '1.36'

_RESOURCES_RE = re.compile(
    r'^resources([1-9][0-9]*|_[A-Za-z0-9_-]{1,64})?:(.+)$')
_TRAIT_RE = re.compile(r'^trait([1-9][0-9]*|_[A-Za-z0-9_-]{1,64})?:(.+)$')
_TRAIT_VALUES = ('required', 'forbidden')


class RequestGroup:
    """One request group: resources, required and forbidden traits."""

    def __init__(self):
        self.resources = {}
        self.required = set()
        self.forbidden = set()

    def __bool__(self):
        return bool(self.resources or self.required or self.forbidden)


def disk_gb_of(flavor, is_bfv=False):
    """DISK_GB a flavor needs: root (unless volume-backed), ephemeral, swap."""
    root = 0 if is_bfv else int(flavor.get('root_gb') or 0)
    swap_gb = int(math.ceil(int(flavor.get('swap') or 0) / 1024.0))
    return root + int(flavor.get('ephemeral_gb') or 0) + swap_gb


def flavor_resources(flavor, is_bfv=False):
    """The standard classes a flavor asks for, before extra-spec overrides."""
    return {
        'VCPU': int(flavor.get('vcpus') or 0),
        'MEMORY_MB': int(flavor.get('memory_mb') or 0),
        'DISK_GB': disk_gb_of(flavor, is_bfv),
    }


def _apply_resource(groups, suffix, rclass, value, source):
    try:
        amount = int(value)
    except (TypeError, ValueError):
        LOG.warning('Ignoring %s resources%s:%s=%r: not an integer',
                    source, suffix, rclass, value)
        return
    if amount < 0:
        LOG.warning('Ignoring %s resources%s:%s=%r: negative',
                    source, suffix, rclass, value)
        return
    groups[suffix].resources[rclass] = amount


def _apply_trait(groups, suffix, trait, value, source):
    if value not in _TRAIT_VALUES:
        LOG.warning('Ignoring %s trait%s:%s=%r: not one of %s', source,
                    suffix, trait, value, ', '.join(_TRAIT_VALUES))
        return
    target = groups[suffix].required if value == 'required' else \
        groups[suffix].forbidden
    target.add(trait)


def request_groups(request_spec):
    """{suffix: RequestGroup} ('' is the unsuffixed group) and group_policy."""
    flavor = request_spec.get('flavor') or {}
    groups = collections.defaultdict(RequestGroup)
    groups[''].resources.update(
        flavor_resources(flavor, bool(request_spec.get('is_bfv'))))
    group_policy = None
    sources = (('flavor', flavor.get('extra_specs') or {}),
               ('image', ((request_spec.get('image') or {})
                          .get('properties') or {})))
    for source, specs in sources:
        for key in sorted(specs):
            value = specs[key]
            match = _RESOURCES_RE.match(key)
            if match and source == 'flavor':
                _apply_resource(groups, match.group(1) or '',
                                match.group(2), value, source)
                continue
            match = _TRAIT_RE.match(key)
            if match and source == 'image' and (
                    match.group(1) or value != 'required'):
                # As in Nova, an image only requires traits of the
                # unsuffixed group; it cannot forbid nor address a group.
                LOG.warning('Ignoring image property %s=%r: images may only '
                            'set trait:<NAME>=required', key, value)
                continue
            if match:
                _apply_trait(groups, match.group(1) or '', match.group(2),
                             value, source)
                continue
            if key == 'group_policy' and source == 'flavor':
                group_policy = value
    for group in groups.values():
        # An amount of 0 means "not at all" (resources:VCPU=0 for PCPU).
        group.resources = {rc: n for rc, n in group.resources.items() if n}
    numbered = [s for s, g in groups.items() if s and g]
    if len(numbered) > 1 and group_policy is None:
        # Placement refuses several suffixed groups without a policy.
        LOG.warning('Several request groups but no group_policy extra spec; '
                    'using group_policy=none')
        group_policy = 'none'
    return dict(groups), group_policy


def _traits_param(group):
    return ','.join(sorted(group.required) +
                    ['!' + t for t in sorted(group.forbidden)])


def _resources_param(resources):
    return ','.join('%s:%d' % (rc, resources[rc]) for rc in sorted(resources))


def build_query(request_spec, limit, in_tree=None):
    """The query parameters (an ordered dict of str; ``member_of`` may be a
    list of str, one parameter each) for a request spec.

    :param limit: ``[scheduler] max_placement_results``.
    :param in_tree: the root provider (compute node) uuid of a requested
        destination, if the caller knows it.
    """
    groups, group_policy = request_groups(request_spec)
    query = collections.OrderedDict()
    for suffix in sorted(groups, key=lambda s: (s != '', s)):
        group = groups[suffix]
        if not group:
            continue
        if group.resources:
            query['resources' + suffix] = _resources_param(group.resources)
        if group.required or group.forbidden:
            query['required' + suffix] = _traits_param(group)
    if group_policy is not None:
        query['group_policy'] = group_policy
    destination = request_spec.get('requested_destination') or {}
    level = request_spec.get('request_level_params') or {}
    member_of = _member_of(destination, level)
    if member_of:
        # One value stays a string; several are repeated parameters, each
        # of which a provider must meet (placement 1.24+).
        query['member_of'] = member_of[0] if len(member_of) == 1 else \
            member_of
    if in_tree:
        query['in_tree'] = in_tree
    root = sorted(level.get('root_required') or ()) + [
        '!' + t for t in sorted(level.get('root_forbidden') or ())]
    if root:
        query['root_required'] = ','.join(root)
    query['limit'] = str(int(limit))
    return query


def _any_of(entries):
    """Aggregate uuids of comma-separated strings or lists, in order."""
    result = []
    for entry in entries:
        parts = entry.split(',') if isinstance(entry, str) else entry
        result.extend(a for a in parts if a and a not in result)
    return result


def _member_of(destination, level):
    """The ``member_of`` values of the unsuffixed group.

    ``requested_destination.aggregates`` (any of them) is one value; the
    request pre-filters add ``request_level_params.member_of`` (a list of
    any-of lists, each required) and ``forbidden_aggregates`` (none of
    them, ``!in:``).
    """
    values = []
    aggregates = _any_of(destination.get('aggregates') or ())
    if aggregates:
        values.append('in:' + ','.join(aggregates))
    for any_of in level.get('member_of') or ():
        aggregates = _any_of([any_of])
        value = 'in:' + ','.join(aggregates)
        if aggregates and value not in values:
            values.append(value)
    forbidden = _any_of(level.get('forbidden_aggregates') or ())
    if forbidden:
        values.append('!in:' + ','.join(forbidden))
    return values


def query_string(query):
    return parse.urlencode(query, safe=',:!', doseq=True)


def get_allocation_candidates(ctx, client, request_spec, limit,
                              in_tree=None):
    """Ask placement: an ``answer.Candidates`` (its ``query``: what was
    asked, as ``{parameter: value(s)}``).

    nova_core's placement answers in its compact form, any other in
    upstream's JSON; the caller sees no difference. Raises
    PlacementAPIError when placement refuses the query (a bad extra spec,
    say): that is a request error, not "no host".
    """
    query = build_query(request_spec, limit, in_tree=in_tree)
    url = '/allocation_candidates?' + query_string(query)
    resp = client.get(ctx, url, version=CANDIDATES_VERSION,
                      accept=answer.ACCEPT)
    if resp.status_code != 200:
        client.fail('GET', url, resp)
    if answer.is_compact(resp):
        return answer.Candidates.from_compact(resp.content, dict(query))
    return answer.Candidates.from_json(resp.json(), dict(query))
