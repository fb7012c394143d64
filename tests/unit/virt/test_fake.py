"""The fake virt driver: capacity, failure injection, provider tree."""

import threading
import time

import pytest

from nova_core import exception
from nova_core.virt import driver
from nova_core.virt import fake
from nova_core.virt import power_state
from nova_core.virt import provider_tree
from tests.unit.compute import fixtures

ROOT = '0f1c6c8e-0000-4000-8000-000000000001'


def _driver(host='host1', **overrides):
    conf = fixtures.make_conf(host=host, **overrides)
    drv = fake.FakeDriver(conf, host)
    drv.init_host()
    return drv


def _instance(n=1, **flavor):
    return {'uuid': '0f1c6c8e-0000-4000-8000-0000000001%02d' % n,
            'flavor': dict({'vcpus': 2, 'memory_mb': 1024, 'root_gb': 10,
                            'ephemeral_gb': 0}, **flavor)}


def _tree(nodename='host1'):
    tree = provider_tree.ProviderTree()
    tree.new_root(nodename, ROOT)
    return tree


def test_is_a_compute_driver():
    assert issubclass(fake.FakeDriver, driver.ComputeDriver)
    assert fake.FakeDriver.capabilities['supports_nested']


def test_spawn_power_cycle_destroy():
    drv = _driver()
    inst = _instance()
    drv.spawn(None, inst, {}, {})
    assert drv.list_instances() == [inst['uuid']]
    assert drv.get_info(inst) == {'state': power_state.RUNNING}
    drv.power_off(None, inst, timeout=5)
    assert drv.get_info(inst)['state'] == power_state.SHUTDOWN
    drv.power_on(None, inst)
    drv.reboot(None, inst, 'HARD')
    assert drv.get_info(inst)['state'] == power_state.RUNNING
    drv.destroy(None, inst)
    drv.destroy(None, inst)  # idempotent
    assert drv.list_instances() == []
    with pytest.raises(exception.InstanceNotFound):
        drv.get_info(inst)
    with pytest.raises(exception.InstanceNotFound):
        drv.power_on(None, inst)


def test_fail_spawn_nth():
    drv = _driver(fake_driver__fail_spawn_nth=[2, 3])
    results = []
    for n in range(1, 5):
        try:
            drv.spawn(None, _instance(n), {}, {})
            results.append('ok')
        except exception.InstanceSpawnFailure as exc:
            assert 'spawn number %d' % n in exc.format_message()
            results.append('fail')
    assert results == ['ok', 'fail', 'fail', 'ok']
    assert drv.spawn_count == 4
    assert len(drv.list_instances()) == 2


def test_fail_on_hosts_only_on_those_hosts():
    bad = _driver('bad', fake_driver__fail_on_hosts=['bad'])
    good = _driver('good', fake_driver__fail_on_hosts=['bad'])
    with pytest.raises(exception.InstanceSpawnFailure):
        bad.spawn(None, _instance(), {}, {})
    good.spawn(None, _instance(), {}, {})
    assert bad.list_instances() == []


def test_spawn_seconds_delays_and_cleanup_interrupts():
    drv = _driver(fake_driver__spawn_seconds=0.2)
    start = time.monotonic()
    drv.spawn(None, _instance(1), {}, {})
    assert time.monotonic() - start >= 0.2

    slow = _driver(fake_driver__spawn_seconds=30)
    errors = []

    def spawn():
        try:
            slow.spawn(None, _instance(2), {}, {})
        except exception.InstanceSpawnFailure as exc:
            errors.append(exc)

    thread = threading.Thread(target=spawn)
    thread.start()
    time.sleep(0.1)
    slow.cleanup()
    thread.join(5)
    assert not thread.is_alive()
    assert len(errors) == 1 and 'stopping' in errors[0].format_message()


def test_concurrent_spawns_count_exactly():
    drv = _driver(fake_driver__fail_spawn_nth=[5])
    failures = []

    def spawn(n):
        try:
            drv.spawn(None, _instance(n), {}, {})
        except exception.InstanceSpawnFailure:
            failures.append(n)

    threads = [threading.Thread(target=spawn, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(failures) == 1 and drv.spawn_count == 20
    assert len(drv.list_instances()) == 19


def test_available_resource_counts_usage():
    drv = _driver(fake_driver__vcpus=8, fake_driver__memory_mb=4096,
                  fake_driver__local_gb=100)
    drv.spawn(None, _instance(1), {}, {})
    drv.spawn(None, _instance(2, ephemeral_gb=5), {}, {})
    res = drv.get_available_resource('host1')
    assert (res['vcpus'], res['memory_mb'], res['local_gb']) == (8, 4096, 100)
    assert (res['vcpus_used'], res['memory_mb_used'],
            res['local_gb_used']) == (4, 2048, 25)
    assert res['hypervisor_type'] == 'fake'
    assert res['hypervisor_hostname'] == 'host1'
    assert isinstance(res['cpu_info'], str)


def test_update_provider_tree_ratios_and_reserved():
    drv = _driver(fake_driver__vcpus=8, fake_driver__memory_mb=4096,
                  fake_driver__local_gb=100, cpu_allocation_ratio=2.0,
                  reserved_host_cpus=1, reserved_host_memory_mb=256,
                  reserved_host_disk_mb=1500)
    tree = _tree()
    drv.update_provider_tree(tree, 'host1')
    inv = tree.inventory('host1')
    assert inv['VCPU']['total'] == 8 and inv['VCPU']['reserved'] == 1
    assert inv['VCPU']['allocation_ratio'] == 2.0
    # ram/disk: initial ratios for a new inventory.
    assert inv['MEMORY_MB']['allocation_ratio'] == 1.0
    assert inv['MEMORY_MB']['reserved'] == 256
    assert inv['DISK_GB']['reserved'] == 2  # 1500 MB rounded up


def test_update_provider_tree_keeps_ratios_set_in_placement():
    drv = _driver(initial_ram_allocation_ratio=1.5)
    tree = _tree()
    tree.update_inventory('host1', {'MEMORY_MB': driver.inventory_record(
        100, 0, 3.0), 'CUSTOM_GPU': driver.inventory_record(2)})
    drv.update_provider_tree(tree, 'host1')
    inv = tree.inventory('host1')
    assert inv['MEMORY_MB']['allocation_ratio'] == 3.0
    assert inv['VCPU']['allocation_ratio'] == 4.0  # initial_cpu default
    assert 'CUSTOM_GPU' in inv  # classes the default does not own stay


def test_reserved_never_exceeds_total():
    drv = _driver(fake_driver__memory_mb=256, reserved_host_memory_mb=512)
    tree = _tree()
    drv.update_provider_tree(tree, 'host1')
    inv = tree.inventory('host1')['MEMORY_MB']
    assert inv['reserved'] == inv['total'] == 256


def test_traits_on_root():
    drv = _driver(fake_driver__traits=['CUSTOM_FAST', 'HW_CPU_X86_AVX2'])
    tree = _tree()
    drv.update_provider_tree(tree, 'host1')
    assert tree.traits('host1') == {'CUSTOM_FAST', 'HW_CPU_X86_AVX2'}


def test_numa_children_split_vcpu_and_memory():
    drv = _driver(fake_driver__vcpus=9, fake_driver__memory_mb=4096,
                  fake_driver__numa_children=2, reserved_host_memory_mb=513)
    tree = _tree()
    drv.update_provider_tree(tree, 'host1')
    root = tree.inventory('host1')
    assert set(root) == {'DISK_GB'}
    children = [tree.data(u) for u in tree.children('host1')]
    assert [c['name'] for c in children] == ['host1_NUMA0', 'host1_NUMA1']
    assert [c['inventories']['VCPU']['total'] for c in children] == [5, 4]
    assert [c['inventories']['MEMORY_MB']['reserved']
            for c in children] == [257, 256]
    # Stable uuids: the next run finds the same children.
    uuids = tree.children('host1')
    drv.update_provider_tree(tree, 'host1')
    assert tree.children('host1') == uuids
    assert uuids[0] == provider_tree.child_uuid(ROOT, 'host1_NUMA0')


def test_numa_children_removed_when_turned_off():
    drv = _driver(fake_driver__numa_children=2)
    tree = _tree()
    drv.update_provider_tree(tree, 'host1')
    drv.conf.set_override('numa_children', 0, group='fake_driver')
    drv.update_provider_tree(tree, 'host1')
    assert tree.children('host1') == []
    assert set(tree.inventory('host1')) == {'VCPU', 'MEMORY_MB', 'DISK_GB'}


def test_base_driver_required_methods_raise():
    base = driver.ComputeDriver(fixtures.make_conf(), 'h')
    assert base.get_available_nodes() == ['h']
    for call in (lambda: base.spawn(None, {}, {}, {}),
                 lambda: base.destroy(None, {}),
                 lambda: base.get_info({}),
                 base.list_instances,
                 lambda: base.get_available_resource('h'),
                 lambda: base.reboot(None, {}, 'SOFT'),
                 lambda: base.power_on(None, {}),
                 lambda: base.power_off(None, {})):
        with pytest.raises(NotImplementedError):
            call()
    assert not base.capabilities['supports_reboot']
