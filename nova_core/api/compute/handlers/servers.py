"""Handlers of /servers, /servers/detail and /servers/{id}."""

import secrets
import string

from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute.handlers import flavors
from nova_core.api.compute.handlers import server_query
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import servers as policies
from nova_core.api.compute import quotas
from nova_core.api.compute import requested_networks
from nova_core.api.compute.schemas import servers as schema
from nova_core.api.compute import server_ops
from nova_core.api.compute import servers_api
from nova_core.api.compute import views
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core.db import server_group as db_server_group
from nova_core import exception

MAX_LIMIT = 1000
_PASSWORD_CHARS = string.ascii_letters + string.digits
_RESERVATION_CHARS = string.ascii_lowercase + string.digits


def _instance_target(server):
    return {'project_id': server.get('project_id'),
            'user_id': server.get('user_id')}


def get_visible(req, uuid, action, partial_ok=False):
    """The server *uuid* if the caller may *action* it; 404 otherwise.

    As in Nova, another project's server does not exist for a non-admin
    (404, not 403). A server whose cell does not answer is a 503, unless
    *partial_ok* (then its partial record is returned).
    """
    if not uuidutils.is_uuid_like(uuid):
        raise exception.InstanceNotFound(instance_id=uuid)
    ctx = req.context
    server = common.services(req).servers.get(ctx, uuid)
    if (server.get('project_id') != ctx.project_id and
            not common.is_admin(ctx)):
        raise exception.InstanceNotFound(instance_id=uuid)
    ctx.can(action, _instance_target(server))
    if server.get('partial') and not partial_ok:
        raise fault.http_error(
            503, 'Cell %s is not responding or returned an error, hence '
            'instance info is not available.' % server.get('cell_uuid'))
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


def _newer_fields(req, server, since):
    """Nova's 400 for a field the request's microversion does not have."""
    for name, version in sorted(since.items()):
        if name in server and not req.microversion.matches(version):
            raise fault.http_error(
                400, 'Invalid input for field/attribute server. Value: %s. '
                "Additional properties are not allowed ('%s' was "
                'unexpected)' % (jsonutils.dumps(server), name))


def _check_personality(req, files):
    """Nova's injected-file quotas on the ``personality`` of a create
    (accepted before 2.57; the files are not injected)."""
    services = common.services(req)
    with services.cells.api.reader(req.context) as conn:
        limits = quotas.limits(services.servers.conf, conn,
                               req.context.project_id)
    quotas.check_personality(limits, files)


def create_server(req):
    ctx = req.context
    data = common.body(req, schema.CREATE)
    server = data['server']
    _newer_fields(req, server, schema.CREATE_SINCE)
    ctx.can(policies.CREATE, {'project_id': ctx.project_id,
                              'user_id': ctx.user_id})
    if server.get('tags'):
        raise fault.http_error(501, 'Server tags are not implemented yet.')
    if req.microversion.matches('2.37') and 'networks' not in server:
        raise fault.http_error(
            400, "Invalid input for field/attribute server. Value: %s. "
            "'networks' is a required property" % jsonutils.dumps(server))
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
    if server.get('hostname') and max_count > 1:
        raise fault.http_error(
            400, 'Unable to allocate a single hostname to multiple '
            'instances')
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
    if availability_zone and availability_zone not in (
            common.services(req).hosts.available_zones(ctx)):
        raise fault.http_error(
            400, 'The requested availability zone is not available')
    hints = dict(data.get('os:scheduler_hints') or
                 data.get('OS-SCH-HNT:scheduler_hints') or {})
    group = hints.get('group')
    if group is not None and not uuidutils.is_uuid_like(str(group)):
        raise fault.http_error(
            400, 'Invalid input for field/attribute group. Value: %s. '
            "'%s' is not a 'uuid'" % (group, group))
    if server.get('personality'):
        _check_personality(req, server['personality'])
    metadata = server.get('metadata') or {}
    flavorid = _flavor_id(server['flavorRef'])
    reservation_id = 'r-' + ''.join(
        secrets.choice(_RESERVATION_CHARS) for _ in range(8))
    try:
        flavor = flavors.visible(req, flavorid)
        uuids = common.services(req).servers.create(
            ctx, flavor, image_id,
            server['name'], min_count=min_count, max_count=max_count,
            availability_zone=availability_zone, metadata=metadata,
            scheduler_hints=hints, group=group,
            user_data=server.get('user_data'),
            key_name=server.get('key_name'),
            description=server.get('description'),
            hostname=server.get('hostname'),
            networks=requested_networks.parse(server.get('networks'),
                                              max_count),
            reservation_id=reservation_id)
    except exception.ImageNotFound:
        raise fault.http_error(400, 'Can not find requested image')
    except exception.FlavorNotFound as exc:
        raise fault.http_error(400, exc.format_message())
    except exception.KeypairNotFound:
        raise fault.http_error(400, 'Invalid key_name provided.')
    except exception.NotFound as exc:
        # An unknown server group in the hints is the caller's mistake.
        raise fault.http_error(400, exc.format_message())
    if server.get('return_reservation_id'):
        return wsgi.json_response(
            req, {'reservation_id': reservation_id}, status=202)
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
    ctx.can(policies.DETAIL if detail else policies.INDEX,
            {'project_id': ctx.project_id, 'user_id': ctx.user_id})
    admin = common.is_admin(ctx)
    query = server_query.Query(req, _allowed(ctx, policies.ALLOW_ALL_FILTERS))
    params = query.params
    if query.all_tenants:
        ctx.can(policies.DETAIL_ALL_TENANTS if detail
                else policies.INDEX_ALL_TENANTS,
                {'project_id': ctx.project_id, 'user_id': ctx.user_id})
    limit = MAX_LIMIT
    if 'limit' in params:
        limit = min(common.positive_int(params['limit'], 'limit'), MAX_LIMIT)
    servers = common.services(req).servers.list(
        ctx, filters={'deleted': query.deleted},
        all_projects=query.all_tenants)
    servers = query.sorted(query.filter(servers))
    if 'marker' in params:
        servers = common.after_marker(servers, 'uuid', params['marker'])
    if not req.microversion.matches(mv.DOWN_CELLS):
        # Before 2.69 the servers of a cell that did not answer are left
        # out.
        servers = [s for s in servers if not s.get('partial')]
    more = len(servers) > limit
    servers = servers[:limit]
    if detail:
        show_specs = _allowed(ctx, policies.SHOW_FLAVOR_EXTRA_SPECS)
        entries = [views.server_detail(req, s, admin=admin,
                                       show_extra_specs=show_specs)
                   for s in _with_host_status(req, servers)]
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


def _with_host_status(req, servers):
    """*servers* with Nova's ``host_status`` (2.16) for callers allowed to
    see it: "" without a host or compute service, DOWN if forced down,
    MAINTENANCE if disabled, UP if reporting, UNKNOWN if not."""
    ctx = req.context
    if not (req.microversion.matches(mv.HOST_STATUS) and
            _allowed(ctx, policies.SHOW_HOST_STATUS)):
        return servers
    hosts = common.services(req).hosts
    services = {}
    if any(s.get('host') for s in servers):
        for service in hosts.services(ctx, binary=servers_api.COMPUTE_BINARY):
            services[service['cell']['uuid'], service['host']] = service
    answer = []
    for server in servers:
        service = services.get((server.get('cell_uuid'), server.get('host')))
        if server.get('partial'):
            answer.append(server)
            continue
        if not server.get('host') or service is None:
            status = ''
        elif service.get('forced_down'):
            status = 'DOWN'
        elif service.get('disabled'):
            status = 'MAINTENANCE'
        else:
            status = 'UP' if hosts.is_up(service) else 'UNKNOWN'
        answer.append(dict(server, host_status=status))
    return answer


def show_server(req):
    ctx = req.context
    server = get_visible(req, req.path_arg('server_id'), policies.SHOW,
                         partial_ok=req.microversion.matches(mv.DOWN_CELLS))
    if server.get('partial'):
        return wsgi.json_response(req, {'server': _with_server_groups(
            req, views.server_partial_show(req, server, _allowed(
                ctx, policies.SHOW_FLAVOR_EXTRA_SPECS)))})
    [server] = _with_host_status(req, [server])
    return wsgi.json_response(req, {'server': _with_server_groups(
        req, views.server_detail(
            req, server, admin=common.is_admin(ctx),
            show_extra_specs=_allowed(
                ctx, policies.SHOW_FLAVOR_EXTRA_SPECS)))})


def show_topology(req):
    """2.78: the server's NUMA topology. nova_core places no server on
    NUMA nodes (no driver reports them), so every server has none: Nova's
    answer for a server without a NUMA topology."""
    get_visible(req, req.path_arg('server_id'), policies.TOPOLOGY)
    return wsgi.json_response(req, {'nodes': [], 'pagesize_kb': None})


_UPDATE_HIDDEN = frozenset((
    'OS-EXT-AZ:availability_zone', 'config_drive', 'host_status',
    'key_name', 'security_groups', 'os-extended-volumes:volumes_attached'))
_UPDATE_HIDDEN_PREFIXES = ('OS-EXT-SRV-ATTR:', 'OS-SRV-USG:', 'OS-EXT-STS:')


def update_server(req):
    ctx = req.context
    uuid = req.path_arg('server_id')
    data = common.body(req, schema.UPDATE)
    changes = data['server']
    _newer_fields(req, changes, schema.UPDATE_SINCE)
    server = get_visible(req, uuid, policies.UPDATE)
    if {'name', 'description', 'hostname'} & set(changes):
        common.services(req).server_ops.update(
            ctx, uuid, name=changes.get('name'),
            description=changes.get('description', server_ops.UNSET),
            hostname=changes.get('hostname'))
        server = common.services(req).servers.get(ctx, uuid)
    [server] = _with_host_status(req, [server])
    view = views.server_detail(
        req, server, admin=common.is_admin(ctx),
        show_extra_specs=_allowed(ctx, policies.SHOW_FLAVOR_EXTRA_SPECS),
        show_fault=False)
    if not req.microversion.matches(mv.STRICT_QUERY):
        # Before 2.75 the answer to an update is the server without its
        # extended attributes.
        view = {key: value for key, value in view.items()
                if key not in _UPDATE_HIDDEN and
                not key.startswith(_UPDATE_HIDDEN_PREFIXES)}
    return wsgi.json_response(req, {'server': _with_server_groups(
        req, view)})


def delete_server(req):
    uuid = req.path_arg('server_id')
    get_visible(req, uuid, policies.DELETE)
    common.services(req).servers.delete(req.context, uuid)
    return wsgi.empty_response(204)
