"""The object proxy: the only database operations a compute may ask the conductor for.

A compute holds no database credentials; it reads and writes its instances,
compute nodes, services and migrations through ``object_action`` RPC calls.
This module declares, as data, which ``(object, method)`` pairs exist and
which instance fields a compute may write. Anything else is refused with
``ObjectActionNotAllowed`` and logged, so that a compromised or buggy
compute cannot, say, move an instance to another project.
"""

import collections
import contextlib
import datetime
import inspect
import logging

from nova_core.db import compute_node as db_compute_node
from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_fault as db_instance_fault
from nova_core.db import migration_record as db_migration
from nova_core.db import server_group as db_server_group
from nova_core.db import service as db_service
from nova_core import exception

LOG = logging.getLogger(__name__)

# Instance fields a compute may change: the state of the build and of the
# guest, where it runs, and when. Never ownership (project_id, user_id),
# flavor, image, names or metadata: those belong to the API.
INSTANCE_UPDATABLE = frozenset((
    'vm_state', 'task_state', 'power_state', 'host', 'node', 'compute_id',
    'launched_at', 'terminated_at', 'availability_zone',
))

# Service fields a compute may change about itself (not host or binary).
SERVICE_UPDATABLE = frozenset((
    'disabled', 'disabled_reason', 'forced_down', 'version', 'report_count',
    'last_seen_up', 'uuid',
))

# *api*: the callable also takes ``api_conn``, a reader of the API
# database (server groups live there).
Operation = collections.namedtuple('Operation', 'fn write api',
                                   defaults=(False,))


def _instance_update(conn, uuid, values, expected_task_state=None,
                     expected_vm_state=None):
    return db_instance.update(conn, uuid, values,
                              expected_task_state=expected_task_state,
                              expected_vm_state=expected_vm_state)


def _instance_set_error(conn, uuid, message, code=500, details=None,
                        host=None, expected_task_state=None,
                        expected_vm_state=None):
    # One transaction: nobody sees an ERROR instance without its fault.
    instance = db_instance.update(
        conn, uuid, {'vm_state': 'error', 'task_state': None},
        expected_task_state=expected_task_state,
        expected_vm_state=expected_vm_state)
    db_instance_fault.create(conn, uuid, code, message, details=details,
                             host=host)
    return instance


def _instance_destroy(conn, uuid):
    return db_instance.destroy(conn, uuid)


def _compute_nodes_of_host(conn, host):
    return db_compute_node.get_all(conn, host=host)


def _service_update(conn, service_id, values):
    return db_service.update(conn, service_id, values)


def _server_group_of(conn, instance_uuid, api_conn):
    """The server group of *instance_uuid* as its compute checks it before
    the build (``{uuid, policy, rules, members}``; *members*: the other
    members in this cell, ``{uuid, host, vm_state, task_state}``), or None.
    Membership is read now, not taken from the request: members booted
    since the request was made count."""
    group = db_server_group.get_by_instance_uuid(api_conn, instance_uuid)
    if group is None:
        return None
    others = [uuid for uuid in group['members'] if uuid != instance_uuid]
    rows = db_instance.get_all(conn, {'uuid': others}) if others else []
    return {'uuid': group['uuid'], 'policy': group['policy'],
            'rules': group['rules'],
            'members': [{key: row[key] for key in (
                'uuid', 'host', 'vm_state', 'task_state')} for row in rows]}


# (object name, method) -> Operation(callable(conn, **kwargs), write?).
TABLE = {
    ('instance', 'get_by_uuid'): Operation(db_instance.get_by_uuid, False),
    ('instance', 'get_by_host'): Operation(db_instance.get_by_host, False),
    ('instance', 'update'): Operation(_instance_update, True),
    ('instance', 'set_error'): Operation(_instance_set_error, True),
    ('instance', 'destroy'): Operation(_instance_destroy, True),
    ('instance_fault', 'create'): Operation(db_instance_fault.create, True),
    ('instance_action', 'start'): Operation(db_instance_action.start, True),
    ('instance_action', 'finish'): Operation(db_instance_action.finish, True),
    ('instance_action', 'event_start'): Operation(
        db_instance_action.event_start, True),
    ('instance_action', 'event_finish'): Operation(
        db_instance_action.event_finish, True),
    ('compute_node', 'create'): Operation(db_compute_node.create, True),
    ('compute_node', 'get_by_host_and_nodename'): Operation(
        db_compute_node.get_by_host_and_nodename, False),
    ('compute_node', 'get_all_by_host'): Operation(
        _compute_nodes_of_host, False),
    ('compute_node', 'update'): Operation(db_compute_node.update, True),
    ('service', 'create'): Operation(db_service.create, True),
    ('service', 'get_by_host_and_binary'): Operation(
        db_service.get_by_host_and_binary, False),
    ('service', 'heartbeat'): Operation(db_service.heartbeat, True),
    ('service', 'update'): Operation(_service_update, True),
    ('instance_group', 'get_by_instance_uuid'): Operation(
        _server_group_of, False, api=True),
    ('migration', 'create'): Operation(db_migration.create, True),
    ('migration', 'get'): Operation(db_migration.get, False),
    ('migration', 'update'): Operation(db_migration.update, True),
    ('migration', 'get_by_instance'): Operation(
        db_migration.get_by_instance, False),
}

# Per (object, method): the argument holding field values, and the fields
# it may carry.
FIELD_RULES = {
    ('instance', 'update'): ('values', INSTANCE_UPDATABLE),
    ('service', 'update'): ('values', SERVICE_UPDATABLE),
}


def declared():
    """The sorted list of 'object.method' names the proxy serves."""
    return sorted('%s.%s' % key for key in TABLE)


def reads_api(objname, method):
    """True if the operation (objname, method) reads the API database."""
    op = TABLE.get((objname, method))
    return bool(op and op.api)


def refuse(ctx, objname, method, why, caller_host=None):
    """Log the refusal with the caller's identity and raise."""
    LOG.warning(
        'Refused object action %s.%s (%s) from host %s, request %s '
        '(global %s), user %s, project %s', objname, method, why,
        caller_host or 'unknown', getattr(ctx, 'request_id', None),
        getattr(ctx, 'global_request_id', None),
        getattr(ctx, 'user_id', None), getattr(ctx, 'project_id', None))
    raise exception.ObjectActionNotAllowed(objname=objname, method=method)


def check(ctx, objname, method, kwargs, caller_host=None):
    """The Operation for (objname, method), or refuse it.

    Refused: an undeclared pair, and field writes outside FIELD_RULES.
    """
    op = TABLE.get((objname, method))
    if op is None:
        refuse(ctx, objname, method, 'not declared', caller_host)
    rule = FIELD_RULES.get((objname, method))
    if rule is not None:
        arg, allowed = rule
        values = kwargs.get(arg) or {}
        if not isinstance(values, dict):
            refuse(ctx, objname, method, '%s is not a mapping' % arg,
                   caller_host)
        extra = sorted(set(values) - allowed)
        if extra:
            refuse(ctx, objname, method,
                   'undeclared fields %s' % ', '.join(extra), caller_host)
    return op


def jsonable(value):
    """*value* with datetimes as ISO 8601 strings, tuples as lists."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value


def dispatch(ctx, database, objname, method, kwargs, caller_host=None,
             api_database=None):
    """Run a declared operation on *database* (a cell Database), and
    *api_database* for those that read it; JSON out."""
    kwargs = dict(kwargs or {})
    op = check(ctx, objname, method, kwargs, caller_host)
    if 'expected_task_state' in kwargs and isinstance(
            kwargs['expected_task_state'], list):
        # JSON has no tuples; the database layer compares against a tuple.
        kwargs['expected_task_state'] = tuple(kwargs['expected_task_state'])
    given = dict(kwargs, api_conn=None) if op.api else kwargs
    try:
        if op.api and 'api_conn' in kwargs:
            raise TypeError('api_conn is not an argument')
        inspect.signature(op.fn).bind(None, **given)
    except TypeError as exc:
        # Wrong arguments for a declared method: refused before touching
        # the database rather than turned into an internal error.
        refuse(ctx, objname, method, 'bad arguments: %s' % exc, caller_host)
    transaction = database.writer if op.write else database.reader
    with contextlib.ExitStack() as stack:
        if op.api:
            if api_database is None:
                refuse(ctx, objname, method, 'no API database here',
                       caller_host)
            kwargs['api_conn'] = stack.enter_context(
                api_database.reader(ctx))
        conn = stack.enter_context(transaction(ctx))
        result = op.fn(conn, **kwargs)
    return jsonable(result)
