"""Counters, isolation, JSON queries, metrics, and loading by name."""

import pytest

from nova_core import exception
from nova_core import loading
from nova_core.scheduler import filters
from nova_core.scheduler.filters import aggregate_io_ops_filter
from nova_core.scheduler.filters import aggregate_num_instances_filter
from nova_core.scheduler.filters import io_ops_filter
from nova_core.scheduler.filters import isolated_hosts_filter
from nova_core.scheduler.filters import json_filter
from nova_core.scheduler.filters import metrics_filter
from nova_core.scheduler.filters import num_instances_filter
from nova_core.scheduler import host_state as host_state_mod
from tests import scheduler_fixtures as sf

# Every filter of issue 5, by the names Nova operators use.
ALL_FILTERS = [
    'ComputeFilter', 'ComputeCapabilitiesFilter', 'ImagePropertiesFilter',
    'ServerGroupAffinityFilter', 'ServerGroupAntiAffinityFilter',
    'SameHostFilter', 'DifferentHostFilter', 'SimpleCIDRAffinityFilter',
    'AggregateImagePropertiesIsolation', 'AggregateInstanceExtraSpecsFilter',
    'AggregateMultiTenancyIsolation', 'AggregateTypeAffinityFilter',
    'IoOpsFilter', 'AggregateIoOpsFilter', 'NumInstancesFilter',
    'AggregateNumInstancesFilter', 'IsolatedHostsFilter', 'JsonFilter',
    'MetricsFilter', 'AllHostsFilter',
]


@pytest.fixture
def conf():
    return sf.make_conf()


def _aggs(*metadatas):
    return [{'id': i, 'name': 'a%d' % i, 'hosts': ['host1'],
             'metadata': dict(md)} for i, md in enumerate(metadatas)]


# -- loading ----------------------------------------------------------------

def test_every_filter_loads_through_entry_points(conf):
    classes = loading.load_filters(ALL_FILTERS, filters.BaseHostFilter)
    assert [cls.__name__ for cls in classes] == ALL_FILTERS
    hosts = [sf.host_state('h%d' % i) for i in range(3)]
    spec = sf.request_spec()
    instances = [cls(conf) for cls in classes]
    passed, records = filters.run_filters(instances, hosts, spec)
    # A plain request on plain hosts passes every default-configured filter.
    assert passed == hosts
    assert [r['name'] for r in records] == ALL_FILTERS


def test_nova_dotted_names_load(conf):
    [cls] = loading.load_filters(
        ['nova.scheduler.filters.type_filter.AggregateTypeAffinityFilter'],
        filters.BaseHostFilter)
    assert cls.__name__ == 'AggregateTypeAffinityFilter'


def test_unknown_filter_name_fails_naming_it():
    with pytest.raises(exception.PluginLoadError) as caught:
        loading.load_filters(['IoOpsFilter', 'NoSuchFilter'],
                             filters.BaseHostFilter)
    message = str(caught.value)
    assert 'NoSuchFilter' in message
    assert 'nova_core.scheduler.filters' in message


def test_enabled_filters_from_nova_conf(conf):
    conf.set_override('enabled_filters', ALL_FILTERS, 'filter_scheduler')
    classes = loading.load_filters(conf.filter_scheduler.enabled_filters,
                                   filters.BaseHostFilter)
    assert len(classes) == len(ALL_FILTERS)


# -- IoOpsFilter / AggregateIoOpsFilter ---------------------------------------

def test_io_ops_filter(conf):
    assert conf.filter_scheduler.max_io_ops_per_host == 8
    f = io_ops_filter.IoOpsFilter(conf)
    spec = sf.request_spec()
    assert f.host_passes(sf.host_state(num_io_ops=7), spec)
    busy = sf.host_state(num_io_ops=8)
    assert not f.host_passes(busy, spec)
    assert f.why(busy, spec) == ('8 I/O-heavy operation(s) under way, '
                                 'max_io_ops_per_host is 8')


def test_aggregate_io_ops_filter(conf):
    conf.set_override('max_io_ops_per_host', 2, 'filter_scheduler')
    f = aggregate_io_ops_filter.AggregateIoOpsFilter(conf)
    spec = sf.request_spec()
    # No aggregate value: the option.
    assert not f.host_passes(sf.host_state(num_io_ops=2), spec)
    # The smallest valid aggregate value wins over the option.
    host = sf.host_state(num_io_ops=3, aggregates=_aggs(
        {'max_io_ops_per_host': '5'}, {'max_io_ops_per_host': '4'},
        {'max_io_ops_per_host': 'lots'}))
    assert f.host_passes(host, spec)
    host.num_io_ops = 4
    assert not f.host_passes(host, spec)
    assert 'max_io_ops_per_host is 4' in f.why(host, spec)
    bad = sf.host_state(num_io_ops=1, aggregates=_aggs(
        {'max_io_ops_per_host': 'x'}))
    assert f.host_passes(bad, spec)     # falls back to 2


def test_num_io_ops_from_stats_and_builds():
    state = sf.host_state(stats={'io_workload': '3'})
    assert state.num_io_ops == 3
    state.consume_from_request(sf.request_spec())
    assert state.num_io_ops == 4


def test_count_io_ops():
    instances = [{'vm_state': 'building', 'task_state': 'spawning'},
                 {'vm_state': 'active', 'task_state': 'resize_migrating'},
                 {'vm_state': 'active', 'task_state': 'image_snapshot'},
                 {'vm_state': 'active', 'task_state': None},
                 {'vm_state': 'active', 'task_state': 'rebooting'}]
    assert host_state_mod.count_io_ops(instances) == 3


# -- NumInstancesFilter / AggregateNumInstancesFilter -------------------------

def test_num_instances_filter(conf):
    assert conf.filter_scheduler.max_instances_per_host == 50
    conf.set_override('max_instances_per_host', 2, 'filter_scheduler')
    f = num_instances_filter.NumInstancesFilter(conf)
    spec = sf.request_spec()
    host = sf.host_state(instances=['a'])
    assert f.host_passes(host, spec)
    host.consume_from_request(spec, instance_uuid='b')
    assert not f.host_passes(host, spec)
    assert f.why(host, spec) == ('host holds 2 instance(s), '
                                 'max_instances_per_host is 2')


def test_aggregate_num_instances_filter(conf):
    conf.set_override('max_instances_per_host', 2, 'filter_scheduler')
    f = aggregate_num_instances_filter.AggregateNumInstancesFilter(conf)
    spec = sf.request_spec()
    host = sf.host_state(instances=['a', 'b'])
    assert not f.host_passes(host, spec)
    host.aggregates = _aggs({'max_instances_per_host': '10'})
    assert f.host_passes(host, spec)
    host.aggregates = _aggs({'max_instances_per_host': '10'},
                            {'max_instances_per_host': '1'})
    assert not f.host_passes(host, spec)
    assert 'max_instances_per_host is 1' in f.why(host, spec)


# -- IsolatedHostsFilter ------------------------------------------------------

@pytest.mark.parametrize('restrict, image, host, passes', [
    (True, 'iso', 'isohost', True),
    (True, 'iso', 'other', False),
    (True, 'plain', 'isohost', False),
    (True, 'plain', 'other', True),
    (False, 'iso', 'isohost', True),
    (False, 'iso', 'other', False),
    (False, 'plain', 'isohost', True),
    (False, 'plain', 'other', True),
    (True, None, 'isohost', False),       # boot from volume: not isolated
])
def test_isolated_hosts(restrict, image, host, passes):
    conf = sf.make_conf(
        filter_scheduler__isolated_images=['iso'],
        filter_scheduler__isolated_hosts=['isohost'],
        filter_scheduler__restrict_isolated_hosts_to_isolated_images=restrict)
    f = isolated_hosts_filter.IsolatedHostsFilter(conf)
    spec = sf.request_spec()
    spec['image']['id'] = image
    state = sf.host_state(host)
    assert f.host_passes(state, spec) is passes
    if not passes:
        assert 'isolated' in f.why(state, spec)


@pytest.mark.parametrize('restrict, host, passes', [
    (True, 'isohost', False), (True, 'other', True),
    (False, 'isohost', True), (False, 'other', True)])
def test_isolated_hosts_without_isolated_images(restrict, host, passes):
    conf = sf.make_conf(
        filter_scheduler__isolated_hosts=['isohost'],
        filter_scheduler__restrict_isolated_hosts_to_isolated_images=restrict)
    f = isolated_hosts_filter.IsolatedHostsFilter(conf)
    assert f.host_passes(sf.host_state(host), sf.request_spec()) is passes


def test_isolated_hosts_defaults(conf):
    f = isolated_hosts_filter.IsolatedHostsFilter(conf)
    assert f.host_passes(sf.host_state(), sf.request_spec())
    assert conf.filter_scheduler.restrict_isolated_hosts_to_isolated_images


# -- JsonFilter ---------------------------------------------------------------

def _query(query):
    return sf.request_spec(scheduler_hints={'query': query})


@pytest.mark.parametrize('query, passes', [
    (None, True),
    ('["=", "$free_ram_mb", 8192]', True),
    (['=', '$free_ram_mb', 8192], True),                   # decoded list
    (['["=", "$free_ram_mb", 8192]'], True),               # Nova: [text]
    ('[">=", "$free_ram_mb", 1024]', True),
    ('["<", "$free_ram_mb", 1024]', False),
    ('[">", "$vcpus_total", 4]', True),
    ('["<=", "$vcpus_total", 4]', False),
    ('["in", "$hypervisor_type", "kvm", "fake"]', True),
    ('["in", "$hypervisor_type", "kvm", "xen"]', False),
    ('["not", ["=", "$host", "host1"]]', False),
    ('["not", ["=", "$host", "host2"]]', True),
    ('["and", [">=", "$free_ram_mb", 1], ["=", "$stats.rack", "r1"]]', True),
    ('["and", [">=", "$free_ram_mb", 1], ["=", "$stats.rack", "r2"]]', False),
    ('["or", ["=", "$stats.rack", "r2"], ["=", "$host", "host1"]]', True),
    ('["=", "$stats.nothing", "x"]', False),        # missing: dropped
    ('["=", "$nothing", 1, 1]', True),              # dropped, 1 == 1
    ('["and"]', True),
    ('[]', True),
    ('["bogus", 1]', False),
    ('not json', False),
    ('["<", "$host", 3]', False),                   # uncomparable
])
def test_json_filter(conf, query, passes):
    f = json_filter.JsonFilter(conf)
    host = sf.host_state('host1', memory_mb=8192, stats={'rack': 'r1'})
    spec = _query(query) if query is not None else sf.request_spec()
    assert f.host_passes(host, spec) is passes


def test_json_filter_why(conf):
    f = json_filter.JsonFilter(conf)
    host = sf.host_state(memory_mb=512)
    assert f.why(host, _query('[">=", "$free_ram_mb", 1024]')) == (
        'query hint [">=", "$free_ram_mb", 1024] is false for this host')
    assert f.why(host, _query('["xor", 1]')).startswith(
        'invalid query hint: unknown operator')
    assert 'not JSON' in f.why(host, _query('{'))


# -- MetricsFilter ------------------------------------------------------------

def test_metrics_filter():
    conf = sf.make_conf(metrics__weight_setting=[
        'cpu.frequency=1.0', 'cpu.user.percent=-1', 'bad', 'x=y'])
    f = metrics_filter.MetricsFilter(conf)
    assert f.names == ['cpu.frequency', 'cpu.user.percent']
    spec = sf.request_spec()
    good = sf.host_state(metrics={'cpu.frequency': 2400,
                                  'cpu.user.percent': 0.2, 'other': 1})
    assert f.host_passes(good, spec)
    partial = sf.host_state(metrics={'cpu.frequency': 2400})
    assert not f.host_passes(partial, spec)
    assert f.why(partial, spec) == (
        'host does not report metric(s) cpu.user.percent')
    assert not f.host_passes(sf.host_state(), spec)


def test_metrics_filter_without_setting(conf):
    assert conf.metrics.weight_setting == []
    f = metrics_filter.MetricsFilter(conf)
    assert f.host_passes(sf.host_state(), sf.request_spec())


def test_metrics_read_from_compute_node():
    state = sf.host_state()
    state.update_from_compute_node({'host': 'h', 'metrics': (
        '[{"name": "cpu.frequency", "value": 2400, "source": "x"}]')})
    assert state.metrics == {'cpu.frequency': 2400}
    state.update_from_compute_node({'host': 'h', 'metrics': {'a': 1}})
    assert state.metrics == {'a': 1}
