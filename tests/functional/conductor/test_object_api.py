"""The object proxy: declared operations run on the cell database, others are refused."""

import logging

import pytest

from nova_core.conductor import object_api
from nova_core.db import instance as db_instance
from nova_core.db import service as db_service
from nova_core import exception


@pytest.fixture
def instance(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    return uuid


def test_declared_reads_and_writes(env, instance):
    got = env.manager.object_action(env.ctx, 'instance', 'get_by_uuid',
                                    {'uuid': instance})
    assert got['uuid'] == instance and got['vm_state'] == 'building'
    updated = env.manager.object_action(
        env.ctx, 'instance', 'update',
        {'uuid': instance, 'values': {'task_state': None,
                                      'launched_at': '2026-01-01T00:00:00'},
         'expected_task_state': ['scheduling']})
    assert updated['task_state'] is None
    # JSON-able: no datetime objects cross RPC.
    assert isinstance(updated['launched_at'], str)
    by_host = env.manager.object_action(env.ctx, 'instance', 'get_by_host',
                                        {'host': got['host']})
    assert [i['uuid'] for i in by_host] == [instance]


def test_expected_task_state_list_is_compare_and_swap(env, instance):
    with pytest.raises(exception.UnexpectedTaskStateError):
        env.manager.object_action(
            env.ctx, 'instance', 'update',
            {'uuid': instance, 'values': {'task_state': 'spawning'},
             'expected_task_state': ['networking']})


def test_service_and_compute_node(env):
    service = env.manager.object_action(
        env.ctx, 'service', 'create',
        {'host': 'h1', 'binary': 'nova-compute', 'topic': 'compute'})
    beat = env.manager.object_action(env.ctx, 'service', 'heartbeat',
                                     {'service_id': service['id']})
    assert beat['report_count'] == 1
    found = env.manager.object_action(
        env.ctx, 'service', 'get_by_host_and_binary',
        {'host': 'h1', 'binary': 'nova-compute'})
    assert found['id'] == service['id']
    assert env.manager.object_action(
        env.ctx, 'compute_node', 'get_all_by_host', {'host': 'h1'}) == []


@pytest.mark.parametrize('objname,method', [
    ('instance', 'create'), ('instance', 'get_all'),
    ('cell_mapping', 'get_all'), ('flavor', 'delete'),
    ('service', 'delete'), ('instance', '__class__')])
def test_undeclared_refused_and_logged(env, caplog, objname, method):
    caplog.set_level(logging.WARNING, logger=object_api.__name__)
    with pytest.raises(exception.ObjectActionNotAllowed):
        env.manager.object_action(env.ctx, objname, method, {},
                                  caller_host='compute-7')
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert 'compute-7' in record.getMessage()
    assert 'req-test' in record.getMessage()


@pytest.mark.parametrize('field', ['project_id', 'user_id', 'flavor',
                                   'display_name', 'uuid', 'deleted'])
def test_instance_update_of_undeclared_field_refused(env, instance, caplog,
                                                     field):
    caplog.set_level(logging.WARNING, logger=object_api.__name__)
    with pytest.raises(exception.ObjectActionNotAllowed):
        env.manager.object_action(
            env.ctx, 'instance', 'update',
            {'uuid': instance, 'values': {field: 'evil'}},
            caller_host='compute-7')
    assert 'undeclared fields %s' % field in caplog.text
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        assert db_instance.get_by_uuid(conn, instance)['project_id'] == \
            'project'


def test_service_update_cannot_rename(env):
    with env.cell_dbs['cell1'].writer(env.ctx) as conn:
        service = db_service.create(conn, host='h1',
                                    binary='nova-compute')
    with pytest.raises(exception.ObjectActionNotAllowed):
        env.manager.object_action(
            env.ctx, 'service', 'update',
            {'service_id': service['id'], 'values': {'host': 'h2'}})


def test_bad_arguments_refused(env):
    with pytest.raises(exception.ObjectActionNotAllowed):
        env.manager.object_action(env.ctx, 'instance', 'get_by_uuid',
                                  {'uuid': 'x', 'drop_table': True})


def test_declared_list():
    names = object_api.declared()
    assert 'instance.update' in names
    assert 'instance.create' not in names
    assert 'migration.get_by_instance' in names
