"""HostState: built from records and summaries; consumption."""

import datetime

from nova_core.scheduler import host_state
from tests import scheduler_fixtures as sf


def test_from_compute_node_and_summary():
    state = host_state.HostState('h1', 'n1', 'uuid-1', 'cell')
    state.update_from_compute_node({
        'vcpus': 8, 'vcpus_used': 2, 'memory_mb': 4096, 'memory_mb_used': 1024,
        'local_gb': 100, 'local_gb_used': 10, 'cpu_allocation_ratio': 2.0,
        'ram_allocation_ratio': 1.5, 'disk_allocation_ratio': 1.0,
        'hypervisor_type': 'fake', 'hypervisor_version': 1000,
        'cpu_info': '{"arch": "x86_64"}',
        'stats': '{"num_instances": "3", "supported_instances": '
                 '[["x86_64", "fake", "hvm"]]}',
        'updated_at': datetime.datetime(2024, 1, 2, 3, 4, 5)})
    assert state.free_vcpus == 14
    assert state.free_ram_mb == 4096 * 1.5 - 1024
    assert state.free_disk_mb == 90 * 1024
    assert state.cpu_info == {'arch': 'x86_64'}
    assert state.supported_instances == [('x86_64', 'fake', 'hvm')]
    assert state.num_instances == 3
    assert state.updated == '2024-01-02T03:04:05'
    state.update_from_provider_summary({'resources': {
        'VCPU': {'capacity': 16, 'used': 4},
        'MEMORY_MB': {'capacity': 6144, 'used': 2048},
        'DISK_GB': {'capacity': 100, 'used': 50}}})
    assert state.vcpus_total == 8 and state.vcpus_used == 4
    assert state.free_vcpus == 12
    assert state.free_ram_mb == 4096
    assert state.free_disk_mb == 50 * 1024


def test_service_is_up():
    now = datetime.datetime(2024, 1, 1, 12, 0, 0)
    recent = {'updated_at': '2024-01-01T11:59:30'}
    old = {'updated_at': datetime.datetime(2024, 1, 1, 11, 58, 0)}
    assert host_state.service_is_up(recent, 60, now=now)
    assert not host_state.service_is_up(old, 60, now=now)
    assert not host_state.service_is_up(dict(recent, forced_down=True), 60,
                                        now=now)
    assert not host_state.service_is_up(None, 60, now=now)
    assert host_state.service_is_up(
        {'last_seen_up': '2024-01-01T11:59:50+00:00'}, 60, now=now)


def test_update_from_service():
    state = sf.host_state()
    state.update_from_service({'disabled': True, 'disabled_reason': 'x',
                               'updated_at': None}, 60)
    assert state.service_disabled and not state.service_up
    assert state.disabled_reason == 'x'


def test_consume_from_request():
    state = sf.host_state(vcpus=8, memory_mb=4096, disk_gb=100)
    spec = sf.request_spec(vcpus=2, memory_mb=1024, root_gb=10,
                           ephemeral_gb=5)
    state.consume_from_request(spec, instance_uuid='i1')
    assert (state.vcpus_used, state.free_ram_mb, state.free_disk_mb) == (
        2, 3072, 85 * 1024)
    assert state.num_instances == 1 and 'i1' in state.instances
    # what was claimed counts, not the flavor
    state.consume_from_request(spec, {'allocations': {
        'rp': {'resources': {'VCPU': 1, 'MEMORY_MB': 100}}}}, 'i2')
    assert (state.vcpus_used, state.free_ram_mb) == (3, 2972)
    assert state.num_instances == 2
    assert state.capabilities['hypervisor_type'] == 'fake'
