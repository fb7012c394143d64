"""Handlers of /servers, /servers/detail and /servers/{id}."""

import re
import secrets
import string

from oslo_utils import uuidutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import servers as policies
from nova_core.api.compute.schemas import servers as schema
from nova_core.api.compute import views
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core.db import server_group as db_server_group
from nova_core import exception

MAX_LIMIT = 1000
# The statuses a ``status`` filter can name (anything else matches nothing).
_PASSWORD_CHARS = string.ascii_letters + string.digits


def _instance_target(server):
    return {'project_id': server.get('project_id'),
            'user_id': server.get('user_id')}


def get_visible(req, uuid, action):
    """The server *uuid* if the caller may *action* it; 404 otherwise.

    As in Nova, another project's server does not exist for a non-admin
    (404, not 403).
    """
    if not uuidutils.is_uuid_like(uuid):
        raise exception.InstanceNotFound(instance_id=uuid)
    ctx = req.context
    server = common.services(req).servers.get(ctx, uuid)
    if (server.get('project_id') != ctx.project_id and
            not common.is_admin(ctx)):
        raise exception.InstanceNotFound(instance_id=uuid)
    ctx.can(action, _instance_target(server))
    return server


# -- create ---------------------------------------------------------------------

def _flavor_id(ref):
    ref = str(ref)
    # A flavor URL (.../flavors/<id>) names its id last.
    return ref.rstrip('/').rsplit('/', 1)[-1]


def _count(server, name, default):
    value = server.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise fault.http_error(400, '%s must be an integer' % name)


def create_server(req):
    ctx = req.context
    data = common.body(req, schema.CREATE)
    server = data['server']
    ctx.can(policies.CREATE, {'project_id': ctx.project_id,
                              'user_id': ctx.user_id})
    if req.microversion.matches('2.37') and 'networks' not in server:
        raise fault.http_error(
            400, "Invalid input for field/attribute server. Value: %s. "
            "'networks' is a required property" % server.get('name'))
    image_ref = server.get('imageRef')
    if not image_ref:
        if not server.get('block_device_mapping_v2'):
            raise fault.http_error(400, 'Missing imageRef attribute')
        raise fault.http_error(
            501, 'Booting from volume is not implemented yet.')
    image_id = image_ref.rstrip('/').rsplit('/', 1)[-1]
    if not uuidutils.is_uuid_like(image_id):
        raise fault.http_error(400, 'Invalid imageRef provided.')
    min_count = _count(server, 'min_count', 1)
    max_count = _count(server, 'max_count', min_count)
    if min_count > max_count:
        raise fault.http_error(400, 'min_count must be <= max_count')
    availability_zone = server.get('availability_zone')
    if availability_zone and ':' in availability_zone:
        # "az:host[:node]" forces a host: admins only.
        ctx.can(policies.CREATE_FORCED_HOST, {'project_id': ctx.project_id,
                                              'user_id': ctx.user_id})
        raise fault.http_error(
            501, 'Forcing a host with availability_zone "az:host" is not '
            'implemented yet.')
    if server.get('host') or server.get('hypervisor_hostname'):
        raise fault.http_error(
            501, 'Requesting a host (2.74) is not implemented yet.')
    hints = dict(data.get('os:scheduler_hints') or
                 data.get('OS-SCH-HNT:scheduler_hints') or {})
    group = hints.get('group')
    if group is not None and not uuidutils.is_uuid_like(str(group)):
        raise fault.http_error(
            400, 'Invalid input for field/attribute group. Value: %s. '
            "'%s' is not a 'uuid'" % (group, group))
    metadata = server.get('metadata') or {}
    flavorid = _flavor_id(server['flavorRef'])
    try:
        uuids = common.services(req).servers.create(
            ctx, flavorid, {'id': image_id, 'name': None, 'properties': {}},
            server['name'], min_count=min_count, max_count=max_count,
            availability_zone=availability_zone, metadata=metadata,
            scheduler_hints=hints, group=group,
            user_data=server.get('user_data'),
            key_name=server.get('key_name'))
    except exception.FlavorNotFound as exc:
        raise fault.http_error(400, exc.format_message())
    except exception.NotFound as exc:
        # An unknown server group in the hints is the caller's mistake.
        raise fault.http_error(400, exc.format_message())
    if server.get('return_reservation_id'):
        return wsgi.json_response(
            req, {'reservation_id': 'r-%s' % uuids[0].split('-')[0]},
            status=202)
    body = {'server': {
        'id': uuids[0],
        'links': views.server_brief(req, {'uuid': uuids[0]})['links'],
        'OS-DCF:diskConfig': server.get('OS-DCF:diskConfig', 'MANUAL'),
        'security_groups': [{'name': 'default'}],
        'adminPass': server.get('adminPass') or ''.join(
            secrets.choice(_PASSWORD_CHARS) for _ in range(12)),
    }}
    resp = wsgi.json_response(req, body, status=202)
    resp.headers['Location'] = body['server']['links'][0]['href']
    return resp


# -- list -----------------------------------------------------------------------

def _list(req, detail):
    ctx = req.context
    strict = req.microversion.matches(mv.STRICT_QUERY)
    params = common.query(req, schema.QUERY_V275 if strict else schema.QUERY)
    ctx.can(policies.DETAIL if detail else policies.INDEX,
            {'project_id': ctx.project_id, 'user_id': ctx.user_id})
    admin = common.is_admin(ctx)
    all_tenants = False
    if 'all_tenants' in params:
        value = params['all_tenants'].lower()
        all_tenants = value not in ('false', 'f', '0', 'no', 'n', 'off')
    if all_tenants:
        ctx.can(policies.DETAIL_ALL_TENANTS if detail
                else policies.INDEX_ALL_TENANTS,
                {'project_id': ctx.project_id, 'user_id': ctx.user_id})
    limit = MAX_LIMIT
    if 'limit' in params:
        limit = min(common.positive_int(params['limit'], 'limit'), MAX_LIMIT)
    servers = common.services(req).servers.list(
        ctx, all_projects=all_tenants)
    servers = _filter(servers, params, admin, all_tenants)
    if 'marker' in params:
        servers = common.after_marker(servers, 'uuid', params['marker'])
    more = len(servers) > limit
    servers = servers[:limit]
    if detail:
        show_specs = _allowed(ctx, policies.SHOW_FLAVOR_EXTRA_SPECS)
        entries = [views.server_detail(req, s, admin=admin,
                                       show_extra_specs=show_specs)
                   for s in servers]
    else:
        entries = [views.server_partial(req, s) if s.get('partial')
                   else views.server_brief(req, s) for s in servers]
    body = {'servers': entries}
    if more or ('limit' in params and servers and len(servers) == limit):
        body['servers_links'] = [{'rel': 'next', 'href': '%s%s?%s' % (
            req.host_url, req.path, _next_query(req, servers[-1]['uuid']))}]
    return wsgi.json_response(req, body)


def _next_query(req, marker):
    pairs = [(k, v) for k, v in req.GET.items() if k != 'marker']
    pairs.append(('marker', marker))
    return '&'.join('%s=%s' % pair for pair in pairs)


def _allowed(ctx, action):
    try:
        return ctx.can(action, {'project_id': ctx.project_id,
                                'user_id': ctx.user_id})
    except exception.PolicyNotAuthorized:
        return False


def _filter(servers, params, admin, all_tenants):
    if 'name' in params:
        try:
            pattern = re.compile(params['name'])
        except re.error:
            pattern = re.compile(re.escape(params['name']))
        servers = [s for s in servers
                   if pattern.search(s.get('display_name') or '')]
    if 'status' in params:
        wanted = {v.upper() for v in params.getall('status')} if hasattr(
            params, 'getall') else {params['status'].upper()}
        servers = [s for s in servers if s.get('status') in wanted]
    if admin:
        for name, key in (('host', 'host'), ('node', 'node'),
                          ('user_id', 'user_id'), ('uuid', 'uuid'),
                          ('availability_zone', 'availability_zone')):
            if name in params:
                servers = [s for s in servers if s.get(key) == params[name]]
        project = params.get('project_id') or params.get('tenant_id')
        if project and all_tenants:
            servers = [s for s in servers if s.get('project_id') == project]
    return servers


def list_servers(req):
    return _list(req, detail=False)


def list_servers_detail(req):
    return _list(req, detail=True)


# -- show / update / delete -----------------------------------------------------

def _with_server_groups(req, view):
    """2.71: the uuids of the server's group(s) in show and update."""
    if req.microversion.matches(mv.SERVER_GROUPS) and 'partial' not in view:
        with common.services(req).cells.api.reader(req.context) as conn:
            group = db_server_group.get_by_instance_uuid(conn, view['id'])
        view['server_groups'] = [group['uuid']] if group else []
    return view


def show_server(req):
    ctx = req.context
    server = get_visible(req, req.path_arg('server_id'), policies.SHOW)
    return wsgi.json_response(req, {'server': _with_server_groups(
        req, views.server_detail(
            req, server, admin=common.is_admin(ctx),
            show_extra_specs=_allowed(
                ctx, policies.SHOW_FLAVOR_EXTRA_SPECS)))})


def update_server(req):
    ctx = req.context
    uuid = req.path_arg('server_id')
    data = common.body(req, schema.UPDATE)
    server = get_visible(req, uuid, policies.UPDATE)
    changes = data['server']
    if 'description' in changes:
        raise fault.http_error(
            501, 'Server descriptions are not implemented yet.')
    if 'name' in changes:
        common.services(req).server_ops.rename(ctx, uuid, changes['name'])
        server = common.services(req).servers.get(ctx, uuid)
    return wsgi.json_response(req, {'server': _with_server_groups(
        req, views.server_detail(
            req, server, admin=common.is_admin(ctx),
            show_extra_specs=_allowed(
                ctx, policies.SHOW_FLAVOR_EXTRA_SPECS),
            show_fault=False))})


def delete_server(req):
    uuid = req.path_arg('server_id')
    get_visible(req, uuid, policies.DELETE)
    common.services(req).servers.delete(req.context, uuid)
    return wsgi.empty_response(204)
