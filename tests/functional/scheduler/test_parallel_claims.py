"""Four scheduler processes racing for the last room of 20 hosts.

The small version of ``benchmarks/parallel_schedulers.py`` (whose code it
runs): a ``nova-core-placement-api`` child on SQLite, API and two cell
databases with 20 compute hosts of 4 VCPU / 8 GB / 100 GB, and four
scheduler worker processes each calling ``SchedulerManager.
select_destinations`` (HTTP to the placement child) for single instances
of one flavor (1 VCPU / 2 GB) until 130% of the capacity has been asked
for. With ``host_subset_size`` 1 every scheduler chooses the same best
host, so claims do collide; placement must refuse the losers, and the
manager must take the next host.
"""

import pathlib
import sys

import pytest

BENCHMARKS = str(pathlib.Path(__file__).resolve().parents[3] / 'benchmarks')

HOSTS = 20
PER_HOST = 4          # 4 VCPU / 8192 MB / 100 GB hosts, 1 / 2048 / 20 flavor


@pytest.fixture
def bench():
    # The worker processes (spawn) import the module by name: the
    # benchmarks directory must be on the path they inherit.
    added = BENCHMARKS not in sys.path
    if added:
        sys.path.append(BENCHMARKS)
    try:
        import parallel_schedulers
        yield parallel_schedulers
    finally:
        if added:
            sys.path.remove(BENCHMARKS)
        sys.modules.pop('parallel_schedulers', None)


@pytest.mark.slow
def test_parallel_schedulers_never_over_allocate(bench, tmp_path):
    result = bench.run(tmp_path, backend='sqlite', hosts=HOSTS, cells=2,
                       processes=4, demand_factor=1.3, flavors='1:2048:20',
                       host_subset_size=1, seed=5, log=lambda *a: None)
    r, v = result['results'], result['verification']
    assert r['requests'] == 104
    assert r['decisions'] + r['no_valid_host'] == r['requests']
    assert all(w['calls'] for w in r['per_worker']), r['per_worker']
    # The race did happen: some chosen host's claim was refused and the
    # manager went on to the next one.
    assert r['claim_conflicts'] > 0, r
    # Zero over-allocation, from placement's own inventories and usages.
    assert v['providers_checked'] == HOSTS
    assert v['over_allocated'] == 0, v['over_allocations']
    # Every decision holds exactly one allocation, on its host, of its
    # flavor; nothing else holds any (no NoValidHost leftovers).
    assert v['allocation_problem_count'] == 0, v['allocation_problems']
    assert v['leaked_consumers'] == 0
    # No NoValidHost while some host still had room for the request.
    assert v['no_valid_host_with_room_left'] == 0
    assert v['consumers_with_allocations'] == r['decisions']
    assert v['usage_matches_decisions'], (v['usage_total'],
                                          v['usage_expected_from_decisions'])
    # Demand exceeded capacity: the hosts end full, the rest is refused.
    assert r['decisions'] == HOSTS * PER_HOST
    assert r['no_valid_host'] == r['requests'] - HOSTS * PER_HOST
    assert result['fill']['VCPU'] == 1.0
    assert v['ok']
