"""Handlers of /os-services: list, update (enable, disable, force down) and
delete the service records of every cell.

Before 2.53 a service is named by its integer id (DELETE) or by host and
binary in the body of ``PUT /os-services/{action}``; from 2.53 by its uuid,
and only nova-compute services can be updated (as Nova).
"""

from oslo_utils import uuidutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import hosts_api
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import services as policies
from nova_core.api.compute.schemas import services as schema
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core import exception


def _hosts(req):
    return common.services(req).hosts


def _view(req, service, zones):
    hosts = _hosts(req)
    uuids = req.microversion.matches(mv.SERVICE_UUIDS)
    view = {
        'id': service['uuid'] if uuids else service['id'],
        'binary': service['binary'],
        'host': service['host'],
        'zone': hosts.zone_of(service, zones),
        'status': 'disabled' if service['disabled'] else 'enabled',
        'state': 'up' if hosts.is_up(service) else 'down',
        'updated_at': hosts_api.timestamp(service.get('updated_at')),
        'disabled_reason': service.get('disabled_reason'),
    }
    if req.microversion.matches(mv.SERVICE_FORCED_DOWN):
        view['forced_down'] = bool(service.get('forced_down'))
    return view


def list_services(req):
    req.context.can(policies.LIST, {})
    strict = req.microversion.matches(mv.STRICT_QUERY)
    params = common.query(req, schema.QUERY_V275 if strict else schema.QUERY)
    hosts = _hosts(req)
    down = [] if req.microversion.matches(mv.DOWN_CELLS) else None
    found = hosts.services(req.context, host=params.get('host'),
                           binary=params.get('binary'), down=down)
    zones = hosts.host_zones(req.context)
    views = [_view(req, s, zones) for s in found]
    # From 2.69 the computes of a cell that does not answer are listed
    # with what the API database knows (before, they are left out).
    for partial in hosts.unreachable_computes(req.context, down or []):
        if all(params.get(key) in (None, partial[key])
               for key in ('host', 'binary')):
            views.append(dict(partial, status='UNKNOWN'))
    return wsgi.json_response(req, {'services': views})


def update_service(req):
    """``PUT /os-services/{uuid}`` from 2.53, the actions before."""
    req.context.can(policies.UPDATE, {})
    if req.microversion.matches(mv.SERVICE_UUIDS):
        return _update_v253(req, req.path_arg('service_id'))
    action = req.path_arg('service_id')
    actions = {'enable': _enable, 'disable': _disable,
               'disable-log-reason': _disable_log_reason}
    if req.microversion.matches(mv.SERVICE_FORCED_DOWN):
        actions['force-down'] = _force_down
    if action not in actions:
        raise fault.http_error(404, 'Unknown action')
    return actions[action](req)


def _only_computes(binary):
    if binary != hosts_api.COMPUTE_BINARY:
        raise fault.http_error(
            400, 'Updating a %s service is not supported. Only '
                 'nova-compute services can be updated.' % binary)


def _by_host_and_binary(req, data):
    _only_computes(data['binary'])
    return _hosts(req).service_by_host_and_binary(
        req.context, data['host'], data['binary'])


def _set_status(req, disabled, reason=None, with_reason=False):
    data = common.body(req, schema.UPDATE)
    if with_reason:
        reason = data.get('disabled_reason')
        if reason is None:
            raise fault.http_error(400, 'Missing disabled reason field')
    service = _by_host_and_binary(req, data)
    _hosts(req).update_service(req.context, service, {
        'disabled': disabled, 'disabled_reason': reason})
    view = {'host': data['host'], 'binary': data['binary'],
            'status': 'disabled' if disabled else 'enabled'}
    if with_reason:
        view['disabled_reason'] = reason
    return wsgi.json_response(req, {'service': view})


def _enable(req):
    return _set_status(req, False)


def _disable(req):
    return _set_status(req, True)


def _disable_log_reason(req):
    return _set_status(req, True, with_reason=True)


def _force_down(req):
    data = common.body(req, schema.FORCE_DOWN)
    if 'forced_down' not in data:
        raise fault.http_error(400, 'Missing forced_down field')
    service = _by_host_and_binary(req, data)
    _hosts(req).update_service(req.context, service,
                               {'forced_down': data['forced_down']})
    return wsgi.json_response(req, {'service': {
        'host': data['host'], 'binary': data['binary'],
        'forced_down': data['forced_down']}})


def _update_v253(req, service_id):
    if not uuidutils.is_uuid_like(service_id):
        raise fault.http_error(400, 'Invalid uuid %s' % service_id)
    data = common.body(req, schema.UPDATE_V253)
    status = data.get('status')
    reason = data.get('disabled_reason')
    hosts = _hosts(req)
    service = hosts.service_by_uuid(req.context, service_id)
    _only_computes(service['binary'])
    if reason is not None and status == 'enabled':
        raise fault.http_error(
            400, "Specifying 'disabled_reason' with status 'enabled' is "
                 "invalid.")
    if status is None and 'forced_down' not in data:
        raise fault.http_error(
            400, "No updates were requested. Fields 'status' or "
                 "'forced_down' should be specified.")
    values = {}
    if status is not None:
        values['disabled'] = status == 'disabled'
        values['disabled_reason'] = reason if status == 'disabled' else None
    if 'forced_down' in data:
        values['forced_down'] = data['forced_down']
    service = hosts.update_service(req.context, service, values)
    return wsgi.json_response(req, {'service': _view(
        req, service, hosts.host_zones(req.context))})


def delete_service(req):
    req.context.can(policies.DELETE, {})
    service_id = req.path_arg('service_id')
    hosts = _hosts(req)
    if req.microversion.matches(mv.SERVICE_UUIDS):
        if not uuidutils.is_uuid_like(service_id):
            raise fault.http_error(400, 'Invalid uuid %s' % service_id)
    else:
        try:
            number = int(service_id)
        except ValueError:
            raise fault.http_error(
                400, 'Invalid input received: id must be an integer')
    try:
        if req.microversion.matches(mv.SERVICE_UUIDS):
            service = hosts.service_by_uuid(req.context, service_id)
        else:
            service = hosts.service_by_id(req.context, number)
    except exception.ServiceNotFound:
        raise fault.http_error(404, 'Service %s not found.' % service_id)
    hosts.delete_service(req.context, service)
    return wsgi.empty_response(204)
