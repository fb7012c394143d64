"""Assembling the conductor and scheduler services from configuration.

The compute service is assembled in ``compute.py``, apart, so that a compute
process never even imports the database layer. The console scripts and the
in-process cloud of the tests (and of the
all-in-one) build their services here, so that a service is wired the same
way whether it runs alone in a process or beside the others.

``placement`` is a ``nova_core.placement_client.PlacementClient``; when it is
not given, one is built from ``[placement]`` (keystoneauth1, over HTTP).
"""

from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import manager as conductor_manager
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core.db import cells as db_cells
from nova_core import placement_client
from nova_core import rpc
from nova_core.scheduler import manager as scheduler_manager
from nova_core.scheduler import rpcapi as scheduler_rpcapi
from nova_core import service

# Nova's binary names: the services' records carry them.
CONDUCTOR = conductor_manager.BINARY
SCHEDULER = scheduler_manager.BINARY


def _placement(conf, placement):
    return placement if placement is not None else (
        placement_client.from_conf(conf))


def conductor(conf, placement=None, cells=None):
    """The conductor service: super conductor, cell conductor, object proxy.

    Which of these roles it plays is a matter of the transport it listens on
    (``[DEFAULT] transport_url``) and the databases it is given: one process
    can serve all of them on the embedded default.
    """
    cells = cells if cells is not None else db_cells.CellDatabases(conf)
    manager = conductor_manager.ConductorManager(
        conf, cells, _placement(conf, placement),
        scheduler_rpcapi.SchedulerAPI(conf), compute_rpcapi.ComputeAPI(conf))
    return service.Service(conf, CONDUCTOR, conductor_rpcapi.TOPIC, manager,
                           transport=rpc.get_transport(conf),
                           workers=conf.conductor.workers)


def scheduler(conf, placement=None, cells=None):
    """The scheduler service on the API-level transport."""
    cells = cells if cells is not None else db_cells.CellDatabases(conf)
    manager = scheduler_manager.SchedulerManager(
        conf, _placement(conf, placement), cells)
    return service.Service(conf, SCHEDULER, scheduler_rpcapi.TOPIC, manager,
                           transport=rpc.get_transport(conf),
                           workers=conf.scheduler.workers)

