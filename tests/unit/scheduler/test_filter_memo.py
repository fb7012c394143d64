"""Filters that judge the host alone, asked only about the hosts that
changed (filters.FilterMemo), pass exactly the hosts and write exactly the
records that asking about every host gives."""

import random

from nova_core.scheduler import filters
from nova_core.scheduler.filters import compute_filter
from nova_core.scheduler.filters import num_instances_filter
from tests import scheduler_fixtures as sf


class ByRequest(compute_filter.ComputeFilter):
    """Inherits the flag but judges by the request: not host-only."""

    def host_passes(self, host_state, spec):
        return int(host_state.host[1:]) % spec.get('modulo', 1) == 0


class CountingMemo(filters.FilterMemo):
    asked = 0

    @staticmethod
    def _verdicts(host_filter, hosts, spec):
        CountingMemo.asked += len(hosts)
        return filters.FilterMemo._verdicts(host_filter, hosts, spec)


def _host(rnd, i):
    return sf.host_state('h%d' % i, service_up=rnd.random() > 0.1,
                         disabled=rnd.random() < 0.1,
                         instances=['x'] * rnd.randint(0, 3))


def test_host_only_is_said_by_the_class_that_judges():
    conf = sf.make_conf()
    assert filters.judges_host_only(compute_filter.ComputeFilter(conf))
    assert not filters.judges_host_only(ByRequest(conf))
    assert not filters.judges_host_only(
        num_instances_filter.NumInstancesFilter(conf))


def test_memo_verdicts_equal_full_ones_on_random_changes():
    rnd = random.Random(4)
    conf = sf.make_conf(filter_scheduler__max_instances_per_host=2)
    chain = [compute_filter.ComputeFilter(conf), ByRequest(conf),
             num_instances_filter.NumInstancesFilter(conf),
             compute_filter.ComputeFilter(conf)]
    memo = CountingMemo()
    hosts = [_host(rnd, i) for i in range(200)]
    full_asks = 0
    for _round in range(200):
        hosts = list(hosts)
        what = rnd.random()
        if not hosts or what > 0.95:
            hosts = [_host(rnd, i) for i in range(200)]
        elif what < 0.7:
            for _ in range(rnd.randint(0, 3)):
                i = rnd.randrange(len(hosts))
                hosts[i] = _host(rnd, i)
        elif what < 0.8:
            hosts.pop(rnd.randrange(len(hosts)))
        elif what < 0.9:
            hosts = [_host(rnd, i) for i in range(rnd.randint(0, 200))]
        spec = sf.request_spec()
        spec['modulo'] = rnd.choice([1, 1, 2])
        got = filters.run_filters(chain, hosts, spec, memo=memo)
        want = filters.run_filters(chain, hosts, spec)
        assert got[0] == want[0]
        assert got[1] == want[1]
        full_asks += sum(record['hosts_in'] for record in want[1]
                         if record['name'] == 'ComputeFilter')
    # ComputeFilter was asked about far fewer hosts than it filtered.
    assert CountingMemo.asked < 0.5 * full_asks
