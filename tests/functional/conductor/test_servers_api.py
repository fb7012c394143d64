"""ServersAPI: create, show, list and delete servers across the API DB and cells."""

import time

import pytest

from nova_core.conductor.tasks import records
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import instance as db_instance
from nova_core.db import keypair as db_keypair
from nova_core.db import request_spec as db_request_spec
from nova_core.db import server_group as db_server_group
from nova_core.db import service as db_service
from nova_core import exception


def test_create_writes_api_records_and_casts(env, flavor):
    env.conductor_api.deliver = False
    with env.api.writer(env.ctx) as conn:
        db_keypair.create(conn, env.ctx.user_id, 'key', 'ssh-rsa AAAA',
                          'aa:bb')
    uuids = env.servers.create(env.ctx, 'small', {'id': 'img', 'name': 'i',
                                                  'properties': {'os': 'x'}},
                               'vm', min_count=2, max_count=2,
                               metadata={'k': 'v'}, key_name='key')
    assert env.conductor_api.casts == [uuids]
    with env.api.reader(env.ctx) as conn:
        spec = db_request_spec.get_by_instance_uuid(conn, uuids[1])
    assert spec['instance_uuid'] == uuids[1]
    assert spec['num_instances'] == 2
    assert spec['flavor']['flavorid'] == 'small'
    assert spec['image']['properties'] == {'os': 'x'}
    shown = env.servers.get(env.ctx, uuids[0])
    assert shown['status'] == 'BUILD'
    assert shown['cell_uuid'] is None
    assert shown['metadata'] == {'k': 'v'}
    assert shown['system_metadata']['key_name'] == 'key'
    assert shown['system_metadata']['key_data'] == 'ssh-rsa AAAA'


def test_create_validates_counts(env, flavor):
    with pytest.raises(exception.Invalid):
        env.servers.create(env.ctx, flavor, 'img', 'vm', min_count=3,
                           max_count=2)
    with pytest.raises(exception.FlavorNotFound):
        env.servers.create(env.ctx, 'nope', 'img', 'vm')


def test_create_in_server_group(env, flavor):
    with env.api.writer(env.ctx) as conn:
        group = db_server_group.create(conn, 'g', 'project', 'user',
                                       'anti-affinity')
    env.conductor_api.deliver = False
    uuids = env.servers.create(env.ctx, flavor, 'img', 'vm', max_count=2,
                               group=group['uuid'])
    with env.api.reader(env.ctx) as conn:
        spec = db_request_spec.get_by_instance_uuid(conn, uuids[0])
    assert spec['instance_group']['policy'] == 'anti-affinity'
    assert sorted(spec['instance_group']['members']) == sorted(uuids)


def test_get_scheduled_and_unknown(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    shown = env.servers.get(env.ctx, uuid)
    assert shown['status'] == 'BUILD'
    assert shown['host'] == 'cell1-host0'
    assert shown['cell_uuid'] == env.cell_uuids['cell1']
    assert 'fault' not in shown
    with pytest.raises(exception.InstanceNotFound):
        env.servers.get(env.ctx, '11111111-2222-3333-4444-555555555555')


def test_list_spans_cells_and_build_requests(env, flavor):
    # Four servers land one per host: two in cell1, two in cell2.
    built = env.servers.create(env.ctx, flavor, 'img', 'vm', max_count=4)
    env.conductor_api.deliver = False
    [pending] = env.servers.create(env.ctx, flavor, 'img', 'later')
    servers = env.servers.list(env.ctx)
    assert sorted(s['uuid'] for s in servers) == sorted(built + [pending])
    cells = {s['uuid']: s['cell_uuid'] for s in servers}
    assert cells[pending] is None
    assert {cells[u] for u in built} == {env.cell_uuids['cell1'],
                                         env.cell_uuids['cell2']}
    assert env.servers.list(env.ctx, limit=2).__len__() == 2


def test_list_with_a_cell_down_marks_partial(env, flavor):
    built = env.servers.create(env.ctx, flavor, 'img', 'vm', max_count=4)
    in_cell2 = [s['uuid'] for s in env.servers.list(env.ctx)
                if s['cell_uuid'] == env.cell_uuids['cell2']]
    assert len(in_cell2) == 2
    with env.api.writer(env.ctx) as conn:
        db_cell_mapping.update(conn, env.cell_uuids['cell2'], {
            'database_connection': 'sqlite:////nonexistent/dir/x.sqlite'})
    started = time.monotonic()
    servers = {s['uuid']: s for s in env.servers.list(env.ctx, timeout=5)}
    assert time.monotonic() - started < 5
    assert sorted(servers) == sorted(built)
    for uuid in in_cell2:
        assert servers[uuid]['status'] == 'UNKNOWN'
        assert servers[uuid]['partial'] is True
    others = [u for u in built if u not in in_cell2]
    assert all(servers[u]['status'] == 'BUILD' for u in others)


def test_list_other_projects_hidden(env, flavor):
    env.servers.create(env.ctx, flavor, 'img', 'vm')
    other = env.ctx.copy()
    other.project_id = 'someone-else'
    assert env.servers.list(other) == []
    assert len(env.servers.list(other, all_projects=True)) == 1


def test_delete_before_scheduling(env, flavor):
    env.conductor_api.deliver = False
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    env.servers.delete(env.ctx, uuid)
    with pytest.raises(exception.InstanceNotFound):
        env.servers.get(env.ctx, uuid)
    assert env.servers.list(env.ctx) == []


def test_delete_in_cell0(env, flavor):
    env.scheduler.fail_with = exception.NoValidHost(reason='none')
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    env.servers.delete(env.ctx, uuid)
    with pytest.raises(exception.InstanceNotFound):
        env.servers.get(env.ctx, uuid)


def _service(env, host, up):
    with env.cell_dbs['cell1'].writer(env.ctx) as conn:
        service = db_service.create(conn, host=host,
                                    binary=records.COMPUTE_BINARY)
        if up:
            db_service.heartbeat(conn, service['id'])
        else:
            db_service.update(conn, service['id'],
                              {'last_seen_up': '2000-01-01T00:00:00'})


def test_delete_on_live_compute_casts_terminate(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    _service(env, 'cell1-host0', up=True)
    env.servers.delete(env.ctx, uuid)
    [call] = env.compute.terminates
    assert call['host'] == 'cell1-host0'
    assert call['instance']['task_state'] == 'deleting'
    assert call['ctx'].mq_connection == 'fake://cell1'
    # The compute frees the allocation when it is done, not the API.
    assert env.allocations(uuid) != {}


def test_delete_on_down_compute_is_local(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    _service(env, 'cell1-host0', up=False)
    env.servers.delete(env.ctx, uuid)
    assert env.compute.terminates == []
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        assert db_instance.get_by_uuid(conn, uuid,
                                       include_deleted=True)['deleted']
    assert env.allocations(uuid) == {}
