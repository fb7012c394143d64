"""Per-aggregate multiplier overrides, and loading every weigher."""

import pytest

from nova_core import loading
from nova_core.scheduler import weighers
from nova_core.scheduler.weighers import io_ops
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf


def agg(name, **metadata):
    return {'name': name, 'uuid': name, 'metadata': metadata}


def test_no_aggregate_uses_the_option():
    conf = sf.make_conf(filter_scheduler__ram_weight_multiplier=2.5)
    assert ram.RAMWeigher(conf).weight_multiplier(sf.host_state()) == 2.5


def test_aggregate_overrides_and_the_smallest_wins():
    host = sf.host_state(aggregates=[
        agg('a', ram_weight_multiplier='3.0'),
        agg('b', ram_weight_multiplier='-1.5'),
        agg('c', other='x')])
    assert ram.RAMWeigher(sf.make_conf()).weight_multiplier(host) == -1.5


def test_bad_aggregate_value_is_ignored():
    host = sf.host_state(aggregates=[agg('a', ram_weight_multiplier='lots')])
    assert ram.RAMWeigher(sf.make_conf()).weight_multiplier(host) == 1.0
    host.aggregates.append(agg('b', ram_weight_multiplier='0.5'))
    assert ram.RAMWeigher(sf.make_conf()).weight_multiplier(host) == 0.5


def test_override_changes_the_ranking():
    # Stack in the "stack" aggregate, spread elsewhere.
    small = sf.host_state('small', memory_mb=1024, aggregates=[
        agg('stack', ram_weight_multiplier='-1.0')])
    big = sf.host_state('big', memory_mb=8192)
    mid = sf.host_state('mid', memory_mb=4096)
    weighed = weighers.weigh_hosts([ram.RAMWeigher(sf.make_conf())],
                                   [small, big, mid], sf.request_spec())
    assert [(w.obj.host, round(w.weight, 3)) for w in weighed] == [
        ('big', 1.0), ('mid', 0.429), ('small', -0.0)]


def test_override_for_a_new_weigher():
    host = sf.host_state(aggregates=[agg('a', io_ops_weight_multiplier='5')])
    assert io_ops.IoOpsWeigher(sf.make_conf()).weight_multiplier(host) == 5


def test_parse_setting():
    assert weighers.parse_setting(['a=1', ' b = -2.5 ', 'c', '=3', 'd=x'],
                                  'opt') == [('a', 1.0), ('b', -2.5)]


NAMES = ['RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'IoOpsWeigher',
         'NumInstancesWeigher', 'HypervisorVersionWeigher',
         'ServerGroupSoftAffinityWeigher',
         'ServerGroupSoftAntiAffinityWeigher', 'BuildFailureWeigher',
         'CrossCellWeigher', 'ImagePropertiesWeigher', 'MetricsWeigher']


@pytest.mark.parametrize('names', [
    ['nova.scheduler.weights.all_weighers'], ['all_weighers']])
def test_all_weighers_selects_every_installed_weigher(names):
    classes = loading.load_weighers(names, weighers.BaseHostWeigher)
    assert set(NAMES) <= {cls.__name__ for cls in classes}


def test_nova_dotted_names_load_by_entry_point():
    classes = loading.load_weighers(
        ['nova.scheduler.weights.io_ops.IoOpsWeigher',
         'nova.scheduler.weights.affinity.ServerGroupSoftAffinityWeigher',
         'MetricsWeigher'], weighers.BaseHostWeigher)
    assert [c.__name__ for c in classes] == [
        'IoOpsWeigher', 'ServerGroupSoftAffinityWeigher', 'MetricsWeigher']


def test_every_weigher_weighs_default_hosts():
    conf = sf.make_conf()
    classes = loading.load_weighers(NAMES, weighers.BaseHostWeigher)
    hosts = [sf.host_state('a'), sf.host_state('b', memory_mb=1024)]
    weighed = weighers.weigh_hosts([cls(conf) for cls in classes], hosts,
                                   sf.request_spec())
    assert [w.obj.host for w in weighed] == ['a', 'b']
