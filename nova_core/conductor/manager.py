"""The conductor's RPC endpoint: builds, reschedules, and the computes' object proxy.

One ConductorManager serves two roles, as Nova's conductor does:

- super conductor (API-level transport, API database and every cell):
  ``schedule_and_build_instances``;
- cell conductor (one cell's transport and database): ``build_instances``
  (reschedules) and ``object_action`` (the object proxy of the computes).

*cell_database* is the cell database a cell conductor serves; without it
the conductor serves ``[database] connection`` (the one-cell deployment,
where one conductor plays both roles).
"""

import logging

from nova_core.conductor import object_api
from nova_core.conductor.tasks import build
from nova_core.conductor.tasks import reschedule
from nova_core.conductor import watchdog
from nova_core import context as nova_context
from nova_core.db import service as db_service
from nova_core import rpc

LOG = logging.getLogger(__name__)

# The binary of the conductor's service records: Nova's name, which
# operators and clients filter on.
BINARY = 'nova-conductor'
# Bumped when the conductor's RPC interface changes.
SERVICE_VERSION = 1


class ConductorManager:
    """RPC endpoint of topic ``conductor`` (target version 1.0)."""

    target = rpc.Target(version='1.0')
    # What peers may call; the rest (periodic tasks, helpers) is local.
    rpc_methods = frozenset(('schedule_and_build_instances',
                             'build_instances', 'object_action'))

    def __init__(self, conf, cells, placement_client, scheduler_api,
                 compute_api, cell_database=None):
        self.conf = conf
        self.cells = cells
        self.placement = placement_client
        self.scheduler_api = scheduler_api
        self.compute_api = compute_api
        self._cell_database = cell_database
        self.build_task = build.BuildTask(conf, cells, placement_client,
                                          scheduler_api, compute_api)
        self.reschedule_task = reschedule.RescheduleTask(
            conf, placement_client, compute_api)
        self.watchdog = watchdog.BuildWatchdog(
            conf, cells, placement_client, self.build_task,
            local_database=cell_database)

    @property
    def cell_database(self):
        """The cell database this conductor serves (built on first use)."""
        if self._cell_database is None:
            self._cell_database = self.cells.local
        return self._cell_database

    def database_for(self, ctx):
        # A context targeted in this process (the all-in-one) names its
        # cell; one arriving over RPC never does (see context.py).
        return getattr(ctx, 'db_connection', None) or self.cell_database

    # -- RPC endpoints --------------------------------------------------------

    def schedule_and_build_instances(self, ctx, instance_uuids):
        self.build_task.run(ctx, list(instance_uuids))

    def build_instances(self, ctx, instance, request_spec, host_list,
                        reason=None):
        self.reschedule_task.run(ctx, self.database_for(ctx), instance,
                                 request_spec, host_list, reason)

    def object_action(self, ctx, objname, objmethod, kwargs=None,
                      caller_host=None):
        # 'objmethod', not 'method': oslo.messaging's call(ctxt, method,
        # **kwargs) cannot carry an argument named method.
        api = (self.cells.api if object_api.reads_api(objname, objmethod)
               else None)
        return object_api.dispatch(ctx, self.database_for(ctx), objname,
                                   objmethod, kwargs or {}, caller_host,
                                   api_database=api)

    # -- service hooks --------------------------------------------------------

    def run_watchdog(self, ctx=None):
        """The periodic task (the Service passes its admin context)."""
        ctx = ctx or nova_context.get_admin_context(config=self.conf)
        try:
            result = self.watchdog.run(ctx)
        except Exception:  # a periodic task logs and runs again next time
            LOG.exception('Build watchdog failed')
            return None
        if any(result.values()):
            LOG.info('Build watchdog: %(instances)d stuck instance(s) set to '
                     'ERROR, %(build_requests)d lost build request(s) '
                     'buried', result)
        return result

    def heartbeat(self, ctx):
        """The conductor's service record in the database it serves (a
        super conductor without one records in cell0, as Nova's), so that
        ``os-services`` shows it up or down."""
        database = (self._cell_database if self._cell_database is not None
                    else db_service.home_database(ctx, self.cells))
        with database.writer(ctx) as conn:
            return db_service.report(conn, self.conf.host, BINARY,
                                     topic='conductor',
                                     version=SERVICE_VERSION)

    def periodic_tasks(self):
        """[(interval seconds, callable)] for nova_core.service.Service."""
        interval = self.conf.conductor.build_watchdog_interval
        return [(interval, self.run_watchdog)] if interval else []
