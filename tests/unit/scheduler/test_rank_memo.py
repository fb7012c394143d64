"""A ranking updated from the last one (weighers.RankMemo) is the ranking
made in full: same totals, same order, ties included."""

import random

from nova_core.scheduler import weighers
from nova_core.scheduler.weighers import compute as build_failure
from nova_core.scheduler.weighers import cpu
from nova_core.scheduler.weighers import disk
from nova_core.scheduler.weighers import io_ops
from nova_core.scheduler.weighers import num_instances
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf


class SpecWeigher(weighers.BaseHostWeigher):
    """Weighs by the request: not host-only. Fixed bounds: a new request
    changes some weights, not the bounds."""

    minval = 0
    maxval = 10

    def _weigh_object(self, host_state, spec):
        return (int(host_state.host[1:]) * spec.get('factor', 1)) % 7


class SubclassedRAM(ram.RAMWeigher):
    """Inherits the flag, weighs otherwise: must not count as host-only."""

    def _weigh_object(self, host_state, spec):
        return host_state.free_ram_mb % 1000


class CountingMemo(weighers.RankMemo):
    updates = 0

    def updated(self, *args):
        ranking = super().updated(*args)
        self.updates += ranking is not None
        return ranking


def _host(rnd, i):
    return sf.host_state(
        'h%d' % i, memory_mb=1024 * rnd.randint(1, 4),
        vcpus=rnd.choice([2, 4, 8]), disk_gb=10 * rnd.randint(1, 3),
        vcpus_used=rnd.randint(0, 2),
        instances=['x'] * rnd.randint(0, 2))


def test_host_only_is_said_by_the_class_that_weighs():
    conf = sf.make_conf()
    assert weighers._weighs_host_only(ram.RAMWeigher(conf))
    assert weighers._weighs_host_only(cpu.CPUWeigher(conf))
    assert weighers._weighs_host_only(io_ops.IoOpsWeigher(conf))
    assert not weighers._weighs_host_only(SpecWeigher(conf))
    assert not weighers._weighs_host_only(SubclassedRAM(conf))


def test_updated_rankings_equal_full_ones_on_random_changes():
    rnd = random.Random(7)
    for overrides in ({}, {'filter_scheduler__ram_weight_multiplier': -1.0,
                           'filter_scheduler__num_instances_weight_multiplier':
                           2.0}):
        conf = sf.make_conf(**overrides)
        weigher_list = [w(conf) for w in (
            ram.RAMWeigher, cpu.CPUWeigher, disk.DiskWeigher,
            io_ops.IoOpsWeigher, num_instances.NumInstancesWeigher,
            build_failure.BuildFailureWeigher, SpecWeigher, SubclassedRAM)]
        memo = CountingMemo()
        hosts = [_host(rnd, i) for i in range(200)]
        for round_ in range(300):
            hosts = list(hosts)
            what = rnd.random()
            if what < 0.6:
                # Some hosts are new objects (claimed, heartbeat...).
                for _ in range(rnd.randint(0, 3)):
                    i = rnd.randrange(len(hosts))
                    hosts[i] = _host(rnd, i)
            elif what < 0.7:
                # Identical copies of a host: ties.
                hosts[rnd.randrange(len(hosts))] = _host(random.Random(1), 1)
            elif what < 0.8:
                hosts.pop(rnd.randrange(len(hosts)))
                hosts.append(_host(rnd, 100 + round_))
            elif what < 0.85:
                agg = sf.aggregate('a', hosts=[], metadata={
                    'cpu_weight_multiplier': str(rnd.choice([0, 2, -1]))})
                # (a new object: the memo's hosts never change)
                i = rnd.randrange(len(hosts))
                hosts[i] = _host(rnd, i)
                hosts[i].aggregates = [agg]
            elif what < 0.9:
                hosts = [_host(rnd, i) for i in range(rnd.randint(1, 200))]
            spec = sf.request_spec()
            spec['factor'] = rnd.choice([1, 1, 1, 3])
            got = weighers.rank_hosts(weigher_list, hosts, spec, memo=memo)
            want = weighers.rank_hosts(weigher_list, hosts, spec)
            assert got.totals == want.totals
            assert got.order == want.order
            assert [(w.obj, w.weight) for w in got.all()] == [
                (w.obj, w.weight) for w in want.all()]
        # The memo did update most rankings rather than redo them.
        assert memo.updates > 60


def test_memos_of_two_threads_do_not_mix():
    import threading
    conf = sf.make_conf()
    weigher_list = [ram.RAMWeigher(conf)]
    memo = weighers.RankMemo()
    rnd = random.Random(3)
    mine = [_host(rnd, i) for i in range(10)]
    theirs = [_host(rnd, i) for i in range(10)]
    spec = sf.request_spec()
    weighers.rank_hosts(weigher_list, mine, spec, memo=memo)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(memo._last()))
    thread.start()
    thread.join()
    assert seen == [None]
    got = weighers.rank_hosts(weigher_list, theirs, spec, memo=memo)
    assert got.order == weighers.rank_hosts(weigher_list, theirs,
                                            spec).order
