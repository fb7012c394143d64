"""The compute's conductor calls against the real object proxy and a real cell database.

Checks that every object action the compute makes (compute/objects.py) is
declared by the conductor (conductor/object_api.py) with the same keyword
arguments, end to end on SQLite: build, failure, restart, resource tracking.
"""

import pytest

from nova_core.compute import manager as compute_manager
from nova_core.compute import states
from nova_core.conductor import object_api
from nova_core.db import engine
from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_fault as db_instance_fault
from nova_core.db import migration
from nova_core import placement_client
from nova_core.virt import fake
from tests.unit.compute import fixtures


class ProxyConductor:
    """ConductorAPI's surface, dispatching straight into object_api."""

    def __init__(self, database):
        self.database = database
        self.reschedules = []

    def object_action(self, ctx, objname, method, **kwargs):
        return object_api.dispatch(ctx, self.database, objname, method,
                                   kwargs, caller_host='host1')

    def build_instances(self, ctx, instance, request_spec, host_list,
                        reason=None):
        self.reschedules.append((instance['uuid'], host_list, reason))


@pytest.fixture
def cell(tmp_path):
    database = engine.Database.for_url(
        'sqlite:///%s' % (tmp_path / 'cell.sqlite'))
    migration.sync(database, 'main')
    yield database
    database.dispose()


def _manager(cell, placement, **overrides):
    conf = fixtures.make_conf(**overrides)
    conductor = ProxyConductor(cell)
    mgr = compute_manager.ComputeManager(
        conf, 'host1', fake.FakeDriver(conf, 'host1'), conductor,
        placement_client.from_direct(placement))
    return mgr, conductor


def _instance(cell, ctx, **values):
    base = {'project_id': 'p', 'user_id': 'u', 'host': 'host1',
            'node': 'host1', 'vm_state': 'building',
            'task_state': 'scheduling', 'display_name': 'vm',
            'flavor': {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1,
                       'ephemeral_gb': 0}}
    base.update(values)
    with cell.writer(ctx) as conn:
        inst = db_instance.create(conn, base)
        db_instance_action.start(conn, inst['uuid'], 'create',
                                 ctx.request_id, 'u', 'p')
    return object_api.jsonable(inst)


def _get(cell, ctx, uuid):
    with cell.reader(ctx) as conn:
        return db_instance.get_by_uuid(conn, uuid)


def test_build_and_resources_through_the_proxy(cell, placement):
    mgr, _conductor = _manager(cell, placement)
    ctx = fixtures.make_context()
    mgr.init_host(ctx)
    assert mgr.service['binary'] == compute_manager.BINARY
    mgr.heartbeat(ctx)
    cn = mgr.resource_tracker.compute_nodes['host1']
    assert placement.get('/resource_providers/%s' % cn['uuid']).status_code \
        == 200
    mgr.update_available_resource(ctx)

    inst = _instance(cell, ctx)
    mgr.build_and_run_instance(ctx, inst, {'image': {}}, [], node='host1')
    assert mgr.wait_for_builds(10)
    got = _get(cell, ctx, inst['uuid'])
    assert got['vm_state'] == states.ACTIVE and got['launched_at']
    assert got['compute_id'] == cn['id']

    mgr.stop_instance(ctx, got, clean_shutdown_timeout=1)
    mgr.terminate_instance(ctx, got)


def test_failure_and_restart_through_the_proxy(cell, placement):
    mgr, conductor = _manager(cell, placement,
                              fake_driver__fail_on_hosts=['host1'])
    ctx = fixtures.make_context()
    mgr.init_host(ctx)
    failed = _instance(cell, ctx)
    mgr.build_and_run_instance(ctx, failed, {}, [], node='host1')
    assert mgr.wait_for_builds(10)
    assert _get(cell, ctx, failed['uuid'])['vm_state'] == states.ERROR
    with cell.reader(ctx) as conn:
        fault = db_instance_fault.get_latest_for_instance(conn,
                                                          failed['uuid'])
    assert 'fails every spawn' in fault['message']

    stuck = _instance(cell, ctx, task_state='spawning')
    again, _c = _manager(cell, placement)
    again.init_host(ctx)
    assert _get(cell, ctx, stuck['uuid'])['vm_state'] == states.ERROR
