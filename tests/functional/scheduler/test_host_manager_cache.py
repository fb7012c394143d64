"""HostManager's per-cell caches: incremental refresh on real SQLite cells.

The incremental reads must give what a full read of every cell gives; the
last test checks it on random changes against a HostManager reading every
cell in full on every request.
"""

import datetime
import random
import uuid as uuidlib

from nova_core.db import compute_node
from nova_core.db import instance as instance_db
from nova_core.db import service as service_db
from nova_core.scheduler import host_manager
from nova_core.scheduler.filters import num_instances_filter
from tests import scheduler_fixtures as sf
from tests.functional.scheduler.test_host_manager import _add_host
from tests.functional.scheduler.test_host_manager import CELL1
from tests.functional.scheduler.test_host_manager import CELL2
from tests.functional.scheduler.test_host_manager import env  # noqa: F401

SPEC = sf.request_spec()


def _manager(conf, cells, full_every_request=False):
    conf.set_override('host_state_refresh_interval', 0, group='scheduler')
    manager = host_manager.HostManager(conf, cells)
    if full_every_request:
        manager._mode = lambda cache, force: 'full'
    return manager


def _states(manager, ctx, uuids, spec=SPEC):
    return {s.uuid: s for s in manager.get_host_states(ctx, uuids, spec)}


def _instance(cells, ctx, url, host, **values):
    with cells.for_url(url).writer(ctx) as conn:
        return instance_db.create(conn, dict(
            {'host': host, 'node': host, 'project_id': 'p', 'user_id': 'u',
             'vm_state': 'active'}, **values))['uuid']


def test_node_updated_after_the_cache_is_seen(env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    manager = _manager(conf, cells)
    assert _states(manager, ctx, [a])[a].vcpus_total == 8
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        compute_node.update(conn, a, {'vcpus': 16, 'hypervisor_version': 7})
    state = _states(manager, ctx, [a])[a]
    assert (state.vcpus_total, state.hypervisor_version) == (16, 7)
    cache = manager._caches[CELL1]
    assert cache.reads['full'] == 1 and cache.reads['incremental'] >= 1


def test_new_node_is_seen_at_once_despite_the_refresh_interval(env):  # noqa
    conf, cells, ctx, urls = env
    _add_host(cells, ctx, urls[CELL1], 'c1-a')
    manager = host_manager.HostManager(conf, cells)   # interval 1 s
    manager.get_host_states(ctx, [], SPEC)
    b = _add_host(cells, ctx, urls[CELL2], 'c2-b')
    assert b in _states(manager, ctx, [b])


def test_instance_counts_and_an_instance_moving_host(env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b')
    moving = _instance(cells, ctx, urls[CELL1], 'c1-a')
    _instance(cells, ctx, urls[CELL1], 'c1-a', task_state='image_snapshot')
    _instance(cells, ctx, urls[CELL1], 'c1-b', vm_state='building')
    _instance(cells, ctx, urls[CELL1], 'c1-b', vm_state='shelved_offloaded')
    manager = _manager(conf, cells)
    states = _states(manager, ctx, [a, b])
    assert (states[a].num_instances, states[a].num_io_ops) == (2, 1)
    assert (states[b].num_instances, states[b].num_io_ops) == (1, 1)
    cache = manager._caches[CELL1]
    assert moving in cache.instance_uuids('c1-a')
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        instance_db.update(conn, moving, {'host': 'c1-b', 'node': 'c1-b'})
    states = _states(manager, ctx, [a, b])
    assert states[a].num_instances == 1
    assert states[b].num_instances == 2
    assert moving in cache.instance_uuids('c1-b')
    assert moving not in cache.instance_uuids('c1-a')
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        instance_db.destroy(conn, moving)
    assert _states(manager, ctx, [b])[b].num_instances == 1
    # NumInstancesFilter works on the database path.
    conf.set_override('max_instances_per_host', 1, group='filter_scheduler')
    check = num_instances_filter.NumInstancesFilter(conf)
    states = _states(manager, ctx, [a, b])
    assert not check.host_passes(states[a], SPEC)


def test_deleted_service(env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    manager = _manager(conf, cells)
    assert _states(manager, ctx, [a])[a].service_up
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        service = service_db.get_by_host_and_binary(conn, 'c1-a',
                                                    'nova-compute')
        service_db.delete(conn, service['id'])
    state = _states(manager, ctx, [a])[a]
    assert not state.service_up and state.service == {}


def test_deleted_node_and_disabled_service(env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b')
    manager = _manager(conf, cells)
    assert set(_states(manager, ctx, [a, b])) == {a, b}
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        compute_node.delete(conn, a)
        service = service_db.get_by_host_and_binary(conn, 'c1-b',
                                                    'nova-compute')
        service_db.update(conn, service['id'], {'disabled': True})
    states = _states(manager, ctx, [a, b])
    assert set(states) == {b} and states[b].service_disabled


def test_full_refresh_catches_what_the_window_missed(env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    conf.set_override('host_state_full_refresh_interval', 300,
                      group='scheduler')
    conf.set_override('host_state_refresh_margin', 0, group='scheduler')
    manager = _manager(conf, cells)
    _states(manager, ctx, [a])
    # A newer row moves the window past c1-a's.
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b')
    assert b in _states(manager, ctx, [a, b])
    # A writer whose clock is an hour behind: outside the window.
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        compute_node.update(conn, a, {
            'vcpus': 32,
            'updated_at': datetime.datetime.utcnow() -
            datetime.timedelta(hours=1)})
    assert _states(manager, ctx, [a])[a].vcpus_total == 8
    cache = manager._caches[CELL1]
    cache.full_at -= 301
    assert _states(manager, ctx, [a])[a].vcpus_total == 32
    assert cache.reads['full'] == 2



def _age_rows(cells, url, ctx, seconds):
    """Every node and service row of the cell as written *seconds* ago."""
    past = datetime.datetime.utcnow() - datetime.timedelta(seconds=seconds)
    with cells.for_url(url).writer(ctx) as conn:
        for table in (compute_node._T, service_db._T):
            conn.execute(table.update().values(created_at=past,
                                               updated_at=past))


def test_a_quiet_cell_is_not_read_again(env, monkeypatch):  # noqa: F811
    conf, cells, ctx, urls = env
    hosts = [_add_host(cells, ctx, urls[CELL1], 'c1-%d' % i)
             for i in range(3)]
    # Written a minute ago, within one second of each other: the newest
    # timestamp of the table less the margin still covers all of them.
    _age_rows(cells, urls[CELL1], ctx, 60)
    manager = _manager(conf, cells)
    _states(manager, ctx, hosts)
    marks = []
    real = compute_node.get_change_marks
    monkeypatch.setattr(compute_node, 'get_change_marks', lambda *a: (
        marks.append(real(*a)) or marks[-1]))
    for _ in range(3):
        assert set(_states(manager, ctx, hosts)) == set(hosts)
    assert len(marks) >= 3 and not any(marks)   # every cell, every time
    # A writer whose clock is a little behind the database's (within the
    # margin) is still seen.
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        compute_node.update(conn, hosts[0], {
            'vcpus': 24, 'updated_at': datetime.datetime.utcnow() -
            datetime.timedelta(seconds=2)})
    assert _states(manager, ctx, hosts)[hosts[0]].vcpus_total == 24


def test_a_big_full_read_settles_the_heap(env, monkeypatch):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    settled = []
    monkeypatch.setattr(host_manager, 'settle_heap',
                        lambda: settled.append(True))
    monkeypatch.setattr(host_manager, 'SETTLE_HEAP_ROWS', 2)
    manager = _manager(conf, cells)
    _states(manager, ctx, [a])          # full read: node + service rows
    _states(manager, ctx, [a])          # incremental: nothing to settle
    assert settled == [True]


def test_settle_heap_parks_what_is_alive():
    import gc
    try:
        host_manager.settle_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

def test_a_cell_that_fails_keeps_its_last_cache(env, monkeypatch):  # noqa
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    manager = _manager(conf, cells)
    assert a in _states(manager, ctx, [a])

    def broken(conn, since):
        raise RuntimeError('cell database gone')

    monkeypatch.setattr(host_manager.CellCache, 'read',
                        staticmethod(broken))
    assert a in _states(manager, ctx, [a])
    assert manager._caches[CELL1].stale
    monkeypatch.undo()
    _states(manager, ctx, [a])
    assert not manager._caches[CELL1].stale


def _view(state):
    return (state.host, state.nodename, state.cell_uuid, state.vcpus_total,
            state.vcpus_used, state.free_ram_mb, state.free_disk_mb,
            state.hypervisor_version, state.service_up,
            state.service_disabled, state.disabled_reason,
            state.num_instances, state.num_io_ops, sorted(state.instances),
            state.stats, state.cpu_info, state.host_ip,
            sorted(agg['name'] for agg in state.aggregates))


def _random_cloud(cells, ctx, urls, rnd):
    """({host: (cell url, node uuid)}, instance uuids to use as group
    members, change()): six hosts in two cells and a function making one
    to four random changes to them (instances, nodes, services, hosts)."""
    hosts = {}      # host -> (cell url, node uuid)
    for i in range(6):
        cell = (CELL1, CELL2)[i % 2]
        host = 'h%d' % i
        hosts[host] = (urls[cell], _add_host(cells, ctx, urls[cell], host))
    instances = {}  # uuid -> (cell url, host)
    members = []

    def change():
        op = rnd.choice(['boot', 'boot', 'move', 'task', 'delete_instance',
                         'node', 'service', 'delete_host', 'add_host'])
        host = rnd.choice(sorted(hosts))
        url, node = hosts[host]
        with cells.for_url(url).writer(ctx) as conn:
            if op == 'boot':
                uuid = instance_db.create(conn, {
                    'host': host, 'node': host, 'project_id': 'p',
                    'user_id': 'u', 'vm_state': rnd.choice(
                        ['active', 'building', 'shelved_offloaded'])})['uuid']
                instances[uuid] = (url, host)
                if rnd.random() < 0.3:
                    members.append(uuid)
            elif op in ('move', 'task', 'delete_instance') and instances:
                uuid = rnd.choice(sorted(instances))
                i_url, _old = instances[uuid]
                targets = [h for h, (u, _n) in hosts.items() if u == i_url]
                with cells.for_url(i_url).writer(ctx) as iconn:
                    if op == 'move' and targets:
                        to = rnd.choice(targets)
                        instance_db.update(iconn, uuid, {'host': to,
                                                         'node': to})
                        instances[uuid] = (i_url, to)
                    elif op == 'task':
                        instance_db.update(iconn, uuid, {
                            'task_state': rnd.choice(
                                [None, 'rebuilding', 'image_backup'])})
                    else:
                        instance_db.destroy(iconn, uuid)
                        del instances[uuid]
            elif op == 'node':
                compute_node.update(conn, node, {
                    'vcpus_used': rnd.randint(0, 8),
                    'stats': {'x': rnd.randint(0, 3)}})
            elif op == 'service':
                service = service_db.get_by_host_and_binary(
                    conn, host, 'nova-compute')
                service_db.update(conn, service['id'], {
                    'disabled': rnd.random() < 0.5,
                    'last_seen_up': datetime.datetime.utcnow() -
                    datetime.timedelta(seconds=rnd.choice([0, 3600]))})
            elif op == 'delete_host' and len(hosts) > 2:
                compute_node.delete(conn, node)
                service = service_db.get_by_host_and_binary(
                    conn, host, 'nova-compute')
                service_db.delete(conn, service['id'])
                del hosts[host]
            elif op == 'add_host':
                name = 'n%s' % uuidlib.uuid4().hex[:6]
        if op == 'add_host':
            cell = rnd.choice((CELL1, CELL2))
            hosts[name] = (urls[cell], _add_host(cells, ctx, urls[cell],
                                                 name))

    def changes():
        for _ in range(rnd.randint(1, 4)):
            change()

    return hosts, members, changes


class _Roots(list):
    """Root uuids with a ``roots_key``, as a compact answer's by_root."""

    def __init__(self, uuids):
        super().__init__(uuids)
        self.roots_key = object()


def test_the_same_roots_reuse_their_set_until_nodes_come_or_go(
        env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b')
    manager = _manager(conf, cells)
    roots = _Roots([a, b, 'not-a-node'])
    summaries = {a: _ram(0), b: _ram(0)}

    def uuids():
        return sorted(s.uuid for s in manager.get_host_states(
            ctx, roots, SPEC, summaries, read_only=True))

    assert uuids() == sorted([a, b])
    wanted = manager._last_wanted[1]
    assert uuids() == sorted([a, b]) and manager._last_wanted[1] is wanted
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        compute_node.delete(conn, b)
    assert uuids() == [a]
    assert manager._caches[CELL1].unknown(wanted) == {b, 'not-a-node'}


def test_incremental_equals_full_on_random_changes(env):  # noqa: F811
    conf, cells, ctx, urls = env
    rnd = random.Random(5)
    hosts, members, changes = _random_cloud(cells, ctx, urls, rnd)
    incremental = _manager(conf, cells)
    full = _manager(conf, cells, full_every_request=True)
    all_nodes = set()
    for _round in range(40):
        changes()
        all_nodes |= {node for _url, node in hosts.values()}
        spec = sf.request_spec(instance_group=sf.instance_group(
            'affinity', members=list(members)))
        wanted = sorted(all_nodes)
        got = manager_view(incremental, ctx, wanted, spec)
        assert got == manager_view(full, ctx, wanted, spec)
        assert set(got) == {node for _url, node in hosts.values()}
    assert incremental._caches[CELL1].reads['full'] == 1
    assert incremental._caches[CELL1].reads['incremental'] >= 40


def test_shared_states_equal_fresh_ones_on_random_changes(
        env):  # noqa: F811
    """Read-only requests, which share states across requests and rebuild
    only the nodes whose figures or cell rows changed, see what a full
    read of every cell gives."""
    conf, cells, ctx, urls = env
    rnd = random.Random(11)
    hosts, _members, changes = _random_cloud(cells, ctx, urls, rnd)
    shared = _manager(conf, cells)
    full = _manager(conf, cells, full_every_request=True)
    figures = {}
    all_nodes = set()
    rebuilt = []
    previous = None
    roots = None
    for _round in range(60):
        if rnd.random() < 0.5:
            changes()
        all_nodes |= {node for _url, node in hosts.values()}
        for node in rnd.sample(sorted(all_nodes), rnd.randint(0, 2)):
            figures[node] = _ram(rnd.choice([0, 512, 1024]))
        summaries = {node: figures.get(node, _ram(0)) for node in all_nodes}
        wanted = sorted(all_nodes)
        if roots is None or list(roots) != wanted:
            # As compact answers do: the same key while the roots are.
            roots = _Roots(wanted)
        before = {s.uuid: s for s in shared.get_host_states(
            ctx, roots, SPEC, summaries, read_only=True)}
        again = {s.uuid: s for s in shared.get_host_states(
            ctx, roots, SPEC, summaries, read_only=True)}
        assert all(again[uuid] is state for uuid, state in before.items())
        fresh = {s.uuid: _view(s) for s in full.get_host_states(
            ctx, wanted, SPEC, summaries)}
        assert {uuid: _view(s) for uuid, s in again.items()} == fresh
        assert set(fresh) == {node for _url, node in hosts.values()}
        rebuilt.append(len(before) if previous is None else sum(
            1 for s in before.values() if s not in previous.values()))
        previous = before
    # Most rounds rebuild a few states, not all of them.
    assert sum(rebuilt) < 0.6 * sum(len(hosts) for _ in rebuilt)


def manager_view(manager, ctx, wanted, spec):
    return {s.uuid: _view(s)
            for s in manager.get_host_states(ctx, wanted, spec)}


def _ram(used):
    return {'resources': {'MEMORY_MB': {'capacity': 8192, 'used': used}}}


def test_read_only_requests_share_the_states_of_unchanged_nodes(
        env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b')
    manager = _manager(conf, cells)

    def states(summaries, **kwargs):
        return {s.uuid: s for s in manager.get_host_states(
            ctx, [a, b], SPEC, summaries, **kwargs)}

    first = states({a: _ram(0), b: _ram(0)}, read_only=True)
    # b took an instance: only its state is new, with the new figures.
    second = states({a: _ram(0), b: _ram(512)}, read_only=True)
    assert second[a] is first[a]
    assert second[b] is not first[b]
    assert (first[b].free_ram_mb, second[b].free_ram_mb) == (8192, 7680)
    # A request that may change its states gets copies of its own.
    mine = states({a: _ram(0), b: _ram(512)})
    assert mine[a] is not second[a] and mine[b] is not second[b]
    mine[a].consume_from_request(SPEC)
    assert states({a: _ram(0), b: _ram(512)}, read_only=True)[a] is first[a]
    assert first[a].num_instances == 0
    # A node whose instance count changed is built again.
    _instance(cells, ctx, urls[CELL1], 'c1-a')
    third = states({a: _ram(0), b: _ram(512)}, read_only=True)
    assert third[a] is not first[a] and third[a].num_instances == 1
    assert third[b] is second[b]


def test_a_heartbeat_keeps_the_host_state_and_brings_its_service_up(
        env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a', stale=True)
    manager = _manager(conf, cells)
    assert not _states(manager, ctx, [a])[a].service_up
    cache = manager._caches[CELL1]
    template = cache._templates[a][0]
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        service = service_db.get_by_host_and_binary(conn, 'c1-a',
                                                    'nova-compute')
        service_db.heartbeat(conn, service['id'])
    state = _states(manager, ctx, [a])[a]
    assert state.service_up
    assert cache._templates[a][0] is template      # not rebuilt
    assert state.service['report_count'] == service['report_count'] + 1
    # Anything more than a heartbeat rebuilds the host's states.
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        service_db.update(conn, service['id'], {'disabled': True})
    state = _states(manager, ctx, [a])[a]
    assert state.service_disabled and state.service_up
    assert cache._templates[a][0] is not template


def test_a_shared_state_is_judged_again_when_its_verdict_expires(
        env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    manager = _manager(conf, cells)
    summaries = {a: _ram(0)}

    def state(now):
        cache = manager._caches[CELL1]
        [found] = cache.host_states(
            {a}, host_manager.answer.ProviderSummaries(summaries),
            conf.service_down_time, manager._api_cached(ctx)[1], [],
            now=now, read_only=True)
        return found

    up = manager.get_host_states(ctx, [a], SPEC, summaries, read_only=True)
    [first] = up
    assert first.service_up
    last = manager._caches[CELL1]._templates[a][1]
    margin = datetime.timedelta(seconds=conf.service_down_time)
    # Shared while the verdict holds...
    assert state(last + margin) is first
    # ...judged again once it no longer does: the service is down.
    late = state(last + margin + datetime.timedelta(seconds=1))
    assert late is not first and not late.service_up
    assert state(last + 2 * margin) is late     # down for good


def test_a_heartbeat_or_new_aggregates_drop_shared_states(
        env):  # noqa: F811
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a', stale=True)
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b')
    manager = _manager(conf, cells)
    summaries = {a: _ram(0), b: _ram(0)}

    def states():
        return {s.uuid: s for s in manager.get_host_states(
            ctx, [a, b], SPEC, summaries, read_only=True)}

    first = states()
    assert not first[a].service_up and states()[a] is first[a]
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        service = service_db.get_by_host_and_binary(conn, 'c1-a',
                                                    'nova-compute')
        service_db.heartbeat(conn, service['id'])
    second = states()
    assert second[a] is not first[a] and second[a].service_up
    assert second[b] is first[b]
    # Aggregates read again: the same ones keep the states...
    manager._read_at = -1e9
    assert states()[b] is first[b]
    # ...other ones do not.
    with cells.api.writer(ctx) as conn:
        agg = host_manager.aggregate_db.create(conn, 'shared-states')
        host_manager.aggregate_db.add_host(conn, agg['uuid'], 'c1-b')
    manager._read_at = -1e9
    third = states()
    assert third[b] is not first[b]
    assert 'shared-states' in [g['name'] for g in third[b].aggregates]
