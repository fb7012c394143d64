"""RAM, CPU and disk weighers, normalisation and multipliers."""

import pytest

from nova_core.scheduler import weighers
from nova_core.scheduler.weighers import cpu
from nova_core.scheduler.weighers import disk
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf


def test_normalize():
    assert weighers.normalize([]) == []
    assert weighers.normalize([5, 5]) == [0.0, 0.0]
    assert weighers.normalize([0, 5, 10]) == [0.0, 0.5, 1.0]
    assert weighers.normalize([5], minval=0, maxval=10) == [0.5]


def _hosts():
    return [sf.host_state('small', memory_mb=1024, vcpus=2, disk_gb=10),
            sf.host_state('big', memory_mb=8192, vcpus=16, disk_gb=500),
            sf.host_state('mid', memory_mb=4096, vcpus=4, disk_gb=50)]


@pytest.mark.parametrize('weigher_class', [ram.RAMWeigher, cpu.CPUWeigher,
                                           disk.DiskWeigher])
def test_each_weigher_spreads_by_default(weigher_class):
    weighed = weighers.weigh_hosts([weigher_class(sf.make_conf())],
                                   _hosts(), sf.request_spec())
    assert [w.obj.host for w in weighed] == ['big', 'mid', 'small']
    assert weighed[0].weight == 1.0 and weighed[-1].weight == 0.0


@pytest.mark.parametrize('weigher_class, option', [
    (ram.RAMWeigher, 'ram_weight_multiplier'),
    (cpu.CPUWeigher, 'cpu_weight_multiplier'),
    (disk.DiskWeigher, 'disk_weight_multiplier')])
def test_negative_multiplier_stacks(weigher_class, option):
    conf = sf.make_conf(**{'filter_scheduler__' + option: -2.0})
    weighed = weighers.weigh_hosts([weigher_class(conf)], _hosts(),
                                   sf.request_spec())
    assert [w.obj.host for w in weighed] == ['small', 'mid', 'big']
    assert weighed[0].weight == 0.0 and weighed[-1].weight == -2.0


def test_weights_add_up_over_weighers():
    conf = sf.make_conf(filter_scheduler__disk_weight_multiplier=-1.0)
    hosts = [sf.host_state('a', memory_mb=8192, disk_gb=100),
             sf.host_state('b', memory_mb=4096, disk_gb=10)]
    weighed = weighers.weigh_hosts(
        [ram.RAMWeigher(conf), disk.DiskWeigher(conf)], hosts,
        sf.request_spec())
    # a: ram 1 + disk -1 = 0; b: ram 0 + disk 0 = 0: a tie keeps the order.
    assert [(w.obj.host, w.weight) for w in weighed] == [('a', 0.0),
                                                          ('b', 0.0)]


def test_cpu_weigher_uses_allocation_ratio():
    hosts = [sf.host_state('a', vcpus=4, cpu_allocation_ratio=4.0),
             sf.host_state('b', vcpus=8, vcpus_used=0)]
    weighed = weighers.weigh_hosts([cpu.CPUWeigher(sf.make_conf())], hosts,
                                   sf.request_spec())
    assert weighed[0].obj.host == 'a'   # 16 free against 8


def test_consumed_host_weighs_less():
    hosts = [sf.host_state('a'), sf.host_state('b')]
    hosts[0].consume_from_request(sf.request_spec(memory_mb=1024))
    weighed = weighers.weigh_hosts([ram.RAMWeigher(sf.make_conf())], hosts,
                                   sf.request_spec())
    assert weighed[0].obj.host == 'b'
