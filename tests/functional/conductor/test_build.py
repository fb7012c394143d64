"""schedule_and_build_instances: API records -> scheduler -> cell instances -> computes."""

import logging
import threading

from nova_core.db import build_request as db_build_request
from nova_core.db import instance as db_instance
from nova_core.db import instance_action as db_instance_action
from nova_core.db import instance_fault as db_instance_fault
from nova_core.db import instance_mapping as db_instance_mapping
from nova_core.db import quota as db_quota
from nova_core import exception
from nova_core.conductor.tasks import records
from tests.functional.conductor import fixtures


def _mapping(env, uuid):
    with env.api.reader(env.ctx) as conn:
        return db_instance_mapping.get_by_instance_uuid(conn, uuid)


def _build_request_exists(env, uuid):
    with env.api.reader(env.ctx) as conn:
        try:
            db_build_request.get_by_instance_uuid(conn, uuid)
            return True
        except exception.BuildRequestNotFound:
            return False


def _cell_instance(env, cell, uuid):
    with env.cell_dbs[cell].reader(env.ctx) as conn:
        return db_instance.get_by_uuid(conn, uuid, include_deleted=True)


def test_build_one_creates_maps_and_casts(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    [build] = env.compute.builds
    host = env.hosts[0]
    assert build['host'] == host['host']
    assert build['node'] == host['node']
    assert build['instance']['uuid'] == uuid
    assert build['request_spec']['instance_uuid'] == uuid
    # Alternates: the other host of the same cell, not the selected one.
    assert [s['service_host'] for s in build['host_list']] == ['cell1-host1']
    # Cast on the cell's transport (the targeted context).
    assert build['ctx'].mq_connection == 'fake://cell1'
    instance = _cell_instance(env, 'cell1', uuid)
    assert instance['vm_state'] == 'building'
    assert instance['task_state'] == 'scheduling'
    assert instance['host'] == host['host']
    assert instance['flavor']['flavorid'] == 'small'
    assert _mapping(env, uuid)['cell_uuid'] == env.cell_uuids['cell1']
    assert not _build_request_exists(env, uuid)
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        [action] = db_instance_action.get_by_instance(conn, uuid)
    assert action['action'] == 'create'
    assert list(env.allocations(uuid)) == [host['rp']]
    assert build['allocations'] == {
        host['rp']: {'resources': {'VCPU': 1, 'MEMORY_MB': 1024}}}


def test_multi_create_spreads_and_names(env, flavor):
    uuids = env.servers.create(env.ctx, flavor, 'image-1', 'web',
                               min_count=3, max_count=3)
    assert len(uuids) == 3
    assert len(env.scheduler.calls) == 1
    spec, asked = env.scheduler.calls[0]
    assert asked == uuids and spec['num_instances'] == 3
    names = sorted(b['instance']['display_name'] for b in env.compute.builds)
    assert names == ['web-1', 'web-2', 'web-3']
    for uuid in uuids:
        assert _mapping(env, uuid)['cell_uuid'] is not None


def test_no_valid_host_buries_in_cell0(env, flavor):
    env.scheduler.fail_with = exception.NoValidHost(
        reason='no host has 64 VCPU',
        explanation={'candidates': 0, 'summary': 'no host has 64 VCPU'})
    uuids = env.servers.create(env.ctx, flavor, 'image-1', 'big',
                               min_count=2, max_count=2)
    assert env.compute.builds == []
    for uuid in uuids:
        instance = _cell_instance(env, 'cell0', uuid)
        assert instance['vm_state'] == 'error'
        assert instance['task_state'] is None
        assert _mapping(env, uuid)['cell_uuid'] == fixtures.CELL0_UUID
        assert not _build_request_exists(env, uuid)
        with env.cell_dbs['cell0'].reader(env.ctx) as conn:
            fault = db_instance_fault.get_latest_for_instance(conn, uuid)
            [action] = db_instance_action.get_by_instance(conn, uuid)
        assert fault['code'] == 500
        assert fault['message'].startswith('No valid host was found.')
        assert '"candidates": 0' in fault['details']
        assert action['action'] == 'create'
        assert [e['result'] for e in action['events']] == ['Error']
        assert env.allocations(uuid) == {}
    # The API shows it as ERROR with its fault.
    shown = env.servers.get(env.ctx, uuids[0])
    assert shown['status'] == 'ERROR'
    assert 'No valid host' in shown['fault']['message']


def test_capacity_exhausted_mid_request_leaves_nothing(env, flavor):
    # 4 hosts x 4 VCPU; 17 one-VCPU servers cannot all fit (the quota
    # would refuse them first).
    with env.api.writer(env.ctx) as conn:
        for resource in ('instances', 'cores', 'ram'):
            db_quota.set_limit(conn, env.ctx.project_id, resource, -1)
    uuids = env.servers.create(env.ctx, flavor, 'image-1', 'many',
                               min_count=17, max_count=17)
    for uuid in uuids:
        assert _mapping(env, uuid)['cell_uuid'] == fixtures.CELL0_UUID
    assert all(not usage.get('VCPU') for usage in env.total_usage().values())


def test_deleted_before_scheduling_is_skipped(env, flavor):
    env.conductor_api.deliver = False
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    env.servers.delete(env.ctx, uuid)
    env.manager.schedule_and_build_instances(env.ctx, [uuid])
    assert env.scheduler.calls == []
    assert env.compute.builds == []


def test_deleted_while_scheduling_is_cleaned_up(env, flavor):
    env.conductor_api.deliver = False
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    env.scheduler.before_return = lambda: env.servers.delete(env.ctx, uuid)
    env.manager.schedule_and_build_instances(env.ctx, [uuid])
    assert env.compute.builds == []
    # No row was ever made in the cell: nothing there to count for quota.
    try:
        _cell_instance(env, 'cell1', uuid)
        raise AssertionError('instance made for a deleted server')
    except exception.InstanceNotFound:
        pass
    assert env.allocations(uuid) == {}
    with env.api.reader(env.ctx) as conn:
        try:
            db_instance_mapping.get_by_instance_uuid(conn, uuid)
            raise AssertionError('mapping left behind')
        except exception.InstanceMappingNotFound:
            pass



def test_delete_racing_the_move_to_the_cell_finds_the_instance(
        env, flavor, monkeypatch):
    env.conductor_api.deliver = False
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    deleter = []
    real_start_action = records.start_action

    def start_action_then_delete(conn, cctx, instance_uuid):
        real_start_action(conn, cctx, instance_uuid)
        # The cell row is written, the build request not yet gone for
        # others: a delete now waits for the move, then sees the instance.
        thread = threading.Thread(
            target=env.servers.delete, args=(env.ctx, uuid))
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()
        deleter.append(thread)

    monkeypatch.setattr(records, 'start_action', start_action_then_delete)
    env.manager.schedule_and_build_instances(env.ctx, [uuid])
    deleter[0].join(30)
    assert not deleter[0].is_alive()
    assert _cell_instance(env, 'cell1', uuid)['deleted']
    assert not _build_request_exists(env, uuid)
    assert env.allocations(uuid) == {}

def test_cell_failure_buries_that_instance(env, flavor, caplog):
    env.conductor_api.deliver = False
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    # Point cell1 at a database that cannot be opened.
    from nova_core.db import cell_mapping
    with env.api.writer(env.ctx) as conn:
        cell_mapping.update(conn, env.cell_uuids['cell1'], {
            'database_connection': 'sqlite:////nonexistent/dir/x.sqlite'})
    caplog.set_level(logging.ERROR)
    env.manager.schedule_and_build_instances(env.ctx, [uuid])
    assert _mapping(env, uuid)['cell_uuid'] == fixtures.CELL0_UUID
    assert _cell_instance(env, 'cell0', uuid)['vm_state'] == 'error'
    assert env.allocations(uuid) == {}


def test_cast_failure_fails_instance_in_its_cell(env, flavor):
    def broken(*args, **kwargs):
        raise exception.MessagingTimeout(method='build_and_run_instance',
                                         topic='compute')
    env.compute.build_and_run_instance = broken
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    assert _mapping(env, uuid)['cell_uuid'] == env.cell_uuids['cell1']
    instance = _cell_instance(env, 'cell1', uuid)
    assert instance['vm_state'] == 'error'
    assert env.allocations(uuid) == {}
    assert env.servers.get(env.ctx, uuid)['fault']['message'].startswith(
        'Timed out')
