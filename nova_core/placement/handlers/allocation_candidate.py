"""Handler of GET /allocation_candidates (microversions 1.10-1.39).

Besides upstream's JSON body, from microversion 1.34 a client may ask (by
``Accept``, preferring it to ``application/json``) for the same answer in a
compact form, :data:`COMPACT`: nova_core's scheduler does, because decoding
upstream's body (the same provider uuids and class names repeated in a
thousand nested objects) cost it more than placement's search. The form::

    nova-core-allocation-candidates 1\n
    {"byteorder": "little", "resource_classes": [name, ...],
     "groups": [suffix, ...], "trait_sets": [[name, ...], ...],
     "sizes": [bytes of each section below, in order]}\n
    sections, back to back (int32 / int64 in the byte order named):

    uuids       36 ASCII bytes per described provider (its number: its
                position here; classes are numbered by their position in
                resource_classes)
    parents     int32 per provider: its parent's number, -1 for a root
    roots       int32 per provider: its root's number
    res_off     int32 per provider + 1: where its triples start in res,
                in bytes
    res         int64 triples (class, capacity, used)
    req_off     int32 per allocation request + 1: where its triples
                start in req
    req         int64 triples (provider, class, amount)
    root_order  int32 per root some request uses: its number, in order
                of first use
    root_off    int32 per root_order entry + 1: where its requests start
                in root_req
    root_req    int32: request numbers (a request that spans trees, by a
                sharing provider, is under each of their roots)
    map_off     int32 per (request, group) + 1: where the providers
                serving that group start in map
    map         int32: provider numbers
    traits      int32 per provider: its set in trait_sets

Clients that do not ask for it (every upstream one) get upstream's body.
"""

import collections
import re

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement import errors
from nova_core.placement.handlers import query
from nova_core.placement.handlers import render
from nova_core.placement.objects import allocation_candidate as ac_obj
from nova_core.placement.policies import allocation_candidate as policies
from nova_core.placement.schemas import allocation_candidate as schema
from nova_core.placement.schemas import common

COMPACT = 'application/vnd.nova-core.allocation-candidates'

_GROUP_KEY = re.compile(r'^(resources|required|member_of|in_tree)(%s)?$'
                        % common.GROUP_PAT)
_GROUP_KEY_1_33 = re.compile(r'^(resources|required|member_of|in_tree)(%s)?$'
                             % common.GROUP_PAT_1_33)

# Kept verdicts of _wants_compact and parsed queries (see _query), each
# memo emptied when it reaches _MEMO_MAX entries.
_MEMO_MAX = 256
_COMPACT_VERDICTS = {}
_QUERIES = {}
_COMPACT_OPTIONS = {'compact': True}

# Request-wide parameters (as opposed to the per-group ones).
_Wide = collections.namedtuple('_Wide', [
    'limit', 'group_policy', 'root_required', 'root_forbidden',
    'same_subtrees'])


def _bad(message, code=None):
    return fault.http_error(400, message, code=code)


def _schema(version):
    for since, found in schema.BY_VERSION:
        if version.matches(since):
            return found
    return schema.GET_SCHEMA_1_10


def _first(req, name):
    values = req.GET.getall(name)
    return values[0] if values else None


def _request_wide(req):
    limit = _first(req, 'limit')
    if limit is not None:
        # Upstream fails (500) on limit=cow&limit=1: a 400 is due.
        validation.validate({'limit': limit}, schema.FIRST_LIMIT,
                            'Invalid query string parameters: %s')
    root_required, root_forbidden = set(), set()
    roots = req.GET.getall('root_required')
    if len(roots) > 1:
        raise _bad("Query parameter 'root_required' may be specified only "
                   "once.", errors.ILLEGAL_DUPLICATE_QUERYPARAM)
    if roots:
        # No any-of (in:) form for root traits, at any microversion.
        terms = query.required_traits(roots, allow_forbidden=True)
        root_required = {name for any_of in terms.required for name in any_of}
        root_forbidden = terms.forbidden
        conflicts = root_required & root_forbidden
        if conflicts:
            raise _bad('Conflicting required and forbidden traits found in '
                       'root_required: %s' % ', '.join(sorted(conflicts)),
                       errors.QUERYPARAM_BAD_VALUE)
    same_subtrees = []
    for value in req.GET.getall('same_subtree'):
        suffixes = {part.strip() for part in value.split(',')}
        if '' in suffixes:
            raise _bad('Empty string (unsuffixed group) can not be specified '
                       'in `same_subtree` ', errors.QUERYPARAM_BAD_VALUE)
        same_subtrees.append(suffixes)
    return _Wide(int(limit) if limit is not None else None,
                 _first(req, 'group_policy'), root_required, root_forbidden,
                 same_subtrees)


def _parse_groups(req):
    """``{suffix: dict of the group's parts}`` in order of first mention."""
    version = req.microversion
    pattern = _GROUP_KEY_1_33 if version.matches((1, 33)) else _GROUP_KEY
    groups = {}
    for key, value in req.GET.items():
        match = pattern.match(key)
        if not match:
            continue
        kind, suffix = match.group(1), match.group(2) or ''
        group = groups.setdefault(suffix, {
            'resources': {}, 'required': [], 'forbidden': set(),
            'member_of': [], 'forbidden_aggregates': set(), 'in_tree': None})
        if kind == 'resources':
            group['resources'] = query.resources(value)
        elif kind == 'required':
            group['required'], group['forbidden'] = query.required_traits(
                req.GET.getall(key),
                allow_forbidden=version.matches((1, 22)),
                allow_any_of=version.matches((1, 39)),
                allow_repeated=version.matches((1, 39)))
        elif kind == 'member_of':
            (group['member_of'],
             group['forbidden_aggregates']) = query.member_of(
                req.GET.getall(key),
                allow_multiple=version.matches((1, 24)),
                allow_forbidden=version.matches((1, 32)), suffix=suffix)
        else:
            group['in_tree'] = query.in_tree(value)
    return groups


def _check_same_subtree_groups(groups, same_subtrees):
    """From 1.36: resourceless groups must be named in same_subtree."""
    resourceless = sorted(s for s, g in groups.items() if not g['resources'])
    named = set().union(*same_subtrees)
    if len(resourceless) == len(groups):
        raise _bad('There must be at least one resources or resources[$S] '
                   'parameter.', errors.QUERYPARAM_MISSING_VALUE)
    bad = [suffix for suffix in resourceless if suffix not in named]
    if bad:
        raise _bad('Resourceless suffixed group request should be specified '
                   'in `same_subtree` query param: bad group(s) - %s.' % bad,
                   errors.QUERYPARAM_BAD_VALUE)
    bad = [suffix for suffix in sorted(named) if suffix not in groups]
    if bad:
        raise _bad('Real suffixes should be specified in `same_subtree`: '
                   '%s not found in %s.' % (bad, list(groups)),
                   errors.QUERYPARAM_BAD_VALUE)


def _check_orphans(groups):
    """Before 1.36: every group needs resources."""
    orphans = ['required%s' % s for s, g in groups.items()
               if g['required'] and not g['resources']]
    if orphans:
        raise _bad('All traits parameters must be associated with resources.  '
                   'Found the following orphaned traits keys: %s'
                   % ', '.join(orphans))
    orphans = ['member_of%s' % s for s, g in groups.items()
               if not g['resources'] and (
                   g['member_of'] or g['forbidden_aggregates'])]
    if orphans:
        raise _bad('All member_of parameters must be associated with '
                   'resources. Found the following orphaned member_of '
                   'keys: %s' % ', '.join(orphans))
    if not all(g['resources'] for g in groups.values()):
        raise _bad('All request groups must specify resources.')
    if not groups:
        raise _bad('At least one request group (`resources` or '
                   '`resources{$S}`) is required.')


def _check_conflicts(groups):
    """An any-of group made only of forbidden traits can never be met."""
    conflicts = sorted(
        'required%s: (%s)' % (suffix, ', '.join(sorted(any_of)))
        for suffix, group in groups.items() for any_of in group['required']
        if all(name in group['forbidden'] for name in any_of))
    if conflicts:
        raise _bad('Conflicting required and forbidden traits found in the '
                   'following traits keys: %s' % ', '.join(conflicts))


def _request_groups(req, wide):
    groups = _parse_groups(req)
    if req.microversion.matches((1, 36)):
        _check_same_subtree_groups(groups, wide.same_subtrees)
    else:
        _check_orphans(groups)
    if req.microversion.matches((1, 22)):
        _check_conflicts(groups)
    return [ac_obj.RequestGroup(
        suffix, g['resources'], [frozenset(s) for s in g['required']],
        frozenset(g['forbidden']), [frozenset(s) for s in g['member_of']],
        frozenset(g['forbidden_aggregates']), g['in_tree'])
        for suffix, g in groups.items()]


def _wants_compact(req):
    """True if the client prefers :data:`COMPACT` (406 if it accepts
    nothing else before 1.34, where the compact form is not offered).

    The verdict depends on the Accept header and the microversion only:
    the ones given are kept (a scheduler sends the same every time).
    """
    key = (req.environ.get('HTTP_ACCEPT'), req.microversion.matches((1, 34)))
    wants = _COMPACT_VERDICTS.get(key)
    if wants is None:
        wants = _judge_compact(req)
        _remember(_COMPACT_VERDICTS, key, wants)
    return wants


def _remember(memo, key, value):
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = value


def _judge_compact(req):
    if not req.accept:
        return False
    offers = req.accept.acceptable_offers([COMPACT, validation.JSON])
    if not offers or offers[0][0] != COMPACT:
        return False
    if req.microversion.matches((1, 34)):
        return True
    if len(offers) == 1:
        raise fault.http_error(
            406, 'Only %s is provided before microversion 1.34'
            % validation.JSON)
    return False


def _query(req):
    """The request-wide parameters, the request groups and the render
    options of the query (400 if it is not valid).

    They depend on the query string and the microversion only: the ones
    of valid queries are kept (a scheduler asks the same few queries
    again and again) and shared, read-only, by the requests asking them.
    """
    key = (req.query_string, tuple(req.microversion))
    found = _QUERIES.get(key)
    if found is None:
        found = _parse_query(req)
        _remember(_QUERIES, key, found)
    return found


def _parse_query(req):
    validation.query_params(req, _schema(req.microversion))
    wide = _request_wide(req)
    groups = _request_groups(req, wide)
    if not wide.group_policy and sum(1 for g in groups if g.suffix) > 1:
        raise _bad('The "group_policy" parameter is required when specifying '
                   'more than one "resources{N}" parameter.')
    version = req.microversion
    if version.matches((1, 34)):
        requests_format = ac_obj.REQUESTS_MAPPINGS
    elif version.matches((1, 12)):
        requests_format = ac_obj.REQUESTS_DICT
    else:
        requests_format = ac_obj.REQUESTS_LIST
    render_options = {
        'requests_format': requests_format,
        # Before 1.27 only the requested classes are described.
        'requested_classes': None if version.matches((1, 27)) else {
            name for g in groups for name in g.resources},
        'with_traits': version.matches((1, 17)),
        'tree_uuids': version.matches((1, 29)),
    }
    return wide, groups, render_options


@validation.accepts(validation.JSON, COMPACT)
def list_allocation_candidates(req):
    req.context.can(policies.LIST)
    wide, groups, render_options = _query(req)
    compact = _wants_compact(req)
    if compact:
        render_options = _COMPACT_OPTIONS
    try:
        body = ac_obj.render_candidates(
            req.context, groups, render_options,
            group_policy=wide.group_policy,
            root_required=wide.root_required,
            root_forbidden=wide.root_forbidden,
            same_subtrees=wide.same_subtrees,
            nested_aware=req.microversion.matches((1, 29)),
            limit=wide.limit)
    except exception.ResourceClassNotFound as exc:
        raise _bad('Invalid resource class in resources parameter: %s' % exc)
    except exception.TraitNotFound as exc:
        raise _bad(str(exc))
    resp = render.json_bytes(req, body)
    if compact:
        resp.headers['Content-Type'] = COMPACT
    return resp
