"""Allocation candidates read from SQLite, MariaDB and PostgreSQL alike."""

from tests.functional.candidate_setup import build
from tests.functional.candidate_setup import candidates
from tests.functional.candidate_setup import get


def test_snapshot_loads_on_every_backend(placement_on):
    cloud = build(placement_on)
    cloud.allocate('cn2', {'VCPU': 3, 'DISK_GB': 80})
    cloud.allocate('cn2', {'VCPU': 1})
    # cn2 is full of VCPU; its disk (90 usable) has 10 left.
    assert candidates(cloud, 'resources=VCPU:1,DISK_GB:10') == [
        [('cn1', 'VCPU', 1), ('ss', 'DISK_GB', 10)]]
    assert candidates(cloud, 'resources=DISK_GB:10') == [
        [('cn2', 'DISK_GB', 10)], [('ss', 'DISK_GB', 10)]]
    summaries = get(placement_on, 'resources=DISK_GB:10').json()[
        'provider_summaries']
    assert summaries[cloud.uuids['cn2']]['resources'] == {
        'VCPU': {'capacity': 4, 'used': 4},
        'MEMORY_MB': {'capacity': 1024, 'used': 0},
        'DISK_GB': {'capacity': 90, 'used': 80}}
    assert summaries[cloud.uuids['ss']]['traits'] == [
        'MISC_SHARES_VIA_AGGREGATE']


def test_nested_and_granular_on_every_backend(placement_on):
    cloud = build(placement_on)
    found = candidates(cloud, 'resources=VCPU:2&resources_NET=SRIOV_NET_VF:1'
                       '&required_NET=CUSTOM_PHYSNET_B&member_of=%s'
                       % 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa')
    assert found == [[('cn1', 'VCPU', 2), ('pf2', 'SRIOV_NET_VF', 1)]]
