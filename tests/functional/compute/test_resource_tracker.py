"""The resource tracker reporting a fake host to an in-process placement (SQLite)."""

from nova_core.compute import objects
from nova_core.compute import resource_tracker
from nova_core.virt import fake
from tests.unit.compute import fixtures


def _tracker(client, host='host1', **overrides):
    conf = fixtures.make_conf(host=host, **overrides)
    conductor = fixtures.FakeConductor()
    drv = fake.FakeDriver(conf, host)
    rt = resource_tracker.ResourceTracker(
        conf, host, drv, objects.ObjectProxy(conductor, host), client)
    return rt, conductor


def _inventories(placement, uuid):
    return placement.get('/resource_providers/%s/inventories' % uuid).json()[
        'inventories']


def test_reports_node_record_and_inventory(client, placement):
    rt, conductor = _tracker(client, fake_driver__vcpus=8,
                             fake_driver__memory_mb=8192,
                             fake_driver__local_gb=200,
                             reserved_host_cpus=1, ram_allocation_ratio=1.5)
    ctx = fixtures.make_context()
    nodes = rt.update_available_resource(ctx)
    cn = nodes['host1']
    assert cn['hypervisor_hostname'] == 'host1' and cn['host'] == 'host1'
    assert (cn['vcpus'], cn['memory_mb'], cn['local_gb']) == (8, 8192, 200)
    assert cn['cpu_allocation_ratio'] == 4.0
    assert cn['ram_allocation_ratio'] == 1.5
    assert list(conductor.compute_nodes.values())[0]['uuid'] == cn['uuid']

    rp = placement.get('/resource_providers/%s' % cn['uuid']).json()
    assert rp['name'] == 'host1'
    inv = _inventories(placement, cn['uuid'])
    assert inv['VCPU']['total'] == 8 and inv['VCPU']['reserved'] == 1
    assert inv['VCPU']['allocation_ratio'] == 4.0
    assert inv['MEMORY_MB']['allocation_ratio'] == 1.5
    assert inv['MEMORY_MB']['reserved'] == 512
    assert inv['DISK_GB']['total'] == 200


def test_second_run_writes_nothing(client, placement):
    rt, conductor = _tracker(client)
    ctx = fixtures.make_context()
    cn = rt.update_available_resource(ctx)['host1']
    gen = placement.get('/resource_providers/%s' % cn['uuid']).json()[
        'generation']
    rt.update_available_resource(ctx)
    assert placement.get('/resource_providers/%s' % cn['uuid']).json()[
        'generation'] == gen


def test_restart_finds_its_compute_node(client, placement):
    rt, conductor = _tracker(client)
    ctx = fixtures.make_context()
    first = rt.update_available_resource(ctx)['host1']
    conf = rt.conf
    again = resource_tracker.ResourceTracker(
        conf, 'host1', fake.FakeDriver(conf, 'host1'),
        objects.ObjectProxy(conductor, 'host1'), client)
    assert again.update_available_resource(ctx)['host1']['uuid'] == \
        first['uuid']
    assert len(conductor.compute_nodes) == 1
    assert len(placement.get('/resource_providers').json()[
        'resource_providers']) == 1


def test_operator_ratio_kept_unless_configured(client, placement):
    rt, _conductor = _tracker(client)
    ctx = fixtures.make_context()
    cn = rt.update_available_resource(ctx)['host1']
    url = '/resource_providers/%s/inventories/VCPU' % cn['uuid']
    body = placement.get(url).json()
    body['allocation_ratio'] = 8.0
    assert placement.put(url, json=body).status_code == 200
    rt.update_available_resource(ctx)
    assert placement.get(url).json()['allocation_ratio'] == 8.0
    assert rt.compute_nodes['host1']['cpu_allocation_ratio'] == 8.0

    rt.conf.set_override('cpu_allocation_ratio', 2.0)
    rt.update_available_resource(ctx)
    assert placement.get(url).json()['allocation_ratio'] == 2.0


def test_traits_and_nested_children(client, placement):
    rt, _conductor = _tracker(client, fake_driver__numa_children=2,
                              fake_driver__vcpus=8,
                              fake_driver__traits=['CUSTOM_FAKE_HOST',
                                                   'HW_CPU_X86_AVX2'])
    ctx = fixtures.make_context()
    cn = rt.update_available_resource(ctx)['host1']
    listed = placement.get('/resource_providers?in_tree=%s' % cn['uuid'],
                           microversion='1.14').json()['resource_providers']
    names = sorted(r['name'] for r in listed)
    assert names == ['host1', 'host1_NUMA0', 'host1_NUMA1']
    for rec in listed:
        assert rec['root_provider_uuid'] == cn['uuid']
        inv = _inventories(placement, rec['uuid'])
        if rec['uuid'] == cn['uuid']:
            assert set(inv) == {'DISK_GB'}
        else:
            assert rec['parent_provider_uuid'] == cn['uuid']
            assert inv['VCPU']['total'] == 4
    traits = placement.get('/resource_providers/%s/traits' % cn['uuid']).json()
    assert sorted(traits['traits']) == ['CUSTOM_FAKE_HOST', 'HW_CPU_X86_AVX2']

    # Turned off: the children go, the root gets everything back.
    rt.conf.set_override('numa_children', 0, group='fake_driver')
    rt.update_available_resource(ctx)
    listed = placement.get('/resource_providers?in_tree=%s' % cn['uuid'],
                           microversion='1.14').json()['resource_providers']
    assert [r['name'] for r in listed] == ['host1']
    assert set(_inventories(placement, cn['uuid'])) == {
        'VCPU', 'MEMORY_MB', 'DISK_GB'}


def test_usage_reported_on_the_node_record(client, placement):
    rt, _conductor = _tracker(client)
    rt.driver.spawn(None, {'uuid': 'i1', 'flavor': {
        'vcpus': 2, 'memory_mb': 1024, 'root_gb': 5}}, {}, {})
    cn = rt.update_available_resource(fixtures.make_context())['host1']
    assert (cn['vcpus_used'], cn['memory_mb_used'], cn['local_gb_used'],
            cn['running_vms']) == (2, 1024, 5, 1)


def test_a_failing_node_does_not_stop_the_others(client, placement):
    rt, _conductor = _tracker(client)
    rt.driver.get_available_nodes = lambda: ['broken', 'host1']
    real = rt.driver.get_available_resource

    def resources(nodename):
        if nodename == 'broken':
            raise RuntimeError('hypervisor gone')
        return real(nodename)

    rt.driver.get_available_resource = resources
    assert list(rt.update_available_resource(fixtures.make_context())) == [
        'host1']
