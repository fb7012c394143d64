"""``GET /servers/{id}/os-instance-actions(/{request_id})``: a server's
audit trail.

Actions are read from the cell holding the instance; a server not yet
scheduled (only a build request) has none. From 2.21 the actions of a
deleted server stay readable, as in Nova. What an action's events show
depends on the microversion and on policy (tracebacks and the host for
admins, the hashed ``hostId`` for everybody from 2.62, ``details`` from
2.84).
"""

import datetime

from oslo_utils import timeutils
from oslo_utils import uuidutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import instance_actions as policies
from nova_core.api.compute.schemas import instance_actions as schema
from nova_core.api.compute import views
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core.db import build_request as db_build_request
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_mapping as db_instance_mapping
from nova_core import exception

MAX_LIMIT = 1000
_ACTION_KEYS = ('action', 'instance_uuid', 'message', 'project_id',
                'request_id', 'user_id')


def _read(req, uuid, policy, read):
    """``(project_id, read(conn) or None)`` for the server *uuid*.

    404 for a server the caller may not see (another project's, as for
    the server itself); *read* is not called for a server that is not in
    a cell yet.
    """
    ctx = req.context
    if not uuidutils.is_uuid_like(uuid):
        raise exception.InstanceNotFound(instance_id=uuid)
    services = common.services(req)
    with services.cells.api.reader(ctx) as conn:
        try:
            mapping = db_instance_mapping.get_by_instance_uuid(conn, uuid)
        except exception.InstanceMappingNotFound:
            raise exception.InstanceNotFound(instance_id=uuid) from None
        cell = None
        if mapping.get('cell_uuid'):
            cell = db_cell_mapping.get_by_uuid(conn, mapping['cell_uuid'])
        else:
            try:
                db_build_request.get_by_instance_uuid(conn, uuid)
            except exception.BuildRequestNotFound:
                raise exception.InstanceNotFound(instance_id=uuid) from None
    project_id = mapping.get('project_id')
    if project_id != ctx.project_id and not common.is_admin(ctx):
        raise exception.InstanceNotFound(instance_id=uuid)
    ctx.can(policy, {'project_id': project_id})
    if cell is None:
        return project_id, None
    include_deleted = req.microversion.matches(mv.DELETED_ACTIONS)

    def read_cell(cctx):
        with cctx.db_connection.reader(cctx) as conn:
            try:
                # Before 2.21 a deleted server has no actions to show.
                db_instance.get_by_uuid(conn, uuid,
                                        include_deleted=include_deleted)
            except exception.InstanceNotFound as exc:
                return exc
            return [read(conn)]
    # A cell that fails or does not answer in time is a 503, not a hang.
    result = db_cells.scatter_gather_cells(
        ctx, [cell], services.servers.conf.scheduler.cell_timeout,
        read_cell, cells=services.cells)[cell['uuid']]
    if isinstance(result, exception.InstanceNotFound):
        raise result
    if not isinstance(result, list):
        raise fault.http_error(
            503, 'Cell %s is not responding or returned an error, hence '
            'instance info is not available.' % cell['uuid'])
    return project_id, result[0]


def _time(value):
    """Nova's action timestamps: ISO 8601 with microseconds, no zone."""
    if value is None:
        return None
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    if value.tzinfo is not None:
        value = timeutils.normalize_time(value)
    return value.strftime('%Y-%m-%dT%H:%M:%S.%f')


def _action_view(req, action):
    view = {key: action.get(key) for key in _ACTION_KEYS}
    view['start_time'] = _time(action.get('start_time'))
    if req.microversion.matches(mv.ACTION_PAGING):
        view['updated_at'] = _time(_updated(action))
    return view


def _updated(action):
    return (action.get('updated_at') or action.get('created_at') or
            action.get('start_time'))


def _allowed(ctx, policy, project_id):
    try:
        return ctx.can(policy, {'project_id': project_id})
    except exception.PolicyNotAuthorized:
        return False


def _event_view(req, event, project_id, admin_events, show_details):
    view = {'event': event.get('event'),
            'start_time': _time(event.get('start_time')),
            'finish_time': _time(event.get('finish_time')),
            'result': event.get('result')}
    version = req.microversion
    if admin_events:
        view['traceback'] = event.get('traceback')
    if version.matches(mv.EVENT_HOST):
        view['hostId'] = views.host_id(project_id, event.get('host'))
        if admin_events:
            view['host'] = event.get('host')
    if show_details and version.matches(mv.EVENT_DETAILS):
        view['details'] = event.get('details')
    return view


# -- list -----------------------------------------------------------------------

def _parse_time(params, name):
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(params[name]))
    except ValueError:
        raise fault.http_error(
            400, "Invalid input for query parameters %s. Value: %s. '%s' is "
            "not a 'date-time'" % (name, params[name], params[name]))


def _paging(req):
    """Limit, marker and the changes-since/-before window (2.58, 2.66)."""
    version = req.microversion
    if not version.matches(mv.ACTION_PAGING):
        return MAX_LIMIT, None, None, None
    params = common.query(req, schema.QUERY_V266 if version.matches(
        mv.CHANGES_BEFORE) else schema.QUERY_V258)
    limit = MAX_LIMIT
    if 'limit' in params:
        limit = min(common.positive_int(params['limit'], 'limit'), MAX_LIMIT)
    since = _parse_time(params, 'changes-since') if (
        'changes-since' in params) else None
    before = _parse_time(params, 'changes-before') if (
        'changes-before' in params) else None
    if since and before and since > before:
        raise fault.http_error(
            400, 'The value of changes-since must be less than or equal to '
            'changes-before.')
    return limit, params.get('marker'), since, before


def _window(actions, since, before):
    def when(action):
        value = _updated(action)
        if isinstance(value, str):
            value = timeutils.parse_isotime(value)
        if isinstance(value, datetime.datetime) and value.tzinfo:
            value = timeutils.normalize_time(value)
        return value
    if since is not None:
        actions = [a for a in actions if when(a) and when(a) >= since]
    if before is not None:
        actions = [a for a in actions if when(a) and when(a) <= before]
    return actions


def list_actions(req):
    uuid = req.path_arg('server_id')
    limit, marker, since, before = _paging(req)
    _project, actions = _read(
        req, uuid, policies.LIST,
        lambda conn: db_instance_action.get_by_instance(conn, uuid))
    actions = _window(actions or [], since, before)
    if marker is not None:
        ids = [a['request_id'] for a in actions]
        if marker not in ids:
            raise exception.MarkerNotFound(marker=marker)
        actions = actions[ids.index(marker) + 1:]
    actions = actions[:limit]
    body = {'instanceActions': [_action_view(req, a) for a in actions]}
    if (req.microversion.matches(mv.ACTION_PAGING) and actions and
            len(actions) == limit):
        pairs = [(k, v) for k, v in req.GET.items() if k != 'marker']
        pairs.append(('marker', actions[-1]['request_id']))
        body['links'] = [{'rel': 'next', 'href': '%s%s?%s' % (
            req.host_url, req.path, '&'.join('%s=%s' % p for p in pairs))}]
    return wsgi.json_response(req, body)


# -- show -----------------------------------------------------------------------

def show_action(req):
    ctx = req.context
    uuid = req.path_arg('server_id')
    request_id = req.path_arg('request_id')

    def read(conn):
        try:
            return db_instance_action.get_by_request_id(conn, uuid,
                                                        request_id)
        except exception.InstanceActionNotFound:
            return None
    project_id, action = _read(req, uuid, policies.SHOW, read)
    if action is None:
        raise fault.http_error(404, 'Action %s not found' % request_id)
    view = _action_view(req, action)
    admin_events = _allowed(ctx, policies.EVENTS, project_id)
    if admin_events or req.microversion.matches(mv.ACTION_EVENTS_ALWAYS):
        show_details = _allowed(ctx, policies.EVENTS_DETAILS, project_id)
        view['events'] = [
            _event_view(req, event, project_id, admin_events, show_details)
            # Newest first, as Nova lists them.
            for event in reversed(action.get('events') or [])]
    return wsgi.json_response(req, {'instanceAction': view})
