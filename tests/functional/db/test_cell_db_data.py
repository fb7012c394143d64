"""The API and cell database data functions, on every backend."""

import pytest

from nova_core import context as nc_context
from nova_core.db import base as db_base
from nova_core.db import aggregate
from nova_core.db import build_request
from nova_core.db import cell_mapping
from nova_core.db import compute_node
from nova_core.db import engine as db_engine
from nova_core.db import flavor
from nova_core.db import host_mapping
from nova_core.db import instance
from nova_core.db import instance_action
from nova_core.db import instance_fault
from nova_core.db import instance_mapping
from nova_core.db import migration
from nova_core.db import migration_record
from nova_core.db import quota
from nova_core.db import request_spec
from nova_core.db import server_group
from nova_core.db import service
from nova_core import exception
from tests import backends

U1 = '11111111-1111-1111-1111-111111111111'
U2 = '22222222-2222-2222-2222-222222222222'


@pytest.fixture
def dbs(backend, tmp_path):
    """(ctx, api Database, cell Database), migrated, on *backend*."""
    made = [backends.Database(backend, str(tmp_path)) for _ in range(2)]
    api = db_engine.Database.for_url(made[0].url)
    cell = db_engine.Database.for_url(made[1].url)
    migration.sync(api, 'api')
    migration.sync(cell, 'main')
    yield nc_context.get_admin_context(), api, cell
    api.dispose()
    cell.dispose()
    for database in made:
        database.drop()


def test_mappings(dbs):
    ctx, api, _cell = dbs
    with api.writer(ctx) as conn:
        cell = cell_mapping.create(conn, U1, 'cell1', 'rabbit://h/c1',
                                   'sqlite:///x')
        assert cell['disabled'] is False
    with pytest.raises(exception.CellExists):
        with api.writer(ctx) as conn:
            cell_mapping.create(conn, U1, 'again', 'a://', 'b://')
    with api.writer(ctx) as conn:
        cell_mapping.create(conn, cell_mapping.CELL0_UUID, 'cell0',
                            'none:///', 'sqlite:///y')
        assert [c['name'] for c in cell_mapping.get_all(conn)] == [
            'cell0', 'cell1']
        assert cell_mapping.update(conn, U1, {'disabled': True})['disabled']
        assert cell_mapping.get_all(conn, include_disabled=False)[0][
            'uuid'] == cell_mapping.CELL0_UUID
        mapped = host_mapping.create(conn, 'h1', U1)
        assert (mapped['host'], mapped['cell_uuid']) == ('h1', U1)
    with pytest.raises(exception.HostMappingExists):
        with api.writer(ctx) as conn:
            host_mapping.create(conn, 'h1', U1)
    with api.writer(ctx) as conn:
        assert [h['host'] for h in host_mapping.get_all(conn, U1)] == ['h1']
        im = instance_mapping.create(conn, U2, 'p1', 'u1')
        assert im['cell_uuid'] is None and im['queued_for_delete'] is False
        im = instance_mapping.update(conn, U2, cell_uuid=U1)
        assert im['cell_name'] == 'cell1'
        assert [m['instance_uuid'] for m in
                instance_mapping.get_by_cell(conn, U1)] == [U2]
        assert instance_mapping.delete_by_cell(conn, U1) == 1
        assert host_mapping.delete_by_cell(conn, U1) == 1
        cell_mapping.delete(conn, U1)
        with pytest.raises(exception.CellMappingNotFound):
            cell_mapping.get_by_uuid(conn, U1)
        with pytest.raises(exception.InstanceMappingNotFound):
            instance_mapping.get_by_instance_uuid(conn, U2)


def test_api_records(dbs):
    ctx, api, _cell = dbs
    with api.writer(ctx) as conn:
        req = build_request.create(conn, U1, 'p1', {'uuid': U1, 'x': [1]})
        assert req['instance'] == {'uuid': U1, 'x': [1]}
        assert build_request.count(conn, 'p1') == 1
        build_request.delete(conn, U1)
        with pytest.raises(exception.BuildRequestNotFound):
            build_request.delete(conn, U1)
        spec = {'instance_uuid': U1, 'num_instances': 2, 'image': {}}
        assert request_spec.save(conn, spec) == spec
        spec['num_instances'] = 3
        assert request_spec.save(conn, spec)['num_instances'] == 3
        request_spec.delete(conn, U1)
        with pytest.raises(exception.RequestSpecNotFound):
            request_spec.get_by_instance_uuid(conn, U1)
        small = flavor.create(conn, 'small', 512, 1, root_gb=1, flavorid='1',
                              extra_specs={'hw:cpu_policy': 'shared'})
        assert small['extra_specs'] == {'hw:cpu_policy': 'shared'}
        assert small['is_public'] is True and small['rxtx_factor'] == 1.0
        flavor.set_extra_specs(conn, '1', {'a': 'b'})
        assert flavor.get_by_name(conn, 'small')['extra_specs'] == {
            'hw:cpu_policy': 'shared', 'a': 'b'}
        flavor.add_project(conn, '1', 'p1')
        assert flavor.get_projects(conn, '1') == ['p1']
    with pytest.raises(exception.FlavorExists):
        with api.writer(ctx) as conn:
            flavor.create(conn, 'small', 1, 1)
    with api.writer(ctx) as conn:
        flavor.delete(conn, '1')
        assert flavor.get_all(conn) == []
        group = server_group.create(conn, 'g', 'p1', 'u1', 'anti-affinity',
                                    rules={'max_server_per_host': 1},
                                    members=[U1])
        server_group.add_members(conn, group['uuid'], [U1, U2])
        found = server_group.get_by_instance_uuid(conn, U2)
        assert found['members'] == [U1, U2]
        assert found['rules'] == {'max_server_per_host': 1}
        assert server_group.get_by_instance_uuid(conn, 'nope') is None
        agg = aggregate.create(conn, 'a1', metadata={'availability_zone': 'z'})
        aggregate.add_host(conn, agg['uuid'], 'h1')
        aggregate.add_host(conn, agg['uuid'], 'h1')
        agg = aggregate.update_metadata(conn, agg['uuid'], {'k': 'v'})
        assert agg['hosts'] == ['h1'] and agg['availability_zone'] == 'z'
        assert [a['name'] for a in aggregate.get_by_host(conn, 'h1', 'k')] \
            == ['a1']
        quota.set_limit(conn, 'p1', 'instances', 10)
        quota.set_limit(conn, 'p1', 'instances', 20)
        assert quota.get_all_by_project(conn, 'p1') == {'instances': 20}


def test_instance_lifecycle_and_task_state_swap(dbs):
    ctx, _api, cell = dbs
    with cell.writer(ctx) as conn:
        inst = instance.create(conn, {
            'uuid': U1, 'project_id': 'p1', 'task_state': 'scheduling',
            'flavor': {'name': 'small', 'extra_specs': {}},
            'metadata': {'k': 'v'}, 'system_metadata': {'image_x': '1'}})
        assert inst['vm_state'] == 'building' and inst['deleted'] is False
        assert inst['flavor']['name'] == 'small'
        assert inst['metadata'] == {'k': 'v'}
        instance.create(conn, {'uuid': U2, 'project_id': 'p2', 'host': 'h'})
        inst = instance.update(conn, U1, {
            'task_state': 'spawning', 'host': 'h',
            'launched_at': '2026-01-02T03:04:05'},
            expected_task_state=['scheduling', None])
        assert inst['launched_at'] == '2026-01-02T03:04:05'
    with pytest.raises(exception.UnexpectedTaskStateError):
        with cell.writer(ctx) as conn:
            instance.update(conn, U1, {'task_state': None},
                            expected_task_state='scheduling')
    with cell.writer(ctx) as conn:
        instance.update(conn, U1, {'task_state': 'deleting'})
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        with cell.writer(ctx) as conn:
            instance.update(conn, U1, {'vm_state': 'active'},
                            expected_task_state=['spawning'])
    with cell.reader(ctx) as conn:
        assert [i['uuid'] for i in instance.get_by_host(conn, 'h')] == [
            U1, U2]
        assert [i['uuid'] for i in instance.get_all(
            conn, {'project_id': ['p2']})] == [U2]
        assert [i['uuid'] for i in instance.get_all(
            conn, limit=1, marker=U1)] == [U2]
        with pytest.raises(exception.MarkerNotFound):
            instance.get_all(conn, marker='nope')
    with cell.writer(ctx) as conn:
        assert instance.destroy(conn, U1)['deleted'] is True
        with pytest.raises(exception.InstanceNotFound):
            instance.get_by_uuid(conn, U1)
        assert instance.get_all(conn, {'deleted': True})[0]['uuid'] == U1


def test_faults_and_actions(dbs):
    ctx, _api, cell = dbs
    with cell.writer(ctx) as conn:
        instance.create(conn, {'uuid': U1})
        instance_fault.create(conn, U1, 500, 'first')
        fault = instance_fault.create(conn, U1, 500, 'No valid host',
                                      details={'candidates': 0}, host='h')
        latest = instance_fault.get_latest_for_instance(conn, U1)
        assert latest == fault and latest['details'] == '{"candidates": 0}'
        assert instance_fault.get_latest_for_instance(conn, U2) is None
        instance_action.start(conn, U1, 'create', 'req-1', 'u', 'p')
        instance_action.event_start(conn, U1, 'req-1', 'schedule')
        instance_action.event_finish(conn, U1, 'req-1', 'schedule',
                                     result='Error', traceback='tb')
        action = instance_action.finish(conn, U1, 'req-1')
        assert action['message'] == 'Error' and action['finish_time']
        assert [e['result'] for e in action['events']] == ['Error']
        assert len(instance_action.get_by_instance(conn, U1)) == 1


def test_compute_nodes_services_migrations(dbs):
    ctx, _api, cell = dbs
    with cell.writer(ctx) as conn:
        node = compute_node.create(conn, {
            'host': 'h1', 'hypervisor_hostname': 'n1', 'vcpus': 4,
            'stats': {'a': 1}, 'cpu_allocation_ratio': 16.0})
        assert node['mapped'] is False and node['stats'] == {'a': 1}
        compute_node.update(conn, node['uuid'], {'vcpus_used': 2})
        compute_node.mark_mapped(conn, [node['uuid']])
        assert compute_node.get_all(conn, mapped=False) == []
        assert compute_node.get_by_host_and_nodename(
            conn, 'h1', 'n1')['vcpus_used'] == 2
        compute_node.delete(conn, node['uuid'])
        # A deleted node does not block a new one with the same names.
        compute_node.create(conn, {'host': 'h1', 'hypervisor_hostname': 'n1'})
        one = service.create(conn, 'h1', 'nova-compute', 'compute',
                             version=3)
        service.create(conn, 'h2', 'nova-compute', 'compute', version=2)
        beat = service.heartbeat(conn, one['id'])
        assert beat['report_count'] == 1 and beat['last_seen_up']
        assert service.min_version(conn, 'nova-compute') == 2
        assert service.min_version(conn, 'nova-conductor') == 0
        assert service.update(conn, one['id'], {'disabled': True})['disabled']
        service.delete(conn, one['id'])
        assert [s['host'] for s in service.get_all(conn)] == ['h2']
        # A conductor's or scheduler's own heartbeat: created on the first
        # report, counted after, back as a new record once deleted.
        first = service.report(conn, 'h3', 'nova-conductor', 'conductor', 1)
        assert first['report_count'] == 1 and first['version'] == 1
        again = service.report(conn, 'h3', 'nova-conductor', 'conductor', 1)
        assert again['id'] == first['id'] and again['report_count'] == 2
        service.delete(conn, first['id'])
        reborn = service.report(conn, 'h3', 'nova-conductor', 'conductor', 1)
        assert reborn['id'] != first['id'] and reborn['report_count'] == 1
        record = migration_record.create(conn, {'instance_uuid': U1,
                                                'status': 'migrating'})
        migration_record.update(conn, record['id'], {'status': 'done'})
        assert [m['status'] for m in
                migration_record.get_by_instance(conn, U1)] == ['done']
    with pytest.raises(exception.ServiceExists):
        with cell.writer(ctx) as conn:
            service.create(conn, 'h2', 'nova-compute')


def test_database_clock_is_utc_and_compares_with_written_rows(dbs):
    # The scheduler's re-read window starts from the database's clock: it
    # must be UTC like the timestamps the writers put in the rows.
    ctx, _api, cell = dbs
    with cell.writer(ctx) as conn:
        svc = service.create(conn, 'clock-host', 'nova-compute',
                             topic='compute')
    with cell.reader(ctx) as conn:
        clock = db_base.database_utcnow(conn)
    written = db_base.parse_time(svc['created_at'])
    assert clock.tzinfo is None
    assert abs((clock - written).total_seconds()) < 60
    assert abs((clock - db_base.utcnow()).total_seconds()) < 60
