"""The compute's view of its cell database: conductor object_action calls, named.

A compute never opens a database; every read and write goes through the
conductor's object proxy (``conductor_api.object_action(ctx, objname,
method, **kwargs)``), which allows only declared operations with these
exact keyword arguments. Keeping the calls in one module keeps the compute
and the proxy's table (``conductor/object_api.py``) easy to compare.
"""

import json
import logging
import traceback

from oslo_utils import timeutils

from nova_core import exception

LOG = logging.getLogger(__name__)

# Fault messages are short, as in Nova; the details carry the rest.
FAULT_MESSAGE_LENGTH = 255


def utcnow_iso():
    """Now, UTC, as the ISO 8601 string that crosses RPC."""
    return timeutils.utcnow(with_timezone=False).isoformat()


class ObjectProxy:
    """Named object operations on top of a conductor API."""

    def __init__(self, conductor_api, host):
        self.conductor = conductor_api
        self.host = host

    def _call(self, ctx, objname, method, **kwargs):
        return self.conductor.object_action(ctx, objname, method, **kwargs)

    # -- instances ------------------------------------------------------------
    def instance_get(self, ctx, uuid):
        return self._call(ctx, 'instance', 'get_by_uuid', uuid=uuid)

    def instances_on_host(self, ctx):
        return self._call(ctx, 'instance', 'get_by_host', host=self.host)

    def server_group_of(self, ctx, uuid):
        """The server group of instance *uuid*, with its other members in
        this cell (``{uuid, host, vm_state, task_state}``), or None."""
        return self._call(ctx, 'instance_group', 'get_by_instance_uuid',
                          instance_uuid=uuid)

    def instance_update(self, ctx, uuid, values, expected_task_state=None,
                        expected_vm_state=None):
        """Update; with *expected_task_state* / *expected_vm_state* (lists)
        compare-and-swap."""
        kwargs = {'uuid': uuid, 'values': values}
        if expected_task_state is not None:
            kwargs['expected_task_state'] = list(expected_task_state)
        if expected_vm_state is not None:
            kwargs['expected_vm_state'] = list(expected_vm_state)
        return self._call(ctx, 'instance', 'update', **kwargs)

    def instance_set_error(self, ctx, uuid, message, details=None,
                           expected_task_state=None, code=500):
        """ERROR and its fault in one write; compare-and-swap on the task
        state when *expected_task_state* (a list) is given."""
        kwargs = {'uuid': uuid, 'code': code,
                  'message': str(message)[:FAULT_MESSAGE_LENGTH],
                  'details': _text(details), 'host': self.host}
        if expected_task_state is not None:
            kwargs['expected_task_state'] = list(expected_task_state)
        return self._call(ctx, 'instance', 'set_error', **kwargs)

    def instance_destroy(self, ctx, uuid):
        return self._call(ctx, 'instance', 'destroy', uuid=uuid)

    def fault_create(self, ctx, uuid, message, details=None, code=500):
        if isinstance(message, BaseException):
            if details is None:
                details = ''.join(traceback.format_exception(message))
            message = (message.format_message()
                       if isinstance(message, exception.NovaCoreException)
                       else '%s: %s' % (type(message).__name__, message))
        return self._call(ctx, 'instance_fault', 'create',
                          instance_uuid=uuid, code=code,
                          message=str(message)[:FAULT_MESSAGE_LENGTH],
                          details=_text(details), host=self.host)

    # -- instance actions -------------------------------------------------------
    def event_start(self, ctx, uuid, event):
        kwargs = {'instance_uuid': uuid, 'request_id': ctx.request_id,
                  'event': event, 'host': self.host}
        try:
            return self._call(ctx, 'instance_action', 'event_start', **kwargs)
        except exception.NotFound:
            # No action under this request (a periodic task, or a request
            # that did not record one): start one so the event has a home.
            self._call(ctx, 'instance_action', 'start', instance_uuid=uuid,
                       action=event, request_id=ctx.request_id,
                       user_id=ctx.user_id, project_id=ctx.project_id)
            return self._call(ctx, 'instance_action', 'event_start', **kwargs)

    def event_finish(self, ctx, uuid, event, result='Success', details=None):
        try:
            return self._call(ctx, 'instance_action', 'event_finish',
                              instance_uuid=uuid, request_id=ctx.request_id,
                              event=event, result=result,
                              details=_text(details))
        except exception.NovaCoreException as exc:
            # The event is a record of what happened; losing it must not
            # change what happened.
            LOG.warning('Could not finish event %s of %s: %s', event, uuid,
                        exc)
            return None

    # -- compute nodes ------------------------------------------------------------
    def compute_node_get(self, ctx, nodename):
        """This host's node *nodename*, or None."""
        try:
            return self._call(ctx, 'compute_node', 'get_by_host_and_nodename',
                              host=self.host, nodename=nodename)
        except exception.NotFound:
            return None

    def compute_node_create(self, ctx, values):
        return self._call(ctx, 'compute_node', 'create', values=values)

    def compute_node_update(self, ctx, uuid, values):
        return self._call(ctx, 'compute_node', 'update', uuid=uuid,
                          values=values)

    # -- services -------------------------------------------------------------------
    def service_get(self, ctx, binary):
        try:
            return self._call(ctx, 'service', 'get_by_host_and_binary',
                              host=self.host, binary=binary)
        except exception.NotFound:
            return None

    def service_create(self, ctx, binary, topic, version):
        return self._call(ctx, 'service', 'create', host=self.host,
                          binary=binary, topic=topic, version=version)

    def service_update(self, ctx, service_id, values):
        return self._call(ctx, 'service', 'update', service_id=service_id,
                          values=values)

    def service_heartbeat(self, ctx, service_id):
        return self._call(ctx, 'service', 'heartbeat', service_id=service_id)


def _text(details):
    """Details as stored (a text column): structures as JSON."""
    if details is None or isinstance(details, str):
        return details
    return json.dumps(details, sort_keys=True, default=str)
