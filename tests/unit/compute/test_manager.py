"""ComputeManager with the fake driver, an in-memory conductor and a fake placement."""

import json
import threading

import pytest

from nova_core.compute import manager as compute_manager
from nova_core.compute import states
from nova_core.virt import fake
from tests.unit.compute import fixtures


class _NoTracker:
    """Resource tracking is tested against a real placement elsewhere."""
    compute_nodes = {}
    service_id = None

    def update_available_resource(self, ctx):
        return {}


def _manager(host='host1', **overrides):
    conf = fixtures.make_conf(host=host, **overrides)
    conductor = fixtures.FakeConductor()
    placement = fixtures.FakePlacement()
    drv = fake.FakeDriver(conf, host)
    mgr = compute_manager.ComputeManager(conf, host, drv, conductor,
                                         placement)
    mgr.resource_tracker = _NoTracker()
    mgr.init_host(fixtures.make_context())
    return mgr, conductor, placement


def _ctx_with_action(conductor, inst):
    ctx = fixtures.make_context()
    conductor.actions.append({'instance_uuid': inst['uuid'],
                              'action': 'create',
                              'request_id': ctx.request_id})
    return ctx


def _build(mgr, conductor, host_list=(), **inst_values):
    inst = conductor.add_instance(host=mgr.host, node=mgr.host, **inst_values)
    ctx = _ctx_with_action(conductor, inst)
    mgr.build_and_run_instance(ctx, inst, {'image': {'id': 'img'}},
                               host_list=list(host_list), node=mgr.host)
    assert mgr.wait_for_builds(10)
    return conductor.instances[inst['uuid']]


def _alternate(host):
    return {'service_host': host, 'nodename': host,
            'allocation_request': {'allocations': {}}}


def test_build_success_walks_the_task_states():
    mgr, conductor, placement = _manager()
    inst = _build(mgr, conductor)
    assert inst['vm_state'] == states.ACTIVE
    assert inst['task_state'] is None
    assert inst['power_state'] == states.RUNNING
    assert inst['launched_at']
    task_states = [v['task_state'] for _u, v in conductor.updates
                   if 'task_state' in v]
    assert task_states == [None, states.NETWORKING,
                           states.BLOCK_DEVICE_MAPPING, states.SPAWNING, None]
    assert mgr.driver.list_instances() == [inst['uuid']]
    events = [(e['event'], e['result']) for e in conductor.events]
    assert events == [(compute_manager.EVENT_BUILD, 'Success')]
    assert placement.deleted_allocations == []


def test_build_failure_with_alternates_casts_the_conductor():
    mgr, conductor, placement = _manager(fake_driver__fail_spawn_nth=[1])
    alternates = [_alternate('host2'), _alternate('host3')]
    inst = _build(mgr, conductor, host_list=alternates)
    assert len(conductor.reschedules) == 1
    cast = conductor.reschedules[0]
    assert cast['host_list'] == alternates
    assert 'spawn number 1' in cast['reason']
    assert cast['instance']['uuid'] == inst['uuid']
    assert cast['instance']['host'] == 'host1'
    assert cast['request_spec'] == {'image': {'id': 'img'}}
    # Not ERROR: the conductor decides; the guest is cleaned up.
    assert inst['vm_state'] == states.BUILDING
    assert mgr.driver.list_instances() == []
    assert conductor.faults == []
    assert placement.deleted_allocations == []
    assert conductor.events[0]['result'] == 'Error'


def test_build_failure_without_alternates_ends_in_error():
    mgr, conductor, placement = _manager(fake_driver__fail_on_hosts=['host1'])
    # An alternate naming this very node does not count.
    inst = _build(mgr, conductor, host_list=[_alternate('host1')])
    assert conductor.reschedules == []
    assert inst['vm_state'] == states.ERROR and inst['task_state'] is None
    assert len(conductor.faults) == 1
    fault = conductor.faults[0]
    assert 'fails every spawn on host host1' in fault['message']
    assert json.loads(fault['details'])['build_failures'][0]['host'] == 'host1'
    assert placement.deleted_allocations == [inst['uuid']]


def test_build_of_instance_deleted_meanwhile_is_abandoned():
    mgr, conductor, placement = _manager()
    inst = _build(mgr, conductor, task_state=states.DELETING)
    assert inst['vm_state'] == states.BUILDING
    assert conductor.reschedules == [] and conductor.faults == []
    assert mgr.driver.spawn_count == 0


def test_builds_run_in_threads_limited_by_max_concurrent_builds():
    mgr, conductor, _placement = _manager(max_concurrent_builds=2,
                                          fake_driver__spawn_seconds=0.2)
    running = []
    peak = []
    lock = threading.Lock()
    spawn = mgr.driver.spawn

    def counting_spawn(*args):
        with lock:
            running.append(1)
            peak.append(len(running))
        try:
            spawn(*args)
        finally:
            with lock:
                running.pop()

    mgr.driver.spawn = counting_spawn
    insts = [conductor.add_instance(host='host1', node='host1')
             for _ in range(5)]
    for inst in insts:
        ctx = _ctx_with_action(conductor, inst)
        mgr.build_and_run_instance(ctx, inst, {}, [], node='host1')
    assert mgr.wait_for_builds(10)
    assert max(peak) == 2
    assert all(conductor.instances[i['uuid']]['vm_state'] == states.ACTIVE
               for i in insts)


def test_init_host_errors_builds_left_behind():
    conf = fixtures.make_conf()
    conductor = fixtures.FakeConductor()
    placement = fixtures.FakePlacement()
    stuck = conductor.add_instance(host='host1', task_state=states.SPAWNING)
    active = conductor.add_instance(host='host1', vm_state=states.ACTIVE,
                                    task_state=None)
    stopping = conductor.add_instance(host='host1', vm_state=states.ACTIVE,
                                      task_state=states.POWERING_OFF)
    elsewhere = conductor.add_instance(host='host2',
                                       task_state=states.SPAWNING)
    mgr = compute_manager.ComputeManager(
        conf, 'host1', fake.FakeDriver(conf, 'host1'), conductor, placement)
    mgr.resource_tracker = _NoTracker()
    mgr.init_host(fixtures.make_context())
    assert conductor.instances[stuck['uuid']]['vm_state'] == states.ERROR
    assert conductor.faults[0]['message'] == \
        compute_manager.RESTARTED_DURING_BUILD
    assert placement.deleted_allocations == [stuck['uuid']]
    assert conductor.instances[active['uuid']]['vm_state'] == states.ACTIVE
    assert conductor.instances[stopping['uuid']]['task_state'] is None
    assert conductor.instances[elsewhere['uuid']]['vm_state'] == \
        states.BUILDING
    # The service is registered.
    (svc,) = conductor.services.values()
    assert svc['binary'] == compute_manager.BINARY and svc['host'] == 'host1'


def test_build_timeout_periodic():
    mgr, conductor, placement = _manager(instance_build_timeout=60)
    old = conductor.add_instance(host='host1', task_state=states.SPAWNING,
                                 created_at='2000-01-01T00:00:00')
    young = conductor.add_instance(host='host1', task_state=states.SPAWNING,
                                   created_at='2999-01-01T00:00:00')
    assert any(fn == mgr.check_build_timeouts
               for _i, fn in mgr.periodic_tasks())
    assert mgr.check_build_timeouts() == 1
    assert conductor.instances[old['uuid']]['vm_state'] == states.ERROR
    assert 'timed out' in conductor.faults[0]['message']
    assert conductor.instances[young['uuid']]['vm_state'] == states.BUILDING
    assert placement.deleted_allocations == [old['uuid']]


def test_periodic_tasks_intervals():
    mgr, _c, _p = _manager(update_resources_interval=7)
    tasks = mgr.periodic_tasks()
    assert tasks == [(7, mgr.update_available_resource)]


def test_heartbeat_and_service_recreated():
    mgr, conductor, _p = _manager()
    mgr.heartbeat(fixtures.make_context())
    mgr.heartbeat()
    assert conductor.heartbeats == 2
    conductor.services.clear()
    mgr.heartbeat()
    assert len(conductor.services) == 1


def test_stop_start_reboot_terminate():
    mgr, conductor, placement = _manager()
    inst = _build(mgr, conductor)
    ctx = _ctx_with_action(conductor, inst)
    conductor.instances[inst['uuid']]['task_state'] = states.POWERING_OFF
    mgr.stop_instance(ctx, inst, clean_shutdown_timeout=5)
    got = conductor.instances[inst['uuid']]
    assert (got['vm_state'], got['task_state'], got['power_state']) == (
        states.STOPPED, None, states.SHUTDOWN)
    mgr.start_instance(ctx, inst)
    got = conductor.instances[inst['uuid']]
    assert (got['vm_state'], got['power_state']) == (states.ACTIVE,
                                                     states.RUNNING)
    mgr.reboot_instance(ctx, inst, 'HARD')
    assert conductor.instances[inst['uuid']]['task_state'] is None
    mgr.terminate_instance(ctx, inst)
    got = conductor.instances[inst['uuid']]
    assert got['deleted'] and got['vm_state'] == states.DELETED
    assert mgr.driver.list_instances() == []
    assert placement.deleted_allocations == [inst['uuid']]
    results = {e['event']: e['result'] for e in conductor.events}
    assert set(results.values()) == {'Success'}


def test_failed_operation_reverts_task_state_and_records_fault():
    mgr, conductor, _p = _manager()
    inst = conductor.add_instance(host='host1', vm_state=states.ACTIVE,
                                  task_state=states.POWERING_ON)
    ctx = _ctx_with_action(conductor, inst)
    with pytest.raises(Exception):
        mgr.start_instance(ctx, inst)  # the driver does not know it
    assert conductor.instances[inst['uuid']]['task_state'] is None
    assert conductor.faults and conductor.events[-1]['result'] == 'Error'


def test_rpc_surface():
    assert compute_manager.ComputeManager.target.version == '1.2'
    assert 'heartbeat' not in compute_manager.ComputeManager.rpc_methods
    assert 'set_host_enabled' in compute_manager.ComputeManager.rpc_methods
