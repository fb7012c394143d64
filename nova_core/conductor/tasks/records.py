"""What the conductor's workflows write about an instance: faults, actions, allocations, time.

Shared by the build, reschedule and watchdog workflows so that an instance
that fails, however it fails, ends the same way: ERROR, a fault that says
why, a failed action event, and nothing left allocated in placement.
"""

import datetime
import json
import logging

from oslo_utils import timeutils

from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_fault as db_instance_fault
from nova_core import exception
from nova_core.placement_client import allocations as placement_allocations

LOG = logging.getLogger(__name__)

# The binary name of compute service records (services table).
COMPUTE_BINARY = 'nova-compute'
ACTION_CREATE = 'create'
# Fault messages are short (the details carry the rest), as in Nova.
FAULT_MESSAGE_LENGTH = 255

BUILDING = 'building'
ERROR = 'error'


def utcnow():
    return timeutils.utcnow(with_timezone=False)


def parse_time(value):
    """A naive UTC datetime from an ISO string or datetime; None stays None."""
    if value is None or value == '':
        return None
    if isinstance(value, str):
        value = timeutils.parse_isotime(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = timeutils.normalize_time(value)
    return value


def seconds_since(value, now=None):
    """Seconds from *value* (ISO string or datetime) to now; None if unset."""
    when = parse_time(value)
    if when is None:
        return None
    return ((now or utcnow()) - when).total_seconds()


def service_is_up(service, down_time, now=None):
    """True if *service* (a services row) heartbeated within *down_time*."""
    if service is None or service.get('forced_down'):
        return False
    last = (service.get('last_seen_up') or service.get('updated_at') or
            service.get('created_at'))
    age = seconds_since(last, now)
    return age is not None and age <= down_time


def details_text(details):
    """Fault details as stored: text, JSON for structures."""
    if details is None or isinstance(details, str):
        return details
    return json.dumps(details, sort_keys=True, default=str)


def record_fault(conn, instance_uuid, message, details=None, code=500,
                 host=None):
    return db_instance_fault.create(
        conn, instance_uuid=instance_uuid, code=code,
        message=str(message)[:FAULT_MESSAGE_LENGTH],
        details=details_text(details), host=host)


def start_action(conn, ctx, instance_uuid, action=ACTION_CREATE):
    return db_instance_action.start(
        conn, instance_uuid=instance_uuid, action=action,
        request_id=ctx.request_id, user_id=ctx.user_id,
        project_id=ctx.project_id)


def record_event(conn, ctx, instance_uuid, event, result, host=None,
                 details=None):
    """Record a whole event (start and finish) of the context's action.

    An instance whose action was recorded under another request (a
    reschedule arrives with the compute's context) gets the event under
    a new action of its own rather than none.
    """
    try:
        db_instance_action.event_start(
            conn, instance_uuid=instance_uuid, request_id=ctx.request_id,
            event=event, host=host)
    except exception.NotFound:
        start_action(conn, ctx, instance_uuid)
        db_instance_action.event_start(
            conn, instance_uuid=instance_uuid, request_id=ctx.request_id,
            event=event, host=host)
    db_instance_action.event_finish(
        conn, instance_uuid=instance_uuid, request_id=ctx.request_id,
        event=event, result=result, details=details_text(details))


def set_error(conn, ctx, instance_uuid, message, details=None, event=None,
              expected_task_state=None, host=None, expected_vm_state=None):
    """ERROR + fault (+ failed event); returns the updated instance.

    With *expected_task_state* / *expected_vm_state* the update is
    compare-and-swap: raises UnexpectedTaskStateError / InstanceInvalidState
    if the instance moved on meanwhile.
    """
    instance = db_instance.update(
        conn, instance_uuid, {'vm_state': ERROR, 'task_state': None},
        expected_task_state=expected_task_state,
        expected_vm_state=expected_vm_state)
    record_fault(conn, instance_uuid, message, details, host=host)
    if event:
        record_event(conn, ctx, instance_uuid, event, 'Error', host=host,
                     details=message)
    return instance


def remove_allocations(ctx, placement, consumer_uuid):
    """Delete every allocation of *consumer_uuid*; False if placement failed.

    A failure is logged, not raised: the caller is cleaning up after a
    failure already, and the watchdog retries instances it could not clean.
    """
    try:
        placement_allocations.remove_allocations(ctx, placement, consumer_uuid)
        return True
    except (exception.PlacementUnreachable,
            exception.PlacementAPIError) as exc:
        LOG.error('Could not remove the allocations of %s: %s',
                  consumer_uuid, exc)
        return False
