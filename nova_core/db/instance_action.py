"""instance_actions and their events, in a cell database: the audit trail."""

import sqlalchemy as sa

from nova_core.db import base
from nova_core.db import main_models
from nova_core import exception

_T = main_models.instance_actions
_EVENTS = main_models.instance_actions_events


def start(conn, instance_uuid, action, request_id, user_id=None,
          project_id=None):
    """Record that *action* (e.g. "create") began; returns the action dict."""
    conn.execute(_T.insert().values(
        instance_uuid=instance_uuid, action=action, request_id=request_id,
        user_id=user_id, project_id=project_id, start_time=base.utcnow()))
    return get_by_request_id(conn, instance_uuid, request_id)


def _action_row(conn, instance_uuid, request_id):
    row = conn.execute(_T.select().where(
        _T.c.instance_uuid == instance_uuid,
        _T.c.request_id == request_id).order_by(_T.c.id.desc())).first()
    if row is None:
        raise exception.InstanceActionNotFound(
            request_id=request_id, instance_uuid=instance_uuid)
    return row


def finish(conn, instance_uuid, request_id, message=None):
    row = _action_row(conn, instance_uuid, request_id)
    values = {'finish_time': base.utcnow()}
    if message is not None:
        values['message'] = message[:255]
    conn.execute(_T.update().where(_T.c.id == row.id).values(**values))
    return get_by_request_id(conn, instance_uuid, request_id)


def _touch(conn, action_id, now):
    # An action changes when its events do: its updated_at is what the
    # API's changes-since / changes-before (2.58, 2.66) filter on.
    conn.execute(_T.update().where(_T.c.id == action_id).values(
        updated_at=now))


def event_start(conn, instance_uuid, request_id, event, host=None):
    row = _action_row(conn, instance_uuid, request_id)
    now = base.utcnow()
    conn.execute(_EVENTS.insert().values(
        action_id=row.id, event=event, host=host, start_time=now))
    _touch(conn, row.id, now)
    return get_by_request_id(conn, instance_uuid, request_id)


def event_finish(conn, instance_uuid, request_id, event, result='Success',
                 traceback=None, details=None):
    """Finish the newest open *event*; an Error result marks the action."""
    row = _action_row(conn, instance_uuid, request_id)
    event_id = conn.execute(sa.select(_EVENTS.c.id).where(
        _EVENTS.c.action_id == row.id, _EVENTS.c.event == event).order_by(
            _EVENTS.c.id.desc())).scalar()
    if event_id is None:
        raise exception.InstanceActionEventNotFound(event=event,
                                                    action_id=row.id)
    now = base.utcnow()
    conn.execute(_EVENTS.update().where(_EVENTS.c.id == event_id).values(
        finish_time=now, result=result, traceback=traceback,
        details=details))
    _touch(conn, row.id, now)
    if result.lower() == 'error':
        conn.execute(_T.update().where(_T.c.id == row.id).values(
            message='Error'))
    return get_by_request_id(conn, instance_uuid, request_id)


def _with_events(conn, rows):
    actions = [base.to_dict(row) for row in rows]
    ids = [a['id'] for a in actions]
    events = {}
    if ids:
        for row in conn.execute(_EVENTS.select().where(
                _EVENTS.c.action_id.in_(ids)).order_by(_EVENTS.c.id)):
            events.setdefault(row.action_id, []).append(base.to_dict(row))
    for action in actions:
        action['events'] = events.get(action['id'], [])
    return actions


def get_by_request_id(conn, instance_uuid, request_id):
    """The action dict ``{id, action, instance_uuid, request_id, user_id,
    project_id, start_time, finish_time, message, events: [...]}``."""
    return _with_events(conn, [_action_row(conn, instance_uuid,
                                           request_id)])[0]


def get_by_instance(conn, instance_uuid):
    """Every action of an instance, newest first, with its events."""
    rows = conn.execute(_T.select().where(
        _T.c.instance_uuid == instance_uuid).order_by(_T.c.id.desc())).all()
    return _with_events(conn, rows)
