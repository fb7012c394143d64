"""A process's own allocation writes keep its candidate snapshot fresh.

An app whose snapshot is at change-log version V - 1 and that commits a
write of nothing but allocations at V applies that write's usage deltas
itself instead of reading the change log; anything else (another app's
write, a gap, other kinds of change, a refresh that saw newer rows) goes
through the change log. The process-level id caches of the write path
stay right when another app changes the database. Two apps on one
database stand for two API processes. Runs on SQLite, MariaDB and
PostgreSQL.
"""

import contextlib
import uuid

import pytest

from nova_core.placement.db import change
from nova_core.placement.objects import allocation_candidate as ac_obj
from nova_core.placement.objects import resource_provider as rp_obj
from tests import placement_fixtures

QUERY = ('/allocation_candidates?resources=VCPU:1,MEMORY_MB:256'
         '&limit=1000')


@pytest.fixture
def apps(placement_database_url):
    """(a, b, url): two apps on one clean database."""
    placement_fixtures.truncate(placement_database_url)
    with contextlib.ExitStack() as stack:
        a, b = (stack.enter_context(placement_fixtures.placement_client(
            placement_database_url, sync=False)) for _ in range(2))
        yield a, b, placement_database_url


def _provider(client, name, inventory):
    rp = str(uuid.uuid4())
    assert client.post('/resource_providers', json={
        'name': name, 'uuid': rp}).status_code == 200
    resp = client.put('/resource_providers/%s/inventories' % rp, json={
        'resource_provider_generation': 0, 'inventories': inventory})
    assert resp.status_code == 200, resp.text
    return rp


def _claim(client, rp, resources, consumer=None, generation=None,
           project='p', user='u'):
    consumer = consumer or str(uuid.uuid4())
    resp = client.put('/allocations/%s' % consumer, json={
        'allocations': {rp: {'resources': resources}},
        'project_id': project, 'user_id': user,
        'consumer_generation': generation, 'consumer_type': 'INSTANCE'},
        microversion='1.38')
    return consumer, resp


def _cache(client):
    return client.app.database.cache[ac_obj._CACHE_KEY]


def _picture(snapshot):
    """Every live provider's (capacity, used) per class, by uuid."""
    engine = snapshot.engine
    names = snapshot.resource_classes.names
    return {uuid_: {names[rc_id]: engine.inventory(slot, col)
                    for rc_id, col in snapshot._col_of.items()
                    if engine.inventory(slot, col) is not None}
            for uuid_, slot in snapshot.index_of.items()}


def _check_fresh(client, url):
    """*client* answers as an app that has just loaded everything, and its
    snapshot is the one such an app builds."""
    with placement_fixtures.placement_client(url, sync=False) as fresh:
        mine, theirs = client.get(QUERY), fresh.get(QUERY)
        assert mine.status_code == theirs.status_code == 200
        assert mine.json()['provider_summaries'] == \
            theirs.json()['provider_summaries']
        assert _picture(_cache(client).snapshot) == \
            _picture(_cache(fresh).snapshot)
        assert _cache(client).snapshot.version == \
            _cache(fresh).snapshot.version


@pytest.fixture
def log_reads(monkeypatch):
    """How often the change log was read (a refresh by the slow path)."""
    calls = []
    real = change.changed_since

    def counting(conn, version):
        calls.append(version)
        return real(conn, version)
    monkeypatch.setattr(change, 'changed_since', counting)
    return calls


def test_own_writes_apply_without_the_change_log(apps, log_reads):
    a, _b, url = apps
    rp1 = _provider(a, 'cn1', {'VCPU': {'total': 8},
                               'MEMORY_MB': {'total': 4096}})
    rp2 = _provider(a, 'cn2', {'VCPU': {'total': 4},
                               'MEMORY_MB': {'total': 2048}})
    _check_fresh(a, url)
    snapshot = _cache(a).snapshot
    reads = len(log_reads)
    consumer, resp = _claim(a, rp1, {'VCPU': 2, 'MEMORY_MB': 1024})
    assert resp.status_code == 204
    _check_fresh(a, url)
    # Moved: the old provider's usage goes down, the new one's up.
    _consumer, resp = _claim(a, rp2, {'VCPU': 1, 'MEMORY_MB': 512},
                             consumer=consumer, generation=1)
    assert resp.status_code == 204, resp.text
    _check_fresh(a, url)
    # Several writes before the next request apply in version order.
    for _n in range(3):
        assert _claim(a, rp1, {'VCPU': 1})[1].status_code == 204
    assert a.delete('/allocations/%s' % consumer).status_code == 204
    _check_fresh(a, url)
    assert _cache(a).snapshot is snapshot
    assert len(log_reads) == reads  # never needed the change log


def test_refused_and_retried_writes_count_once(apps, log_reads, monkeypatch):
    a, _b, url = apps
    rp = _provider(a, 'cn1', {'VCPU': {'total': 2},
                              'MEMORY_MB': {'total': 1024}})
    _check_fresh(a, url)
    reads = len(log_reads)
    # Refused (capacity): rolled back, nothing to apply.
    assert _claim(a, rp, {'VCPU': 3})[1].status_code == 409
    # Lost the generation swap twice: retried, applied once.
    real = rp_obj.increment_generation
    failures = []

    def flaky(conn, provider, log=True):
        if len(failures) < 2:
            failures.append(provider)
            real(conn, provider._replace(generation=-1), log)
        return real(conn, provider, log)
    monkeypatch.setattr(rp_obj, 'increment_generation', flaky)
    assert _claim(a, rp, {'VCPU': 1})[1].status_code == 204
    assert len(failures) == 2
    _check_fresh(a, url)
    assert len(log_reads) == reads


def test_another_apps_write_between_own_writes_is_seen(apps, log_reads):
    a, b, url = apps
    rp = _provider(a, 'cn1', {'VCPU': {'total': 8},
                              'MEMORY_MB': {'total': 4096}})
    _check_fresh(a, url)
    assert _claim(a, rp, {'VCPU': 1})[1].status_code == 204
    assert _claim(b, rp, {'VCPU': 2})[1].status_code == 204
    assert _claim(a, rp, {'VCPU': 3})[1].status_code == 204
    reads = len(log_reads)
    _check_fresh(a, url)
    assert len(log_reads) == reads + 1  # the gap: through the change log
    assert a.get(QUERY).json()['provider_summaries'][rp]['resources'][
        'VCPU']['used'] == 6


def test_other_kinds_of_own_write_take_the_change_log(apps, log_reads):
    a, _b, url = apps
    rp = _provider(a, 'cn1', {'VCPU': {'total': 8},
                              'MEMORY_MB': {'total': 4096}})
    _check_fresh(a, url)
    reads = len(log_reads)
    resp = a.put('/resource_providers/%s/inventories' % rp, json={
        'resource_provider_generation': 1, 'inventories': {
            'VCPU': {'total': 16}, 'MEMORY_MB': {'total': 4096}}})
    assert resp.status_code == 200, resp.text
    _check_fresh(a, url)
    assert len(log_reads) == reads + 1


def test_an_own_write_committed_during_a_refresh(apps, monkeypatch):
    """The refresh's rows may already hold a write that commits while it
    reads (PostgreSQL's READ COMMITTED); that write must not be applied a
    second time."""
    a, b, url = apps
    rp = _provider(a, 'cn1', {'VCPU': {'total': 8},
                              'MEMORY_MB': {'total': 4096}})
    _check_fresh(a, url)
    assert _claim(b, rp, {'VCPU': 1})[1].status_code == 204
    real = ac_obj._load_providers
    done = []

    def racing(conn, snap, ids):
        if not done:
            done.append(_claim(a, rp, {'VCPU': 2})[1].status_code)
        return real(conn, snap, ids)
    monkeypatch.setattr(ac_obj, '_load_providers', racing)
    assert a.get(QUERY).status_code == 200
    assert done == [204]
    _check_fresh(a, url)
    assert a.get(QUERY).json()['provider_summaries'][rp]['resources'][
        'VCPU']['used'] == 3


def _usage(client, project):
    resp = client.get('/usages?project_id=%s' % project, microversion='1.9')
    return resp.json()['usages']


def test_id_caches_hold_across_apps(apps):
    a, b, _url = apps
    rp = _provider(a, 'cn1', {'VCPU': {'total': 8},
                              'MEMORY_MB': {'total': 4096}})
    # A transaction that made project "pnew" and then failed: its id must
    # not be remembered (it may be handed out again).
    resp = a.post('/allocations', microversion='1.38', json={
        str(uuid.uuid4()): {
            'allocations': {rp: {'resources': {'VCPU': 1}}},
            'project_id': 'pnew', 'user_id': 'u',
            'consumer_generation': None, 'consumer_type': 'INSTANCE'}
        for _n in range(9)})
    assert resp.status_code == 409, resp.text
    assert _claim(b, rp, {'VCPU': 2}, project='pother')[1].status_code == 204
    assert _claim(a, rp, {'VCPU': 1}, project='pnew')[1].status_code == 204
    assert _claim(a, rp, {'VCPU': 4}, project='pother')[1].status_code == 204
    assert _usage(a, 'pnew') == {'VCPU': 1}
    assert _usage(b, 'pother') == {'VCPU': 6}
    # A custom class deleted by another app and made again under another
    # id: the write path reads it again.
    gold = {'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 4096}}
    rp2 = _provider(a, 'cn2', dict(gold, CUSTOM_GOLD={'total': 5})
                    if a.put('/resource_classes/CUSTOM_GOLD').status_code
                    == 201 else None)
    consumer, resp = _claim(a, rp2, {'CUSTOM_GOLD': 1})
    assert resp.status_code == 204, resp.text
    assert a.delete('/allocations/%s' % consumer).status_code == 204
    resp = b.put('/resource_providers/%s/inventories' % rp2, json={
        'resource_provider_generation': 2, 'inventories': gold})
    assert resp.status_code == 200, resp.text
    assert b.delete('/resource_classes/CUSTOM_GOLD').status_code == 204
    for name in ('CUSTOM_SILVER', 'CUSTOM_GOLD'):
        assert b.put('/resource_classes/%s' % name).status_code == 201
    resp = b.put('/resource_providers/%s/inventories' % rp2, json={
        'resource_provider_generation': 3,
        'inventories': dict(gold, CUSTOM_GOLD={'total': 5})})
    assert resp.status_code == 200, resp.text
    consumer, resp = _claim(a, rp2, {'CUSTOM_GOLD': 2})
    assert resp.status_code == 204, resp.text
    body = b.get('/allocations/%s' % consumer).json()
    assert body['allocations'][rp2]['resources'] == {'CUSTOM_GOLD': 2}
    usages = b.get('/resource_providers/%s/usages' % rp2).json()['usages']
    assert usages['CUSTOM_GOLD'] == 2 and usages.get('CUSTOM_SILVER', 0) == 0
