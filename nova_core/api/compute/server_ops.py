"""Server operations of the REST API beyond create/show/list/delete:
update (name, description, hostname), reboot, start and stop.

They find the instance through its mapping (as ``ServersAPI.get`` does),
move its task state with a compare-and-swap (so two concurrent actions
cannot both start), record the instance action and cast the compute.
"""

from nova_core.db import build_request as db_build_request
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_mapping as db_instance_mapping
from nova_core import exception

# The compute's states (nova_core.compute.states, a room this one does not
# import): the values are part of the database contract.
ACTIVE, STOPPED, ERROR = 'active', 'stopped', 'error'
POWERING_ON, POWERING_OFF = 'powering-on', 'powering-off'
REBOOTING, REBOOTING_HARD = 'rebooting', 'rebooting_hard'
REBOOT_SOFT, REBOOT_HARD = 'SOFT', 'HARD'
# Where a server's description (2.19) is kept; shared with ServersAPI.
DESCRIPTION_KEY = 'display_description'
# "Not given", as opposed to None (clear).
UNSET = object()


class ServerOps:
    """:param servers: the ``ServersAPI`` (its cells and compute rpcapi)."""

    def __init__(self, servers):
        self.servers = servers

    def _cell_of(self, ctx, uuid, method):
        with self.servers.api_db.reader(ctx) as conn:
            try:
                mapping = db_instance_mapping.get_by_instance_uuid(conn, uuid)
            except exception.InstanceMappingNotFound:
                raise exception.InstanceNotFound(instance_id=uuid) from None
            if not mapping.get('cell_uuid'):
                try:
                    db_build_request.get_by_instance_uuid(conn, uuid)
                except exception.BuildRequestNotFound:
                    raise exception.InstanceNotFound(
                        instance_id=uuid) from None
                raise exception.InstanceInvalidState(
                    method=method, instance_uuid=uuid, attr='task_state',
                    state='scheduling')
            return db_cell_mapping.get_by_uuid(conn, mapping['cell_uuid'])

    def update(self, ctx, uuid, name=None, description=UNSET, hostname=None):
        """Rename, describe (None clears) and/or re-hostname a server.

        The description has no column of its own yet: it is kept in the
        system metadata (``DESCRIPTION_KEY``), where the views read it. A
        server not scheduled yet is updated in its build request, as Nova
        does (the conductor builds from it).
        """
        values = {}
        if name is not None:
            values['display_name'] = name
        if hostname is not None:
            values['hostname'] = hostname
        try:
            cell = self._cell_of(ctx, uuid, 'update')
        except exception.InstanceInvalidState:
            try:
                self._update_build_request(ctx, uuid, values, description)
                return
            except exception.BuildRequestNotFound:
                # Scheduled meanwhile: the instance is in its cell now.
                cell = self._cell_of(ctx, uuid, 'update')
        with db_cells.target_cell(ctx, cell,
                                  cells=self.servers.cells) as cctx:
            with cctx.db_connection.writer(cctx) as conn:
                if description is not UNSET:
                    values['system_metadata'] = _described(
                        db_instance.get_by_uuid(conn, uuid), description)
                if values:
                    db_instance.update(conn, uuid, values)

    def _update_build_request(self, ctx, uuid, values, description):
        with self.servers.api_db.writer(ctx) as conn:
            instance = dict(db_build_request.get_by_instance_uuid(
                conn, uuid).get('instance') or {})
            instance.update(values)
            if description is not UNSET:
                instance['system_metadata'] = _described(instance,
                                                         description)
            db_build_request.update_instance(conn, uuid, instance)

    def _act(self, ctx, uuid, method, allowed_vm_states, task_state, cast):
        cell = self._cell_of(ctx, uuid, method)
        with db_cells.target_cell(ctx, cell,
                                  cells=self.servers.cells) as cctx:
            with cctx.db_connection.writer(cctx) as conn:
                instance = db_instance.get_by_uuid(conn, uuid)
                if instance.get('vm_state') not in allowed_vm_states:
                    raise exception.InstanceInvalidState(
                        method=method, instance_uuid=uuid, attr='vm_state',
                        state=instance.get('vm_state'))
                if instance.get('task_state') is not None:
                    raise exception.InstanceInvalidState(
                        method=method, instance_uuid=uuid,
                        attr='task_state', state=instance['task_state'])
                instance = db_instance.update(
                    conn, uuid, {'task_state': task_state},
                    expected_task_state=[None],
                    expected_vm_state=list(allowed_vm_states))
                db_instance_action.start(conn, uuid, method, ctx.request_id,
                                         user_id=ctx.user_id,
                                         project_id=ctx.project_id)
            cast(cctx, instance)

    def reboot(self, ctx, uuid, reboot_type):
        hard = reboot_type == REBOOT_HARD
        compute = self.servers.compute_api
        self._act(ctx, uuid, 'reboot',
                  (ACTIVE, STOPPED, ERROR) if hard
                  else (ACTIVE,),
                  REBOOTING_HARD if hard else REBOOTING,
                  lambda cctx, inst: compute.reboot_instance(
                      cctx, inst, reboot_type=reboot_type))

    def start(self, ctx, uuid):
        compute = self.servers.compute_api
        self._act(ctx, uuid, 'start', (STOPPED,), POWERING_ON,
                  lambda cctx, inst: compute.start_instance(cctx, inst))

    def stop(self, ctx, uuid):
        compute = self.servers.compute_api
        self._act(ctx, uuid, 'stop', (ACTIVE, ERROR),
                  POWERING_OFF,
                  lambda cctx, inst: compute.stop_instance(cctx, inst))


def _described(instance, description):
    """*instance*'s system metadata with *description* (None: without)."""
    system_metadata = dict(instance.get('system_metadata') or {})
    system_metadata.pop(DESCRIPTION_KEY, None)
    if description is not None:
        system_metadata[DESCRIPTION_KEY] = description
    return system_metadata
