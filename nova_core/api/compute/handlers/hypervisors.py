"""Handlers of /os-hypervisors: the compute nodes of every cell.

Hypervisors are named by their integer id before 2.53 and by the compute
node's uuid from it; 2.53 also replaces the ``search`` and ``servers``
routes by the ``hypervisor_hostname_pattern`` and ``with_servers`` query
parameters. 2.88 drops the resource figures (placement has them) and cpu_info,
``/statistics`` and ``/uptime``, and shows the uptime in the detailed
views instead.
"""

from oslo_serialization import jsonutils
from oslo_utils import strutils
from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import hypervisors as policies
from nova_core.api.compute.schemas import hypervisors as schema
from nova_core.api import fault
from nova_core.api import wsgi

# Figures shown before 2.88.
_FIGURES = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
            'local_gb_used', 'free_ram_mb', 'free_disk_gb',
            'disk_available_least', 'running_vms')
_STATISTICS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
               'memory_mb_used', 'local_gb_used', 'free_ram_mb',
               'free_disk_gb', 'current_workload', 'running_vms',
               'disk_available_least')


def _hosts(req):
    return common.services(req).hosts


def _uuids(req):
    return req.microversion.matches(mv.SERVICE_UUIDS)


def _nodes(req):
    """The nodes that have a service record (Nova leaves the others out)."""
    return [n for n in _hosts(req).nodes(req.context) if n['service']]


def _brief(req, node):
    service = node['service']
    return {
        'id': node['uuid'] if _uuids(req) else node['id'],
        'hypervisor_hostname': node['hypervisor_hostname'],
        'state': 'up' if _hosts(req).is_up(service) else 'down',
        'status': 'disabled' if service['disabled'] else 'enabled',
    }


def _cpu_info(req, node):
    text = node.get('cpu_info') or '{}'
    if not req.microversion.matches(mv.HYPERVISOR_CPU_INFO_OBJECT):
        return text
    try:
        return jsonutils.loads(text)
    except ValueError:
        return {}


def _workload(node):
    """The node's ``io_workload`` stat (0 without one)."""
    stats = node.get('stats') or {}
    if isinstance(stats, str):
        try:
            stats = jsonutils.loads(stats)
        except ValueError:
            stats = {}
    try:
        return int(stats.get('io_workload', 0))
    except (AttributeError, TypeError, ValueError):
        return 0


def _detail(req, node):
    view = _brief(req, node)
    service = node['service']
    view.update({
        'hypervisor_type': node.get('hypervisor_type'),
        'hypervisor_version': node.get('hypervisor_version'),
        'host_ip': node.get('host_ip'),
        'service': {
            'host': service['host'],
            'id': service['uuid'] if _uuids(req) else service['id'],
            'disabled_reason': service.get('disabled_reason'),
        },
    })
    if not req.microversion.matches(mv.HYPERVISOR_NO_STATS):
        for key in _FIGURES:
            view[key] = node.get(key) or 0
        view['current_workload'] = _workload(node)
        view['cpu_info'] = _cpu_info(req, node)
    else:
        # A host that is down cannot say (Nova shows none).
        view['uptime'] = (_uptime(node) if _hosts(req).is_up(service)
                          else None)
    return view


def _with_servers(req, view, node, wanted):
    if not wanted:
        return view
    servers = _hosts(req).servers_on(req.context, node)
    # Before 2.75 the key is left out for a hypervisor without servers.
    if servers or req.microversion.matches(mv.STRICT_QUERY):
        view['servers'] = servers
    return view


def _flag(params, name):
    return strutils.bool_from_string(params.get(name, 'false'),
                                     default=False)


def _listing(req, view_fn, policy):
    req.context.can(policy, {})
    if _uuids(req):
        params = common.query(req, schema.QUERY_V253)
    elif req.microversion.matches(mv.HYPERVISOR_PAGING):
        params = common.query(req, schema.QUERY_V233)
    else:
        params = {}
        common.query(req, schema.QUERY)
    nodes = _nodes(req)
    pattern = params.get('hypervisor_hostname_pattern')
    if pattern is not None:
        if 'limit' in params or 'marker' in params:
            raise fault.http_error(
                400, 'Paging over hypervisors with the '
                     'hypervisor_hostname_pattern query parameter is not '
                     'supported.')
        nodes = _matching(nodes, pattern)
    key = 'uuid' if _uuids(req) else 'id'
    if 'marker' in params:
        marker = params['marker']
        if not _uuids(req):
            try:
                marker = int(marker)
            except ValueError:
                raise fault.http_error(400, 'marker [%s] not found' % marker)
        nodes = common.after_marker(nodes, key, marker)
    next_marker = None
    if 'limit' in params:
        limit = common.positive_int(params['limit'], 'limit')
        if len(nodes) > limit:
            nodes = nodes[:limit]
            next_marker = nodes[-1][key] if nodes else None
    servers = _flag(params, 'with_servers')
    body = {'hypervisors': [_with_servers(req, view_fn(req, n), n, servers)
                            for n in nodes]}
    if next_marker is not None:
        body['hypervisors_links'] = [{'rel': 'next', 'href': '%s%s?%s' % (
            req.host_url, req.path, 'limit=%s&marker=%s' % (
                params['limit'], next_marker))}]
    return wsgi.json_response(req, body)


def _matching(nodes, pattern):
    found = [n for n in nodes if pattern in n['hypervisor_hostname']]
    if not found:
        raise fault.http_error(
            404, "No hypervisor matching '%s' could be found." % pattern)
    return found


def list_hypervisors(req):
    return _listing(req, _brief, policies.LIST)


def list_hypervisors_detail(req):
    return _listing(req, _detail, policies.LIST_DETAIL)


def _get(req):
    ident = req.path_arg('hypervisor_id')
    if _uuids(req):
        if not uuidutils.is_uuid_like(ident):
            raise fault.http_error(400, 'Invalid uuid %s' % ident)
        found = [n for n in _nodes(req) if n['uuid'] == ident]
    else:
        found = [n for n in _nodes(req) if str(n['id']) == ident]
    if len(found) != 1:
        raise fault.http_error(
            404, "Hypervisor with ID '%s' could not be found." % ident)
    return found[0]


def _uptime(node):
    """An ``uptime``-like line for the fake hypervisor, counted from its
    service's first record."""
    started = node['service'].get('created_at')
    if isinstance(started, str):
        started = timeutils.normalize_time(timeutils.parse_isotime(started))
    now = timeutils.utcnow()
    up = now - (started or now)
    hours, rest = divmod(up.seconds, 3600)
    return ' %s up %d days, %2d:%02d,  0 users,  load average: 0.00, 0.00, ' \
           '0.00' % (now.strftime('%H:%M:%S'), up.days, hours, rest // 60)


def show_hypervisor(req):
    req.context.can(policies.SHOW, {})
    params = (common.query(req, schema.SHOW_V253) if _uuids(req) else {})
    node = _get(req)
    view = _with_servers(req, _detail(req, node), node,
                         _flag(params, 'with_servers'))
    return wsgi.json_response(req, {'hypervisor': view})


def show_uptime(req):
    req.context.can(policies.UPTIME, {})
    node = _get(req)
    if not _hosts(req).is_up(node['service']):
        raise fault.http_error(
            400, 'Compute service of %s is unavailable at this time.'
            % node['host'])
    return wsgi.json_response(req, {'hypervisor': dict(
        _brief(req, node), uptime=_uptime(node))})


def statistics(req):
    req.context.can(policies.STATISTICS, {})
    nodes = _nodes(req)
    stats = {key: 0 for key in _STATISTICS}
    for node in nodes:
        for key in _STATISTICS:
            if key == 'current_workload':
                stats[key] += _workload(node)
            else:
                stats[key] += node.get(key) or 0
    stats['count'] = len(nodes)
    return wsgi.json_response(req, {'hypervisor_statistics': stats})


def search(req):
    req.context.can(policies.SEARCH, {})
    nodes = _matching(_nodes(req),
                      req.path_arg('hypervisor_hostname_pattern'))
    return wsgi.json_response(
        req, {'hypervisors': [_brief(req, n) for n in nodes]})


def servers(req):
    req.context.can(policies.SERVERS, {})
    nodes = _matching(_nodes(req),
                      req.path_arg('hypervisor_hostname_pattern'))
    return wsgi.json_response(req, {'hypervisors': [
        _with_servers(req, _brief(req, n), n, True) for n in nodes]})
