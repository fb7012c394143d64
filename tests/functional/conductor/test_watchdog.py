"""The build watchdog: nothing stays in BUILD, no build request waits forever."""

import datetime

from nova_core.conductor.tasks import records
from nova_core.db import instance as db_instance
from nova_core.db import instance_fault as db_instance_fault
from nova_core.db import instance_mapping as db_instance_mapping
from nova_core.db import service as db_service
from tests.functional.conductor import fixtures


def _service(env, host, seconds_ago):
    seen = (records.utcnow() - datetime.timedelta(seconds=seconds_ago))
    with env.cell_dbs['cell1'].writer(env.ctx) as conn:
        service = db_service.create(conn, host=host,
                                    binary=records.COMPUTE_BINARY)
        db_service.update(conn, service['id'],
                          {'last_seen_up': seen.isoformat()})


def _instance(env, uuid, cell='cell1'):
    with env.cell_dbs[cell].reader(env.ctx) as conn:
        return db_instance.get_by_uuid(conn, uuid)


def _later(monkeypatch, seconds):
    now = records.utcnow() + datetime.timedelta(seconds=seconds)
    monkeypatch.setattr(records, 'utcnow', lambda: now)


def test_instance_on_down_compute_goes_to_error(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    _service(env, 'cell1-host0', seconds_ago=3600)
    assert env.manager.run_watchdog() == {'instances': 1,
                                          'build_requests': 0}
    instance = _instance(env, uuid)
    assert instance['vm_state'] == 'error'
    assert instance['task_state'] is None
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        fault = db_instance_fault.get_latest_for_instance(conn, uuid)
    assert 'down' in fault['message']
    assert env.allocations(uuid) == {}


def test_instance_on_live_compute_is_left_alone(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    _service(env, 'cell1-host0', seconds_ago=1)
    assert env.manager.run_watchdog()['instances'] == 0
    assert _instance(env, uuid)['vm_state'] == 'building'
    assert env.allocations(uuid) != {}


def test_no_progress_for_timeout_goes_to_error(env, flavor, monkeypatch):
    env.conf.set_override('build_stuck_timeout', 600, group='conductor')
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    assert env.manager.run_watchdog()['instances'] == 0
    _later(monkeypatch, 601)
    assert env.manager.run_watchdog()['instances'] == 1
    assert _instance(env, uuid)['vm_state'] == 'error'
    assert env.allocations(uuid) == {}


def test_timeout_zero_disables_age_check(env, flavor, monkeypatch):
    env.conf.set_override('build_stuck_timeout', 0, group='conductor')
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    _later(monkeypatch, 10 ** 6)
    assert env.manager.run_watchdog() == {'instances': 0,
                                          'build_requests': 0}
    assert _instance(env, uuid)['vm_state'] == 'building'


def test_active_instances_are_ignored(env, flavor, monkeypatch):
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    with env.cell_dbs['cell1'].writer(env.ctx) as conn:
        db_instance.update(conn, uuid, {'vm_state': 'active',
                                        'task_state': None})
    _service(env, 'cell1-host0', seconds_ago=3600)
    _later(monkeypatch, 10 ** 6)
    assert env.manager.run_watchdog()['instances'] == 0


def test_lost_build_request_buried_in_cell0(env, flavor, monkeypatch):
    env.conductor_api.deliver = False  # the cast is "lost"
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    assert env.manager.run_watchdog()['build_requests'] == 0
    _later(monkeypatch, env.conf.conductor.build_stuck_timeout + 1)
    assert env.manager.run_watchdog()['build_requests'] == 1
    assert _instance(env, uuid, 'cell0')['vm_state'] == 'error'
    with env.api.reader(env.ctx) as conn:
        mapping = db_instance_mapping.get_by_instance_uuid(conn, uuid)
    assert mapping['cell_uuid'] == fixtures.CELL0_UUID
    shown = env.servers.get(env.ctx, uuid)
    assert shown['status'] == 'ERROR'
    assert 'not scheduled' in shown['fault']['message']


def test_periodic_tasks(env):
    [(interval, task)] = env.manager.periodic_tasks()
    assert interval == env.conf.conductor.build_watchdog_interval
    assert task() == {'instances': 0, 'build_requests': 0}
    env.conf.set_override('build_watchdog_interval', 0, group='conductor')
    assert env.manager.periodic_tasks() == []
