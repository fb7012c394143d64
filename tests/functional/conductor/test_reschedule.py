"""build_instances: a compute's build failed; the cell conductor tries alternates."""

from nova_core.db import instance as db_instance
from nova_core.db import instance_fault as db_instance_fault


def _instance(env, uuid):
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        return db_instance.get_by_uuid(conn, uuid)


def _booted(env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'image-1', 'vm')
    [build] = env.compute.builds
    env.compute.builds.clear()
    return uuid, build


def _fill(env, host):
    """Take every VCPU of *host* with another consumer."""
    request = {'allocations': {host['rp']: {'resources': {'VCPU': 4}}}}
    body = dict(request, project_id='other', user_id='other',
                consumer_generation=None, consumer_type='INSTANCE')
    resp = env.placement.put(
        None, '/allocations/aaaaaaaa-0000-0000-0000-000000000001', body)
    assert resp.status_code == 204, resp.text


def test_reschedule_moves_claim_to_alternate(env, flavor):
    uuid, build = _booted(env, flavor)
    first = build['host']
    env.manager.build_instances(env.ctx, build['instance'],
                                build['request_spec'], build['host_list'],
                                reason='spawn failed')
    [again] = env.compute.builds
    assert again['host'] == 'cell1-host1' != first
    assert again['host_list'] == []
    assert again['request_spec']['build_failures'] == [
        {'host': first, 'node': first, 'reason': 'spawn failed'}]
    instance = _instance(env, uuid)
    assert instance['host'] == 'cell1-host1'
    assert instance['task_state'] == 'scheduling'
    rp = env.hosts[1]['rp']
    assert list(env.allocations(uuid)) == [rp]


def test_reschedule_skips_full_alternate_then_gives_up(env, flavor):
    uuid, build = _booted(env, flavor)
    _fill(env, env.hosts[1])
    env.manager.build_instances(env.ctx, build['instance'],
                                build['request_spec'], build['host_list'],
                                reason='spawn failed')
    assert env.compute.builds == []
    instance = _instance(env, uuid)
    assert instance['vm_state'] == 'error'
    assert instance['task_state'] is None
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        fault = db_instance_fault.get_latest_for_instance(conn, uuid)
    assert fault['message'].startswith('Exceeded maximum number of retries')
    assert 'spawn failed' in fault['details']
    assert env.allocations(uuid) == {}


def test_exhausted_after_two_failures_lists_both(env, flavor):
    uuid, build = _booted(env, flavor)
    env.manager.build_instances(env.ctx, build['instance'],
                                build['request_spec'], build['host_list'],
                                reason='first failure')
    [again] = env.compute.builds
    env.manager.build_instances(env.ctx, again['instance'],
                                again['request_spec'], again['host_list'],
                                reason='second failure')
    instance = _instance(env, uuid)
    assert instance['vm_state'] == 'error'
    with env.cell_dbs['cell1'].reader(env.ctx) as conn:
        fault = db_instance_fault.get_latest_for_instance(conn, uuid)
    assert 'first failure' in fault['details']
    assert 'second failure' in fault['details']
    assert env.allocations(uuid) == {}
    assert all(not u.get('VCPU') for u in env.total_usage().values())


def test_reschedule_of_deleted_instance_stops(env, flavor):
    uuid, build = _booted(env, flavor)
    with env.cell_dbs['cell1'].writer(env.ctx) as conn:
        db_instance.update(conn, uuid, {'task_state': 'deleting'})
    env.manager.build_instances(env.ctx, build['instance'],
                                build['request_spec'], build['host_list'],
                                reason='spawn failed')
    assert env.compute.builds == []
    assert env.allocations(uuid) == {}
