"""select_destinations against an in-process placement on SQLite.

Providers are created by hand in placement; host states come from a stub
host manager (tests/scheduler_fixtures.py), so no cell database is needed.
"""

import uuid as uuidlib

import pytest

from nova_core import exception
from nova_core.placement_client import allocations
from nova_core.scheduler import manager as scheduler_manager
from nova_core.scheduler.filters import affinity_filter
from nova_core.scheduler.filters import anti_affinity_filter
from nova_core.scheduler.filters import compute_capabilities_filter
from nova_core.scheduler.filters import compute_filter
from nova_core.scheduler.filters import image_properties_filter
from nova_core.scheduler.weighers import cpu
from nova_core.scheduler.weighers import disk
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf


class Cloud:
    """Compute nodes in placement and their host states."""

    def __init__(self, placement, conf):
        self.placement = placement
        self.conf = conf
        self.states = []

    def node(self, name, cell_uuid=sf.CELL1, vcpus=8, memory_mb=8192,
             disk_gb=100, **state_kw):
        uuid = sf.add_compute_node(self.placement, name, vcpus=vcpus,
                                   memory_mb=memory_mb, disk_gb=disk_gb)
        state = sf.host_state(name, uuid=uuid, cell_uuid=cell_uuid,
                              vcpus=vcpus, memory_mb=memory_mb,
                              disk_gb=disk_gb, **state_kw)
        self.states.append(state)
        return state

    def scheduler(self, client, **kw):
        conf = self.conf
        filters = [cls(conf) for cls in (
            compute_filter.ComputeFilter,
            compute_capabilities_filter.ComputeCapabilitiesFilter,
            image_properties_filter.ImagePropertiesFilter,
            anti_affinity_filter.ServerGroupAntiAffinityFilter,
            affinity_filter.ServerGroupAffinityFilter)]
        weighers = [cls(conf) for cls in (ram.RAMWeigher, cpu.CPUWeigher,
                                          disk.DiskWeigher)]
        return scheduler_manager.SchedulerManager(
            conf, client, cells=None,
            host_manager=sf.StubHostManager(self.states),
            filters=kw.pop('filters', filters),
            weighers=kw.pop('weighers', weighers))


def usage(placement, uuid):
    resp = placement.get('/resource_providers/%s/usages' % uuid)
    return resp.json()['usages']


def uuids(n):
    return [str(uuidlib.uuid4()) for _ in range(n)]


def test_one_instance(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    small = cloud.node('small', memory_mb=2048)
    big = cloud.node('big', memory_mb=16384)
    cloud.node('third', memory_mb=4096)
    spec = sf.request_spec(vcpus=2, memory_mb=1024, root_gb=10)
    [instance] = uuids(1)
    [selections] = cloud.scheduler(client).select_destinations(
        ctx, spec, [instance])
    chosen = selections[0]
    assert chosen['service_host'] == 'big'        # most free RAM
    assert chosen['nodename'] == 'big'
    assert chosen['compute_node_uuid'] == big.uuid
    assert chosen['cell_uuid'] == sf.CELL1
    assert chosen['allocation_request_version'] == '1.36'
    assert chosen['limits'] == {}
    assert chosen['allocation_request']['allocations'] == {
        big.uuid: {'resources': {'VCPU': 2, 'MEMORY_MB': 1024,
                                 'DISK_GB': 10}}}
    # alternates: max_attempts 3 -> 2 more, unclaimed
    assert [s['service_host'] for s in selections[1:]] == ['third', 'small']
    assert usage(placement, big.uuid) == {'VCPU': 2, 'MEMORY_MB': 1024,
                                          'DISK_GB': 10}
    assert usage(placement, small.uuid) == {'VCPU': 0, 'MEMORY_MB': 0,
                                            'DISK_GB': 0}
    consumer = allocations.get_allocations_for_consumer(ctx, client,
                                                        instance)
    assert list(consumer['allocations']) == [big.uuid]
    assert consumer['project_id'] == 'project'
    # Nova's consumer type (placement 1.38).
    assert consumer['consumer_type'] == 'INSTANCE'


def test_alternates_count_and_cell(placement, client, ctx):
    conf = sf.make_conf(scheduler__max_attempts=2)
    cloud = Cloud(placement, conf)
    cloud.node('a', memory_mb=16384)
    cloud.node('b', memory_mb=8192, cell_uuid=sf.CELL2)
    cloud.node('c', memory_mb=4096)
    cloud.node('d', memory_mb=2048)
    scheduler = cloud.scheduler(client)
    [selections] = scheduler.select_destinations(
        ctx, sf.request_spec(), uuids(1))
    # b is second best but in another cell: alternates stay in a's cell
    assert [s['service_host'] for s in selections] == ['a', 'c']
    [selections] = scheduler.select_destinations(
        ctx, sf.request_spec(), uuids(1), return_alternates=False)
    assert len(selections) == 1


def test_fifty_instances_in_one_call(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    nodes = [cloud.node('host%d' % i, vcpus=8, memory_mb=4096, disk_gb=40)
             for i in range(7)]
    spec = sf.request_spec(vcpus=1, memory_mb=512, root_gb=4,
                           num_instances=50)
    instances = uuids(50)
    result = cloud.scheduler(client).select_destinations(ctx, spec,
                                                          instances)
    assert len(result) == 50
    per_host = {}
    for selections in result:
        host = selections[0]['service_host']
        per_host[host] = per_host.get(host, 0) + 1
        assert len(selections) == 3
        assert host not in [s['service_host'] for s in selections[1:]]
    # 56 vCPUs for 50 instances: the weighers spread them (7 or 8 each)
    # and no host takes more than its 8 vCPUs.
    assert sum(per_host.values()) == 50
    assert len(per_host) == 7
    assert max(per_host.values()) - min(per_host.values()) <= 1
    total = {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    for node in nodes:
        for rclass, used in usage(placement, node.uuid).items():
            total[rclass] += used
    assert total == {'VCPU': 50, 'MEMORY_MB': 50 * 512, 'DISK_GB': 200}


def test_multi_create_that_does_not_fit_keeps_no_claim(placement, client,
                                                      ctx):
    cloud = Cloud(placement, sf.make_conf())
    nodes = [cloud.node('h%d' % i, vcpus=2, memory_mb=1024, disk_gb=10)
             for i in range(2)]
    spec = sf.request_spec(vcpus=1, memory_mb=512, root_gb=1,
                           num_instances=5)
    with pytest.raises(exception.NoValidHost) as caught:
        cloud.scheduler(client).select_destinations(ctx, spec, uuids(5))
    explanation = caught.value.explanation
    assert explanation['instances_requested'] == 5
    assert explanation['instances_placed'] == 4
    assert explanation['candidates'] == 2
    assert explanation['filters'][0]['name'] == 'PlacementCapacity'
    assert explanation['filters'][0]['hosts_out'] == 0
    assert 'placed 4 of 5' in explanation['summary']
    for node in nodes:
        assert usage(placement, node.uuid) == {'VCPU': 0, 'MEMORY_MB': 0,
                                               'DISK_GB': 0}


def test_no_candidates_explained_with_the_query(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    cloud.node('tiny', memory_mb=1024)
    spec = sf.request_spec(memory_mb=4096)
    with pytest.raises(exception.NoValidHost) as caught:
        cloud.scheduler(client).select_destinations(ctx, spec, uuids(1))
    explanation = caught.value.explanation
    assert explanation == {
        'candidates': 0, 'providers': 0,
        'placement_query': {'resources': 'DISK_GB:1,MEMORY_MB:4096,VCPU:1',
                            'root_required': '!COMPUTE_STATUS_DISABLED',
                            'limit': '1000'},
        'filters': [], 'weighed': [], 'instances_requested': 1,
        'instances_placed': 0, 'claim_conflicts': 0,
        'request_filters': [{'name': 'compute_status',
                             'added': 'root_forbidden '
                                      'COMPUTE_STATUS_DISABLED'}],
        'summary': 'placement returned no allocation candidates for '
                   'resources=DISK_GB:1,MEMORY_MB:4096,VCPU:1'
                   '&root_required=!COMPUTE_STATUS_DISABLED&limit=1000'}
    assert explanation['summary'] in str(caught.value)


def test_filters_removing_everything_are_explained(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    cloud.node('down', service_up=False)
    cloud.node('off', disabled=True, disabled_reason='maintenance')
    cloud.node('kvm', hypervisor_type='kvm')
    spec = sf.request_spec(
        extra_specs={'capabilities:hypervisor_type': 'fake'})
    with pytest.raises(exception.NoValidHost) as caught:
        cloud.scheduler(client).select_destinations(ctx, spec, uuids(1))
    explanation = caught.value.explanation
    assert explanation['candidates'] == 3 and explanation['providers'] == 3
    assert explanation['filters'] == [
        {'name': 'ComputeFilter', 'hosts_in': 3, 'hosts_out': 1,
         'removed': [
             {'host': 'down', 'node': 'down', 'reason':
              'compute service is down (no heartbeat in service_down_time)'},
             {'host': 'off', 'node': 'off',
              'reason': 'compute service disabled (maintenance)'}]},
        {'name': 'ComputeCapabilitiesFilter', 'hosts_in': 1, 'hosts_out': 0,
         'removed': [{'host': 'kvm', 'node': 'kvm', 'reason':
                      "extra spec capabilities:hypervisor_type='fake': "
                      "host has 'kvm'"}]}]
    assert explanation['summary'] == (
        '3 allocation candidate(s) on 3 provider tree(s); ComputeFilter: '
        '3 -> 1 host(s); ComputeCapabilitiesFilter: 1 -> 0 host(s)')
    assert explanation['weighed'] == []


def test_claim_conflict_falls_back_to_the_next_host(placement, client, ctx,
                                                    monkeypatch):
    cloud = Cloud(placement, sf.make_conf())
    best = cloud.node('best', memory_mb=16384)
    cloud.node('second', memory_mb=8192)
    cloud.node('third', memory_mb=4096)
    scheduler = cloud.scheduler(client)
    real = scheduler_manager.candidates.get_allocation_candidates

    def racing(*args, **kwargs):
        # Another scheduler takes most of "best" after our query.
        answer = real(*args, **kwargs)
        assert allocations.claim_resources(
            ctx, client, str(uuidlib.uuid4()),
            {'allocations': {best.uuid: {'resources': {'MEMORY_MB': 16000}}}},
            'other', 'other')
        return answer

    monkeypatch.setattr(scheduler_manager.candidates,
                        'get_allocation_candidates', racing)
    [selections] = scheduler.select_destinations(
        ctx, sf.request_spec(memory_mb=1024), uuids(1))
    assert [s['service_host'] for s in selections] == ['second', 'third']


def test_claim_conflicts_on_every_host_are_explained(placement, client, ctx,
                                                     monkeypatch):
    cloud = Cloud(placement, sf.make_conf())
    cloud.node('a')
    cloud.node('b')
    monkeypatch.setattr(scheduler_manager.allocations, 'claim_resources',
                        lambda *a, **kw: False)
    with pytest.raises(exception.NoValidHost) as caught:
        cloud.scheduler(client).select_destinations(
            ctx, sf.request_spec(), uuids(1))
    assert caught.value.explanation['claim_conflicts'] == 2
    assert '2 claim(s) lost' in caught.value.explanation['summary']


def test_anti_affinity_in_one_multi_create(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    for name in ('a', 'b', 'c'):
        cloud.node(name)
    instances = uuids(3)
    group = sf.instance_group('anti-affinity', members=instances)
    spec = sf.request_spec(instance_group=group, num_instances=3)
    result = cloud.scheduler(client).select_destinations(ctx, spec,
                                                          instances)
    assert sorted(s[0]['service_host'] for s in result) == ['a', 'b', 'c']
    assert group['hosts'] == []          # the caller's spec is left alone
    with pytest.raises(exception.NoValidHost) as caught:
        cloud.scheduler(client).select_destinations(
            ctx, sf.request_spec(instance_group=sf.instance_group(
                'anti-affinity', members=uuids(4)), num_instances=4),
            uuids(4))
    assert caught.value.explanation['instances_placed'] == 3


def test_affinity_in_one_multi_create(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    for name in ('a', 'b', 'c'):
        cloud.node(name)
    instances = uuids(4)
    spec = sf.request_spec(instance_group=sf.instance_group(
        'affinity', members=instances), num_instances=4)
    result = cloud.scheduler(client).select_destinations(ctx, spec,
                                                          instances)
    assert len({s[0]['service_host'] for s in result}) == 1


def test_requested_destination_and_ignore_hosts(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    cloud.node('a', memory_mb=16384)
    b = cloud.node('b')
    cloud.node('c')
    scheduler = cloud.scheduler(client)
    [selections] = scheduler.select_destinations(
        ctx, sf.request_spec(requested_destination={'host': 'b'}), uuids(1))
    assert [s['compute_node_uuid'] for s in selections] == [b.uuid]
    [selections] = scheduler.select_destinations(
        ctx, sf.request_spec(ignore_hosts=['a']), uuids(1))
    assert 'a' not in [s['service_host'] for s in selections]
    with pytest.raises(exception.NoValidHost) as caught:
        scheduler.select_destinations(
            ctx, sf.request_spec(force_hosts=['nowhere']), uuids(1))
    assert caught.value.explanation['filters'][0]['name'] == 'force_hosts'


def test_host_subset_size_spreads_choices(placement, client, ctx):
    conf = sf.make_conf(filter_scheduler__host_subset_size=3)
    cloud = Cloud(placement, conf)
    for name in ('a', 'b', 'c'):
        cloud.node(name, vcpus=64, memory_mb=65536)
    scheduler = cloud.scheduler(client)
    chosen = {scheduler.select_destinations(
        ctx, sf.request_spec(memory_mb=16), uuids(1))[0][0]['service_host']
        for _ in range(30)}
    assert len(chosen) > 1


def test_periodic_tasks(placement, client):
    cloud = Cloud(placement, sf.make_conf())
    assert cloud.scheduler(client).periodic_tasks() == []
    cloud.conf.set_override('discover_hosts_in_cells_interval', 30,
                            group='scheduler')
    [(interval, _task)] = cloud.scheduler(client).periodic_tasks()
    assert interval == 30
