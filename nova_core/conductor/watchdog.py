"""The build watchdog: no instance stays in BUILD forever, no build request waits forever.

A compute killed mid-build, or a cast lost while a RabbitMQ node restarts,
leaves work that nobody will finish. Periodically the conductor looks for:

- instances in vm_state building whose compute service is down (no
  heartbeat for ``service_down_time``), or which made no progress (no
  update) for ``[conductor] build_stuck_timeout`` seconds (0: no age check);
- build requests never scheduled within ``build_stuck_timeout`` (the
  scheduling cast was lost).

Stuck instances go to ERROR with a fault and lose their allocations; the
update is compare-and-swap on the task state read, so a build that moves on
meanwhile is left alone. Lost build requests are buried in cell0 like
unschedulable ones.
"""

import logging

from nova_core.db import build_request as db_build_request
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import instance as db_instance
from nova_core.db import service as db_service
from nova_core import exception
from nova_core.conductor.tasks import records

LOG = logging.getLogger(__name__)

EVENT = 'conductor_build_watchdog'


class BuildWatchdog:
    """Finds and fails stuck builds; ``run(ctx)`` is the periodic task."""

    def __init__(self, conf, cells, placement, build_task,
                 local_database=None):
        self.conf = conf
        self.cells = cells
        self.placement = placement
        self.build_task = build_task
        self.local_database = local_database

    @property
    def timeout(self):
        return self.conf.conductor.build_stuck_timeout

    def run(self, ctx):
        """One pass; returns {'instances': n failed, 'build_requests': n}."""
        with_api = self.local_database is None
        try:
            targets = self.databases(ctx)
        except Exception as exc:
            # A cell conductor without the API database: its own cell only.
            LOG.debug('Build watchdog: no API database (%s); watching the '
                      'local cell only', exc)
            targets, with_api = [('local', self.cells.local, ctx)], False
        failed = 0
        for label, database, cctx in targets:
            try:
                failed += self.check_cell(cctx, database)
            except Exception:  # one cell down must not stop the others
                LOG.exception('Build watchdog could not check cell %s', label)
        buried = self.check_build_requests(ctx) if with_api else 0
        return {'instances': failed, 'build_requests': buried}

    def databases(self, ctx):
        """(label, Database, ctx) of the cells this conductor watches."""
        if self.local_database is not None:
            return [('local', self.local_database, ctx)]
        with self.cells.api.reader(ctx) as conn:
            mappings = db_cell_mapping.get_all(conn)
        found = []
        for cell in mappings:
            if cell['uuid'] == db_cells.CELL0_UUID:
                continue
            with db_cells.target_cell(ctx, cell, cells=self.cells) as cctx:
                found.append((cell['uuid'], cctx.db_connection, cctx))
        return found

    # -- instances ------------------------------------------------------------

    def why_stuck(self, instance, services, now):
        """A one-line reason to fail this building instance, or None."""
        host = instance.get('host')
        service = services.get(host) if host else None
        down_time = self.conf.service_down_time
        if service is not None and not records.service_is_up(
                service, down_time, now):
            return ('its compute service on %s has been down for more than '
                    '%d seconds' % (host, down_time))
        if self.timeout:
            last = instance.get('updated_at') or instance.get('created_at')
            idle = records.seconds_since(last, now)
            if idle is not None and idle > self.timeout:
                return ('it made no progress for %d seconds (task state %s)'
                        % (idle, instance.get('task_state')))
        return None

    def check_cell(self, ctx, database):
        now = records.utcnow()
        with database.reader(ctx) as conn:
            building = [i for i in db_instance.get_all(
                conn, filters={'vm_state': records.BUILDING})
                if i.get('vm_state') == records.BUILDING]
            if not building:
                return 0
            services = {s['host']: s for s in db_service.get_all(
                conn, binary=records.COMPUTE_BINARY)}
        failed = 0
        for instance in building:
            reason = self.why_stuck(instance, services, now)
            if reason and self.fail(ctx, database, instance, reason):
                failed += 1
        return failed

    def fail(self, ctx, database, instance, reason):
        uuid = instance['uuid']
        message = 'Build of instance %s abandoned: %s' % (uuid, reason)
        try:
            with database.writer(ctx) as conn:
                records.set_error(
                    conn, ctx, uuid, message,
                    details={'reason': reason, 'host': instance.get('host'),
                             'task_state': instance.get('task_state')},
                    event=EVENT,
                    expected_task_state=(instance.get('task_state'),),
                    # Two watchdogs may look at one cell: only one of them
                    # turns a building instance to ERROR.
                    expected_vm_state=('building',))
        except (exception.UnexpectedTaskStateError,
                exception.InstanceInvalidState,
                exception.InstanceNotFound):
            return False  # it moved on meanwhile: not stuck after all
        LOG.warning('%s', message)
        records.remove_allocations(ctx, self.placement, uuid)
        return True

    # -- build requests -------------------------------------------------------

    def check_build_requests(self, ctx):
        if not self.timeout:
            return 0
        now = records.utcnow()
        with self.cells.api.reader(ctx) as conn:
            lost = [br for br in db_build_request.get_all(conn)
                    if (records.seconds_since(br.get('created_at'), now) or 0)
                    > self.timeout]
        for build_request in lost:
            uuid = build_request['instance_uuid']
            message = ('Build of instance %s abandoned: it was not scheduled '
                       'within %d seconds' % (uuid, self.timeout))
            LOG.warning('%s', message)
            try:
                self.build_task.bury(ctx, [(build_request, None)], message,
                                     {'reason': 'scheduling never happened'})
            except Exception:  # the next pass retries
                LOG.exception('Could not bury lost build request %s', uuid)
        return len(lost)
