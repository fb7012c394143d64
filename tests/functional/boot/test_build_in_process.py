"""Booting servers end to end in one process: SQLite, the fake:// transport, fake computes."""

import pytest

from tests import cloud as cloud_mod


@pytest.fixture
def make_cloud(tmp_path):
    clouds = []

    def make(**kwargs):
        cloud = cloud_mod.InProcessCloud(tmp_path / str(len(clouds)),
                                         **kwargs)
        (tmp_path / str(len(clouds))).mkdir()
        clouds.append(cloud)
        return cloud.start()

    yield make
    for cloud in clouds:
        cloud.stop()


def test_build_one_server(make_cloud):
    cloud = make_cloud()
    [uuid] = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                  cloud.image, 'vm')
    server = cloud.wait_for([uuid])[uuid]
    assert server['vm_state'] == 'active', server
    assert server['host'] in cloud.computes
    assert cloud.usages() == {'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 20}


def _fault_details(server):
    import json
    details = server['fault'].get('details')
    return json.loads(details) if isinstance(details, str) else details


def test_build_fifty_servers_in_one_request(make_cloud):
    # Beyond the default quotas (10 instances, 20 cores): unlimited here.
    cloud = make_cloud(hosts_per_cell=4, overrides={
        ('quota', 'instances'): -1, ('quota', 'cores'): -1})
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.tiny'),
                                 cloud.image, 'many', min_count=50,
                                 max_count=50)
    servers = cloud.wait_for(uuids, timeout=120)
    states = {s['vm_state'] for s in servers.values()}
    assert states == {'active'}, states
    hosts = {s['host'] for s in servers.values()}
    assert len(hosts) == 4  # the RAM weigher spreads them
    assert cloud.usages() == {'VCPU': 50, 'MEMORY_MB': 50 * 512,
                              'DISK_GB': 50}


def test_no_valid_host_buries_the_server_in_cell0(make_cloud):
    cloud = make_cloud(fake_driver={'*': {'memory_mb': 4096}})
    [uuid] = cloud.servers.create(cloud.ctx, cloud.flavor('m1.large'),
                                  cloud.image, 'too-big')
    server = cloud.wait_for([uuid])[uuid]
    assert server['vm_state'] == 'error'
    assert server['cell_uuid'] == '00000000-0000-0000-0000-000000000000'
    assert 'No valid host was found' in server['fault']['message']
    explanation = _fault_details(server)
    # Placement had nothing with 8 GiB free: zero candidates, and the
    # query that asked for them.
    assert explanation['candidates'] == 0
    assert 'MEMORY_MB:8192' in str(explanation['placement_query'])
    assert cloud.usages() == {}
    # Deleting it leaves nothing behind.
    cloud.servers.delete(cloud.ctx, uuid)
    assert cloud.servers.list(cloud.ctx) == []


def test_filter_explanation_names_the_removed_hosts(make_cloud):
    cloud = make_cloud()
    flavor = cloud.flavor('m1.small')
    flavor['extra_specs'] = {'capabilities:hypervisor_type': 'xen'}
    [uuid] = cloud.servers.create(cloud.ctx, flavor, cloud.image, 'xen')
    server = cloud.wait_for([uuid])[uuid]
    assert server['vm_state'] == 'error'
    explanation = _fault_details(server)
    assert explanation['candidates'] == 2
    by_name = {f['name']: f for f in explanation['filters']}
    caps = by_name['ComputeCapabilitiesFilter']
    assert (caps['hosts_in'], caps['hosts_out']) == (2, 0)
    assert {r['host'] for r in caps['removed']} == set(cloud.computes)
    assert all(r['reason'] for r in caps['removed'])


def test_failed_build_is_rescheduled_onto_an_alternate(make_cloud):
    cloud = make_cloud(hosts_per_cell=3,
                       fake_driver={'cell1-host1': {'fail_on_hosts':
                                                    ['cell1-host1']},
                                    'cell1-host2': {'fail_on_hosts':
                                                    ['cell1-host2']}})
    [uuid] = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                  cloud.image, 'retry')
    server = cloud.wait_for([uuid])[uuid]
    assert server['vm_state'] == 'active', server
    assert server['host'] == 'cell1-host3'
    # Only the host that runs it holds an allocation.
    assert cloud.usages() == {'VCPU': 1, 'MEMORY_MB': 2048, 'DISK_GB': 20}
    rp = cloud.placement.get(
        cloud.ctx, '/allocations/%s' % uuid).json()['allocations']
    assert list(rp) == [cloud.computes['cell1-host3'].manager
                        .resource_tracker.node_uuid('cell1-host3')]


def test_exhausted_alternates_end_in_error_without_leaks(make_cloud):
    hosts = ['cell1-host1', 'cell1-host2', 'cell1-host3']
    cloud = make_cloud(hosts_per_cell=3,
                       fake_driver={'*': {'fail_on_hosts': hosts}})
    [uuid] = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                  cloud.image, 'doomed')
    server = cloud.wait_for([uuid])[uuid]
    assert server['vm_state'] == 'error', server
    assert server['fault'], server
    assert cloud.usages() == {}
    assert cloud.placement.get(
        cloud.ctx, '/allocations/%s' % uuid).json()['allocations'] == {}


def test_two_cells_with_hosts_in_each(make_cloud):
    cloud = make_cloud(cells=2, hosts_per_cell=2)
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                 cloud.image, 'spread', min_count=8,
                                 max_count=8)
    servers = cloud.wait_for(uuids, timeout=90)
    assert {s['vm_state'] for s in servers.values()} == {'active'}
    cells = {s['cell_uuid'] for s in servers.values()}
    assert cells == set(cloud.cell_uuids.values())
    listed = cloud.servers.list(cloud.ctx)
    assert sorted(s['uuid'] for s in listed) == sorted(uuids)


def test_a_cell_whose_database_is_down_does_not_break_listing(make_cloud):
    from nova_core.db import cell_mapping
    cloud = make_cloud(cells=2, hosts_per_cell=1)
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                 cloud.image, 'both', min_count=2,
                                 max_count=2)
    servers = cloud.wait_for(uuids, timeout=60)
    by_cell = {s['cell_uuid']: u for u, s in servers.items()}
    assert len(by_cell) == 2
    down = cloud.cell_uuids['cell2']
    with cloud.cells.api.writer(cloud.ctx) as conn:
        # Nothing listens on port 1: connecting fails (or hangs until the
        # per-cell timeout), as a cell database that went away would.
        cell_mapping.update(conn, down, {
            'database_connection':
                'mysql+pymysql://root@127.0.0.1:1/nova_cell2'})
    listed = {s['uuid']: s for s in cloud.servers.list(cloud.ctx,
                                                       timeout=5)}
    assert set(listed) == set(uuids)
    assert listed[by_cell[down]].get('partial') is True
    assert listed[by_cell[down]]['status'] == 'UNKNOWN'
    up = by_cell[cloud.cell_uuids['cell1']]
    assert listed[up]['status'] == 'ACTIVE'
    assert not listed[up].get('partial')


def test_threads_not_eventlet():
    # oslo.service (imported by oslo.messaging) imports eventlet; nothing
    # may monkey-patch: every service here runs on plain threads.
    import sys
    import threading
    patcher = sys.modules.get('eventlet.patcher')
    if patcher is not None:
        for module in ('thread', 'socket', 'time', 'select'):
            assert not patcher.is_monkey_patched(module), module
    assert threading.current_thread().__class__.__module__ == 'threading'


def test_a_disabled_compute_is_left_out_by_placement(make_cloud):
    from nova_core.db import service as db_service
    cloud = make_cloud(hosts_per_cell=2)
    compute = cloud.computes['cell1-host1'].manager
    with cloud.cells.for_url(cloud.url['cell1']).writer(cloud.ctx) as conn:
        db_service.update(conn, compute.service['id'], {'disabled': True})
    compute.heartbeat()
    compute.update_available_resource()
    root = compute.resource_tracker.node_uuid('cell1-host1')
    traits = cloud.placement.get(
        cloud.ctx, '/resource_providers/%s/traits' % root).json()['traits']
    assert 'COMPUTE_STATUS_DISABLED' in traits
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.tiny'),
                                 cloud.image, 'on2', min_count=3,
                                 max_count=3)
    servers = cloud.wait_for(uuids)
    assert {s['host'] for s in servers.values()} == {'cell1-host2'}


def test_image_architecture_is_matched_against_the_hosts(make_cloud):
    cloud = make_cloud(hosts_per_cell=1)
    arm = dict(cloud.image, properties={'hw_architecture': 'aarch64'})
    x86 = dict(cloud.image, properties={'hw_architecture': 'x86_64'})
    [bad] = cloud.servers.create(cloud.ctx, cloud.flavor('m1.tiny'), arm,
                                 'arm')
    [good] = cloud.servers.create(cloud.ctx, cloud.flavor('m1.tiny'), x86,
                                  'x86')
    servers = cloud.wait_for([bad, good])
    assert servers[good]['vm_state'] == 'active'
    assert servers[bad]['vm_state'] == 'error'
    by_name = {f['name']: f for f in _fault_details(servers[bad])['filters']}
    assert by_name['ImagePropertiesFilter']['hosts_out'] == 0
