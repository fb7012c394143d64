"""The weighers beyond RAM/CPU/disk: one test group per weigher."""

import pytest

from nova_core import exception
from nova_core.scheduler import weighers
from nova_core.scheduler.weighers import affinity
from nova_core.scheduler.weighers import compute
from nova_core.scheduler.weighers import cross_cell
from nova_core.scheduler.weighers import hypervisor_version
from nova_core.scheduler.weighers import image_props
from nova_core.scheduler.weighers import io_ops
from nova_core.scheduler.weighers import metrics
from nova_core.scheduler.weighers import num_instances
from tests import scheduler_fixtures as sf


def ranked(weigher, hosts, spec=None):
    weighed = weighers.weigh_hosts([weigher], hosts,
                                   spec or sf.request_spec())
    return [(w.obj.host, w.weight) for w in weighed]


# -- IoOpsWeigher -------------------------------------------------------------

def test_io_ops_prefers_idle_hosts_by_default():
    hosts = [sf.host_state('busy', num_io_ops=4),
             sf.host_state('idle', num_io_ops=0),
             sf.host_state('some', num_io_ops=2)]
    result = ranked(io_ops.IoOpsWeigher(sf.make_conf()), hosts)
    # minval 0: weight = -1 * ops / max ops.
    assert result == [('idle', 0.0), ('some', -0.5), ('busy', -1.0)]


def test_io_ops_positive_multiplier_prefers_busy_hosts():
    conf = sf.make_conf(filter_scheduler__io_ops_weight_multiplier=2.0)
    hosts = [sf.host_state('idle', num_io_ops=0),
             sf.host_state('busy', num_io_ops=3)]
    assert ranked(io_ops.IoOpsWeigher(conf), hosts)[0] == ('busy', 2.0)


def test_io_ops_counts_builds_of_this_request():
    hosts = [sf.host_state('a'), sf.host_state('b')]
    hosts[0].consume_from_request(sf.request_spec())
    assert ranked(io_ops.IoOpsWeigher(sf.make_conf()), hosts)[0][0] == 'b'


# -- NumInstancesWeigher ------------------------------------------------------

def test_num_instances_is_off_by_default():
    hosts = [sf.host_state('many', instances=['i1', 'i2']),
             sf.host_state('none')]
    assert ranked(num_instances.NumInstancesWeigher(sf.make_conf()),
                  hosts) == [('many', 0.0), ('none', 0.0)]


@pytest.mark.parametrize('multiplier, first', [(1.0, 'many'),
                                               (-1.0, 'none')])
def test_num_instances_packs_or_spreads(multiplier, first):
    conf = sf.make_conf(
        filter_scheduler__num_instances_weight_multiplier=multiplier)
    hosts = [sf.host_state('none'),
             sf.host_state('many', instances=['i1', 'i2'])]
    assert ranked(num_instances.NumInstancesWeigher(conf),
                  hosts)[0][0] == first


# -- HypervisorVersionWeigher -------------------------------------------------

def test_hypervisor_version_prefers_newer():
    hosts = [sf.host_state('old', hypervisor_version=6000000),
             sf.host_state('new', hypervisor_version=9000000),
             sf.host_state('unknown', hypervisor_version=None)]
    result = ranked(hypervisor_version.HypervisorVersionWeigher(
        sf.make_conf()), hosts)
    assert [host for host, _w in result] == ['new', 'old', 'unknown']


def test_hypervisor_version_negative_prefers_older():
    conf = sf.make_conf(
        filter_scheduler__hypervisor_version_weight_multiplier=-1.0)
    hosts = [sf.host_state('new', hypervisor_version=9),
             sf.host_state('old', hypervisor_version=6)]
    assert ranked(hypervisor_version.HypervisorVersionWeigher(conf),
                  hosts)[0][0] == 'old'


# -- ServerGroupSoft(Anti)AffinityWeigher -------------------------------------

def _group_hosts():
    return [sf.host_state('two', instances=['m1', 'm2', 'x']),
            sf.host_state('one', instances=['m3']),
            sf.host_state('zero', instances=['y'])]


def test_soft_affinity_prefers_hosts_with_members():
    group = sf.instance_group('soft-affinity', members=['m1', 'm2', 'm3'])
    result = ranked(affinity.ServerGroupSoftAffinityWeigher(sf.make_conf()),
                    _group_hosts(), sf.request_spec(instance_group=group))
    assert result == [('two', 1.0), ('one', 0.5), ('zero', 0.0)]


def test_soft_anti_affinity_prefers_hosts_without_members():
    group = sf.instance_group('soft-anti-affinity',
                              members=['m1', 'm2', 'm3'])
    conf = sf.make_conf(
        filter_scheduler__soft_anti_affinity_weight_multiplier=2.0)
    result = ranked(affinity.ServerGroupSoftAntiAffinityWeigher(conf),
                    _group_hosts(), sf.request_spec(instance_group=group))
    assert result == [('zero', 2.0), ('one', 1.0), ('two', 0.0)]


@pytest.mark.parametrize('weigher_class', [
    affinity.ServerGroupSoftAffinityWeigher,
    affinity.ServerGroupSoftAntiAffinityWeigher])
def test_soft_weighers_ignore_other_policies(weigher_class):
    for group in (None, sf.instance_group('affinity', members=['m1'])):
        result = ranked(weigher_class(sf.make_conf()), _group_hosts(),
                        sf.request_spec(instance_group=group))
        assert {w for _h, w in result} == {0.0}


# -- BuildFailureWeigher ------------------------------------------------------

def test_build_failures_push_a_host_back():
    hosts = [sf.host_state('failing', stats={'failed_builds': 3}),
             sf.host_state('fine')]
    result = ranked(compute.BuildFailureWeigher(sf.make_conf()), hosts)
    assert result == [('fine', 1000000.0), ('failing', 0.0)]


def test_build_failures_from_attribute_and_disabled():
    hosts = [sf.host_state('failing', failed_builds=1),
             sf.host_state('fine')]
    assert ranked(compute.BuildFailureWeigher(sf.make_conf()),
                  hosts)[0][0] == 'fine'
    conf = sf.make_conf(filter_scheduler__build_failure_weight_multiplier=0)
    assert {w for _h, w in ranked(compute.BuildFailureWeigher(conf),
                                  hosts)} == {0.0}


# -- CrossCellWeigher ---------------------------------------------------------

def _cell_hosts():
    return [sf.host_state('other', cell_uuid=sf.CELL2),
            sf.host_state('source', cell_uuid=sf.CELL1)]


def test_cross_cell_prefers_the_source_cell():
    spec = sf.request_spec(requested_destination={
        'allow_cross_cell_move': True, 'source_cell_uuid': sf.CELL1})
    result = ranked(cross_cell.CrossCellWeigher(sf.make_conf()),
                    _cell_hosts(), spec)
    assert result == [('source', 1000000.0), ('other', 0.0)]


def test_cross_cell_source_from_spec_and_negative_multiplier():
    conf = sf.make_conf(
        filter_scheduler__cross_cell_move_weight_multiplier=-1.0)
    spec = sf.request_spec(source_cell_uuid=sf.CELL1,
                           requested_destination={
                               'allow_cross_cell_move': True})
    assert ranked(cross_cell.CrossCellWeigher(conf), _cell_hosts(),
                  spec)[0][0] == 'other'


def test_cross_cell_ignores_other_requests():
    spec = sf.request_spec(source_cell_uuid=sf.CELL1)
    result = ranked(cross_cell.CrossCellWeigher(sf.make_conf()),
                    _cell_hosts(), spec)
    assert result == [('other', 0.0), ('source', 0.0)]


# -- ImagePropertiesWeigher ---------------------------------------------------

def _image_hosts():
    windows = {'os_distro': 'windows', 'hw_machine_type': 'q35'}
    linux = {'os_distro': 'ubuntu', 'hw_machine_type': 'q35'}
    return [
        sf.host_state('linux', instances=['l1']),
        sf.host_state('windows2', instances=['w1', 'w2']),
        sf.host_state('windows1', instances=['w3']),
    ], {'l1': linux, 'w1': windows, 'w2': windows, 'w3': windows}


def _with_images(hosts, props, sysmeta=False):
    for host in hosts:
        for uuid, inst in host.instances.items():
            if sysmeta:
                inst['system_metadata'] = {'image_' + k: v
                                           for k, v in props[uuid].items()}
            else:
                inst['image_properties'] = props[uuid]
    return hosts


def test_image_props_off_by_default():
    hosts, props = _image_hosts()
    spec = sf.request_spec(image_properties={'os_distro': 'windows'})
    result = ranked(image_props.ImagePropertiesWeigher(sf.make_conf()),
                    _with_images(hosts, props), spec)
    assert {w for _h, w in result} == {0.0}


@pytest.mark.parametrize('sysmeta', [False, True])
def test_image_props_packs_alike_images(sysmeta):
    conf = sf.make_conf(filter_scheduler__image_props_weight_multiplier=1.0)
    hosts, props = _image_hosts()
    spec = sf.request_spec(image_properties={'os_distro': 'windows',
                                             'hw_machine_type': 'q35'})
    result = ranked(image_props.ImagePropertiesWeigher(conf),
                    _with_images(hosts, props, sysmeta), spec)
    # windows2: 2 instances x 2 props = 4; windows1: 2; linux: 1 (q35).
    assert result == [('windows2', 1.0), ('windows1', 0.5),
                      ('linux', 0.25)]


def test_image_props_setting_selects_and_weighs_properties():
    conf = sf.make_conf(
        filter_scheduler__image_props_weight_multiplier=1.0,
        filter_scheduler__image_props_weight_setting=[
            'os_distro=10', 'bogus', 'hw_machine_type=1'])
    weigher = image_props.ImagePropertiesWeigher(conf)
    assert weigher.setting == {'os_distro': 10.0, 'hw_machine_type': 1.0}
    hosts, props = _image_hosts()
    spec = sf.request_spec(image_properties={'os_distro': 'ubuntu',
                                             'hw_machine_type': 'q35',
                                             'other': 'x'})
    result = ranked(weigher, _with_images(hosts, props), spec)
    # linux: 10 + 1; windows2: 1 + 1; windows1: 1.
    assert [h for h, _w in result] == ['linux', 'windows2', 'windows1']
    assert result[0][1] == 1.0


# -- MetricsWeigher -----------------------------------------------------------

def _metric_hosts():
    return [sf.host_state('slow', metrics={'cpu.frequency': 1000,
                                           'cpu.percent': 10}),
            sf.host_state('fast', metrics={'cpu.frequency': 3000,
                                           'cpu.percent': 90}),
            sf.host_state('mid', metrics=[
                {'name': 'cpu.frequency', 'value': 2000},
                {'name': 'cpu.percent', 'value': 0}])]


def test_metrics_weighted_sum():
    conf = sf.make_conf(metrics__weight_setting=[
        'cpu.frequency=1.0', 'cpu.percent=-10'])
    result = ranked(metrics.MetricsWeigher(conf), _metric_hosts())
    # slow 900, fast 2100, mid 2000
    assert [h for h, _w in result] == ['fast', 'mid', 'slow']
    assert result[0][1] == 1.0 and result[-1][1] == 0.0


def test_metrics_without_setting_weighs_nothing():
    result = ranked(metrics.MetricsWeigher(sf.make_conf()), _metric_hosts())
    assert {w for _h, w in result} == {0.0}


def test_metrics_missing_and_required_fails():
    conf = sf.make_conf(metrics__weight_setting=['cpu.load=1'])
    with pytest.raises(exception.ComputeHostMetricNotFound) as caught:
        ranked(metrics.MetricsWeigher(conf), _metric_hosts())
    assert 'cpu.load' in str(caught.value)


def test_metrics_missing_not_required_weighs_unavailable():
    conf = sf.make_conf(metrics__weight_setting=['cpu.frequency=1'],
                        metrics__required=False)
    hosts = _metric_hosts() + [sf.host_state('blind')]
    result = ranked(metrics.MetricsWeigher(conf), hosts)
    assert result[-1] == ('blind', 0.0)
    assert result[0][0] == 'fast'


def test_metrics_multiplier_and_aggregate_key():
    conf = sf.make_conf(metrics__weight_setting=['cpu.frequency=1'],
                        metrics__weight_multiplier=3.0)
    hosts = _metric_hosts()
    hosts[0].aggregates = [{'name': 'a', 'metadata': {
        'metrics_weight_multiplier': '-1'}}]
    weigher = metrics.MetricsWeigher(conf)
    assert weigher.weight_multiplier(hosts[0]) == -1.0
    assert weigher.weight_multiplier(hosts[1]) == 3.0
