"""Super-conductor workflow: build requests -> scheduler -> instances in cells -> computes.

The API left, per server, a build request, a request spec and an instance
mapping with no cell. This task asks the scheduler for hosts (and their
alternates), creates each instance in the cell of its host, maps it there,
deletes its build request and casts the build to the compute on the cell's
message queue. A request that cannot be scheduled is buried in cell0: an
instance in ERROR with a fault carrying the scheduler's explanation.
"""

import json
import logging

from nova_core.db import build_request as db_build_request
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import instance as db_instance
from nova_core.db import instance_mapping as db_instance_mapping
from nova_core.db import request_spec as db_request_spec
from nova_core import exception
from nova_core import network
from nova_core.conductor.tasks import records

LOG = logging.getLogger(__name__)

EVENT = 'conductor_schedule_and_build_instances'

# Fields of the API's instance sketch (the build request) copied into the
# cell's instance row; state and placement are the conductor's.
_SKETCH_FIELDS = ('uuid', 'project_id', 'user_id', 'display_name',
                  'hostname', 'image_ref', 'flavor', 'availability_zone',
                  'metadata', 'system_metadata', 'launch_index')


def sketch_of(build_request):
    """The instance dict an API build request carries."""
    sketch = build_request.get('instance') or {}
    if isinstance(sketch, str):
        sketch = json.loads(sketch)
    return sketch


def instance_values(build_request, selection=None):
    """Row values of a new cell instance from a build request (+ host)."""
    sketch = sketch_of(build_request)
    values = {k: sketch[k] for k in _SKETCH_FIELDS if k in sketch}
    values['uuid'] = build_request['instance_uuid']
    values.setdefault('project_id', build_request.get('project_id'))
    values.update(vm_state=records.BUILDING, task_state='scheduling',
                  power_state=0, host=None, node=None)
    if selection is not None:
        values.update(host=selection['service_host'],
                      node=selection['nodename'])
    return values


def allocations_of(selection):
    """{rp_uuid: {resources}} the selection claimed, for the driver."""
    request = selection.get('allocation_request') or {}
    return request.get('allocations') or {}


def failure_of(exc):
    """(fault message, fault details) of a scheduling failure."""
    if isinstance(exc, exception.NoValidHost):
        return exc.format_message(), exc.explanation
    if isinstance(exc, exception.NovaCoreException):
        return exc.format_message(), {'error': type(exc).__name__}
    return ('Build failed: %s' % exc, {'error': type(exc).__name__,
                                       'message': str(exc)})


class BuildTask:
    """schedule_and_build_instances, one object per conductor."""

    def __init__(self, conf, cells, placement, scheduler_api, compute_api):
        self.conf = conf
        self.cells = cells
        self.placement = placement
        self.scheduler_api = scheduler_api
        self.compute_api = compute_api
        self._networks = None

    @property
    def networks(self):
        """The network plugin, on the API database (built on first use:
        only burying a server needs it)."""
        if self._networks is None:
            self._networks = network.load(self.conf, self.cells.api)
        return self._networks

    @property
    def api_db(self):
        return self.cells.api

    # -- loading --------------------------------------------------------------

    def load(self, ctx, instance_uuids):
        """[(build request, request spec)] of the servers still wanted."""
        found = []
        with self.api_db.reader(ctx) as conn:
            for uuid in instance_uuids:
                try:
                    build_request = db_build_request.get_by_instance_uuid(
                        conn, uuid)
                except exception.BuildRequestNotFound:
                    LOG.info('Instance %s was deleted before scheduling',
                             uuid)
                    continue
                try:
                    spec = db_request_spec.get_by_instance_uuid(conn, uuid)
                except exception.RequestSpecNotFound:
                    spec = None
                found.append((build_request, spec))
        return found

    # -- the workflow ---------------------------------------------------------

    def run(self, ctx, instance_uuids):
        wanted = self.load(ctx, instance_uuids)
        if not wanted:
            return
        uuids = [br['instance_uuid'] for br, _spec in wanted]
        spec = next((s for _br, s in wanted if s), None)
        if spec is None:
            self.bury(ctx, wanted, 'Build failed: no request spec', None)
            return
        spec = dict(spec, num_instances=len(uuids))
        try:
            host_lists = self.scheduler_api.select_destinations(
                ctx, spec, uuids, return_alternates=True)
        except Exception as exc:  # every failure buries; none may leak
            message, details = failure_of(exc)
            if isinstance(exc, exception.NoValidHost):
                # The scheduler logged the explanation; the fault keeps it.
                LOG.info('Burying %d instance(s) in cell0: no valid host',
                         len(uuids))
            else:
                LOG.warning('Scheduling %d instance(s) failed: %s',
                            len(uuids), message)
            self.bury(ctx, wanted, message, details)
            return
        cell_cache = {}
        for (build_request, own_spec), host_list in zip(wanted, host_lists):
            try:
                self.build_one(ctx, build_request, own_spec or spec,
                               host_list, cell_cache)
            except Exception as exc:  # a cell down must not strand the rest
                uuid = build_request['instance_uuid']
                LOG.exception('Creating instance %s in its cell failed', uuid)
                message, details = failure_of(exc)
                records.remove_allocations(ctx, self.placement, uuid)
                self.bury(ctx, [(build_request, own_spec)], message,
                          details)

    def cell_mapping(self, ctx, cell_uuid, cache):
        if cell_uuid not in cache:
            with self.api_db.reader(ctx) as conn:
                cache[cell_uuid] = db_cell_mapping.get_by_uuid(conn, cell_uuid)
        return cache[cell_uuid]

    def build_one(self, ctx, build_request, spec, host_list, cell_cache):
        """Create, map and cast one instance onto host_list[0]."""
        uuid = build_request['instance_uuid']
        selection, alternates = host_list[0], list(host_list[1:])
        cell = self.cell_mapping(ctx, selection['cell_uuid'], cell_cache)
        with db_cells.target_cell(ctx, cell, cells=self.cells) as cctx:
            def create(conn):
                made = db_instance.create(
                    conn, instance_values(build_request, selection))
                records.start_action(conn, cctx, uuid)
                records.record_event(conn, cctx, uuid, EVENT, 'Success')
                return made
            instance = self.move_to_cell(ctx, cctx, uuid, cell['uuid'],
                                         create)
            if instance is None:
                return
            instance_spec = dict(spec, instance_uuid=uuid)
            try:
                self.compute_api.build_and_run_instance(
                    cctx, instance=instance, host=selection['service_host'],
                    request_spec=instance_spec, node=selection['nodename'],
                    limits=selection.get('limits') or {},
                    host_list=alternates,
                    allocations=allocations_of(selection))
            except Exception as exc:  # mapped already: fail it in its cell
                LOG.exception('Could not cast the build of %s', uuid)
                message, details = failure_of(exc)
                with cctx.db_connection.writer(cctx) as conn:
                    records.set_error(conn, cctx, uuid, message, details,
                                      event=EVENT)
                records.remove_allocations(ctx, self.placement, uuid)

    def move_to_cell(self, ctx, cctx, uuid, cell_uuid, create):
        """Replace the build request by the instance *create(conn)* makes
        in the cell of *cctx*, and map the instance there, as one step.

        The build request is deleted first, in an API database transaction
        that stays open while the cell row is written: a server delete
        racing this waits, then finds the instance in its cell; a failure
        in the cell leaves the build request as it was. None (and nothing
        made) if the build request was already gone.
        """
        with self.api_db.writer(ctx) as api_conn:
            try:
                db_build_request.delete(api_conn, uuid)
            except exception.BuildRequestNotFound:
                made = None
            else:
                with cctx.db_connection.writer(cctx) as conn:
                    made = create(conn)
                db_instance_mapping.update(api_conn, uuid, cell_uuid=cell_uuid)
        if made is None:
            self.forget_deleted(ctx, uuid)
        return made

    def forget_deleted(self, ctx, uuid):
        """The build request went away before this worker placed it.

        Either the server was deleted while being scheduled (its mapping
        has no cell, or is gone: release what the scheduler claimed), or
        another worker placed it first (the watchdog racing a slow
        scheduling: its mapping names a cell, and its allocations are that
        worker's).
        """
        with self.api_db.writer(ctx) as conn:
            try:
                mapping = db_instance_mapping.get_by_instance_uuid(conn, uuid)
            except exception.InstanceMappingNotFound:
                mapping = None
            if mapping is not None and mapping.get('cell_uuid'):
                LOG.info('Instance %s was placed by another worker', uuid)
                return
            if mapping is not None:
                db_instance_mapping.delete(conn, uuid)
        LOG.info('Instance %s was deleted while it was being scheduled; '
                 'cleaned up', uuid)
        records.remove_allocations(ctx, self.placement, uuid)

    # -- cell0 ----------------------------------------------------------------

    def bury(self, ctx, wanted, message, details):
        """Create each instance in cell0 in ERROR, with fault and action."""
        cell0 = self.cell_mapping(ctx, db_cells.CELL0_UUID, {})
        with db_cells.target_cell(ctx, cell0, cells=self.cells) as cctx:
            for build_request, _spec in wanted:
                self.bury_one(ctx, cctx, build_request, message, details)

    def bury_one(self, ctx, cctx, build_request, message, details):
        uuid = build_request['instance_uuid']
        values = instance_values(build_request)
        values.update(vm_state=records.ERROR, task_state=None)
        def create(conn):
            made = db_instance.create(conn, values)
            records.start_action(conn, cctx, uuid)
            records.record_fault(conn, uuid, message, details)
            records.record_event(conn, cctx, uuid, EVENT, 'Error',
                                 details=message)
            return made
        if self.move_to_cell(ctx, cctx, uuid, db_cells.CELL0_UUID,
                             create) is None:
            return
        # A server that never reached a host holds no addresses, as in Nova
        # (where ports are made on the compute).
        self.networks.deallocate_for_instance(ctx, uuid)
        # The scheduler removes its own claims when it fails; this catches
        # a partial multi-create or a failure after the claim.
        records.remove_allocations(ctx, self.placement, uuid)
