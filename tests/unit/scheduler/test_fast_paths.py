"""The scheduler's shortcuts give the answers of the long way round.

Filters that a request leaves nothing to check (``passes_all``), weighers
answering for all hosts at once, host states shared until written, and the
capacity check skipped until a request has consumed something.
"""

import pytest

from nova_core.scheduler import filters
from nova_core.scheduler.filters import affinity_filter
from nova_core.scheduler.filters import anti_affinity_filter
from nova_core.scheduler.filters import compute_capabilities_filter as ccf
from nova_core.scheduler.filters import compute_filter
from nova_core.scheduler.filters import image_properties_filter as ipf
from nova_core.scheduler import host_state as host_state_mod
from nova_core.scheduler import manager
from nova_core.scheduler import weighers
from nova_core.scheduler.weighers import cpu
from nova_core.scheduler.weighers import disk
from nova_core.scheduler.weighers import num_instances
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf

FILTERS = (compute_filter.ComputeFilter, ccf.ComputeCapabilitiesFilter,
           ipf.ImagePropertiesFilter,
           anti_affinity_filter.ServerGroupAntiAffinityFilter,
           affinity_filter.ServerGroupAffinityFilter)


def _hosts():
    return [
        sf.host_state('h1', instances=['a']),
        sf.host_state('h2', service_up=False),
        sf.host_state('h3', hypervisor_type='kvm', stats={'gpu': '2'},
                      supported_instances=(('aarch64', 'kvm', 'hvm'),)),
        sf.host_state('h4', disabled=True),
        sf.host_state('h5', hypervisor_version=6001002),
        sf.host_state('h6', supported_instances=()),
    ]


SPECS = [
    sf.request_spec(),
    sf.request_spec(extra_specs={'resources:VCPU': '0', 'hw:x': 'y',
                                 'group_policy': 'none',
                                 'trait:HW_X': 'required'}),
    sf.request_spec(extra_specs={'capabilities:hypervisor_type': 'kvm'}),
    sf.request_spec(extra_specs={'gpu': '= 2'}),
    sf.request_spec(image_properties={'hw_architecture': 'aarch64'}),
    sf.request_spec(image_properties={'img_hv_requested_version': '>=6'}),
    sf.request_spec(image_properties={'hw_disk_bus': 'virtio'}),
    sf.request_spec(instance_group=sf.instance_group('affinity')),
    sf.request_spec(instance_group=sf.instance_group(
        'affinity', members=['a'], hosts=['h1'])),
    sf.request_spec(instance_group=sf.instance_group(
        'anti-affinity', members=['a'], hosts=['h1'])),
    sf.request_spec(instance_group=sf.instance_group('anti-affinity')),
]


@pytest.mark.parametrize('spec', SPECS)
@pytest.mark.parametrize('filter_class', FILTERS)
def test_passes_all_only_when_every_host_passes(filter_class, spec):
    f = filter_class(sf.make_conf(
        filter_scheduler__image_properties_default_architecture=None))
    if f.passes_all(spec):
        assert all(f.host_passes(h, spec) for h in _hosts())


def test_passes_all_is_taken_for_a_plain_request():
    conf = sf.make_conf()
    spec = sf.request_spec()
    assert [f(conf).passes_all(spec) for f in FILTERS] == [
        False, True, True, True, True]


@pytest.mark.parametrize('spec', SPECS)
def test_run_filters_same_hosts_and_records_as_per_host(spec):
    conf = sf.make_conf()
    hosts = _hosts()
    fast, fast_records = filters.run_filters(
        [f(conf) for f in FILTERS], hosts, spec)

    class PerHost(filters.BaseHostFilter):
        """One of FILTERS, asked about every host."""

        def __init__(self, inner):
            super().__init__(conf)
            self.inner = inner

        name = property(lambda self: self.inner.name)
        RUN_ON_REBUILD = property(lambda self: self.inner.RUN_ON_REBUILD)

        def host_passes(self, host_state, spec):
            return self.inner.host_passes(host_state, spec)

        def why(self, host_state, spec):
            return self.inner.why(host_state, spec)

    slow, slow_records = filters.run_filters(
        [PerHost(f(conf)) for f in FILTERS], hosts, spec)
    assert [h.host for h in fast] == [h.host for h in slow]
    assert fast_records == slow_records


def _weigh_per_host(weigher_list, hosts, spec):
    """weigh_hosts as it was: one call per host and weigher."""
    weighed = [weighers.WeighedHost(h) for h in hosts]
    for weigher in weigher_list:
        raw = [weigher._weigh_object(h, spec) for h in hosts]
        scaled = weighers.normalize(raw, weigher.minval, weigher.maxval)
        for entry, host, value in zip(weighed, hosts, scaled):
            entry.weight += weigher.weight_multiplier(host) * value
    return sorted(weighed, key=lambda e: e.weight, reverse=True)


@pytest.mark.parametrize('overrides', [
    {}, {'filter_scheduler__ram_weight_multiplier': -1.5,
         'filter_scheduler__num_instances_weight_multiplier': 2.0},
    {'filter_scheduler__disk_weight_multiplier': 0.0}])
def test_weigh_hosts_same_order_and_weights_as_per_host(overrides):
    conf = sf.make_conf(**overrides)
    agg = sf.aggregate('a', hosts=['h2'], metadata={
        'cpu_weight_multiplier': '3', 'num_instances_weight_multiplier': '1',
        'ram_weight_multiplier': 'bad'})
    hosts = [sf.host_state('h%d' % i, memory_mb=1024 * (i % 3 + 1),
                           vcpus=2 + i % 4, disk_gb=10 * (i % 5 + 1),
                           vcpus_used=i % 2, instances=['x'] * (i % 2))
             for i in range(12)]
    hosts[2].aggregates = [agg]
    weigher_list = [w(conf) for w in (ram.RAMWeigher, cpu.CPUWeigher,
                                      disk.DiskWeigher,
                                      num_instances.NumInstancesWeigher)]
    spec = sf.request_spec()
    fast = weighers.weigh_hosts(weigher_list, hosts, spec)
    slow = _weigh_per_host(weigher_list, hosts, spec)
    assert [(w.obj.host, w.weight) for w in fast] == [
        (w.obj.host, w.weight) for w in slow]


def test_copy_for_request_is_copy_on_write():
    template = sf.host_state('h1', stats={'gpu': '1'}, instances=['a'])
    first = template.copy_for_request()
    second = template.copy_for_request()
    assert first.stats is template.stats    # shared until written
    first.consume_from_request(sf.request_spec(), None, 'new')
    assert set(first.instances) == {'a', 'new'}
    assert first.stats['num_instances'] == 2
    for untouched in (template, second):
        assert set(untouched.instances) == {'a'}
        assert 'num_instances' not in untouched.stats
        assert untouched.num_instances == 1
    assert isinstance(first, host_state_mod.HostState)


def _placer(by_root, summaries):
    class Manager:
        conf = sf.make_conf()
    return manager._Placer(Manager(), None, sf.request_spec(), by_root,
                           summaries, None, [])


def test_capacity_check_skipped_only_until_something_is_consumed():
    def request(rp, vcpus):
        return {'allocations': {rp: {'resources': {'VCPU': vcpus}}}}
    summaries = {rp: {'resources': {'VCPU': {'capacity': 4, 'used': used}},
                      'root_provider_uuid': rp}
                 for rp, used in (('r1', 2), ('r2', 0))}
    by_root = {'r1': [request('r1', 2)], 'r2': [request('r2', 2)]}
    placer = _placer(by_root, summaries)
    hosts = [sf.host_state('h1', uuid='r1'), sf.host_state('h2', uuid='r2')]
    assert placer.candidates(hosts)[0] == hosts
    for host in hosts:
        # Placement offered both: both fit, with or without the shortcut.
        assert placer._fitting_request(host) is by_root[host.uuid][0]
        assert placer.capacity.fits(by_root[host.uuid][0])
    placer.capacity.consume(by_root['r1'][0])
    left, records = placer.candidates(hosts)
    assert left == [hosts[1]]
    assert records[-1]['name'] == 'PlacementCapacity'
    assert placer._fitting_request(hosts[0]) is None


def test_change_mark_written_out_is_the_iso_text_of_each_timestamp():
    import collections
    import datetime

    from nova_core.db import base

    Row = collections.namedtuple(
        'Row', 'id created_at updated_at deleted_at deleted')
    exact = datetime.datetime(2026, 1, 2, 3, 4, 5)
    fine = datetime.datetime(2026, 1, 2, 3, 4, 5, 123456)
    for row in (Row(1, exact, None, None, 0), Row(2, fine, exact, fine, 2)):
        assert base.change_mark(row) == (row.id,) + tuple(
            None if value is None else value.isoformat()
            for value in row[1:4]) + (bool(row.deleted),)
    assert base.change_mark(Row(3, exact, None, None, 0))[1] == (
        '2026-01-02T03:04:05')


def test_a_ranking_makes_entries_only_for_the_positions_asked():
    hosts = [sf.host_state('h%d' % i) for i in range(6)]
    ranking = weighers.Ranking(hosts, [1.0, 3.0, 2.0, 3.0, 0.0, 2.0])
    # Best first, ties in the hosts' order.
    assert [w.obj.host for w in ranking.all()] == [
        'h1', 'h3', 'h2', 'h5', 'h0', 'h4']
    assert [w.obj.host for w in ranking.top(2)] == ['h1', 'h3']
    assert [w.obj.host for w in ranking.between(2, 4)] == ['h2', 'h5']
    assert ranking.ties_at_top() == 2
    assert [w.weight for w in ranking.all()] == [3.0, 3.0, 2.0, 2.0, 1.0, 0.0]


def test_the_order_tried_goes_past_its_head_when_claims_fail():
    hosts = [sf.host_state('h%d' % i) for i in range(7)]
    ranking = weighers.Ranking(hosts, [float(-i) for i in range(7)])
    head = ranking.top(2)
    head.reverse()              # as _ordered may move the chosen one first
    ordered = manager._Ordered(head, ranking)
    assert len(ordered) == 7
    assert [w.obj.host for w in ordered] == [
        'h1', 'h0', 'h2', 'h3', 'h4', 'h5', 'h6']
    assert [w.obj.host for w in ordered.without(3)] == [
        'h1', 'h0', 'h2', 'h4', 'h5', 'h6']
    single = manager._Ordered(ranking.top(1), ranking)
    assert [w.obj.host for w in single] == ['h%d' % i for i in range(7)]


def test_a_claim_lost_on_every_host_of_the_head_tries_the_next(monkeypatch):
    conf = sf.make_conf(scheduler__max_attempts=1)
    hosts = [sf.host_state('h%d' % i, memory_mb=1024 * (10 - i))
             for i in range(8)]
    placer = manager._Placer.__new__(manager._Placer)
    placer.conf = conf
    tried = []

    def claim(instance_uuid, host, request):
        tried.append(host.host)
        return host.host == 'h5'
    monkeypatch.setattr(placer, '_claim', claim, raising=False)
    ranking = weighers.rank_hosts([ram.RAMWeigher(conf)], hosts,
                                  sf.request_spec())
    ordered = placer._ordered(ranking)
    found = next(entry for entry in ordered
                 if placer._claim(None, entry.obj, None))
    assert found.obj.host == 'h5'
    assert tried == ['h0', 'h1', 'h2', 'h3', 'h4', 'h5']
