"""The candidate engine's picture stays fresh, incrementally, across apps.

Two placement apps on one database stand for two API processes: one
writes, the other answers ``GET /allocation_candidates`` from its long-lived
snapshot. After every kind of write the reader's answer must equal the
answer of an app that has just loaded everything, and the reader must have
refreshed only what changed (same snapshot object, change log read).
Runs on SQLite, MariaDB and PostgreSQL.
"""

import contextlib
import uuid

import pytest

from nova_core.placement.db import change
from nova_core.placement.objects import allocation_candidate as ac_obj
from tests import placement_fixtures

QUERIES = [
    'resources=VCPU:1,MEMORY_MB:512',
    'resources=VCPU:1,DISK_GB:10',
    'resources=VCPU:1&required=CUSTOM_FAST',
    'resources=VCPU:1&required=!CUSTOM_FAST',
    'resources=VCPU:1,MEMORY_MB:256&member_of=%(agg)s',
    'resources1=VCPU:1&resources2=VCPU:1&group_policy=isolate',
    'resources=VCPU:1&root_required=CUSTOM_ROOTY',
    'resources=CUSTOM_GOLD:1',
]


def _answer(client, query, agg):
    """What the client answers: the candidates and summaries, or the error."""
    resp = client.get('/allocation_candidates?' + query % {'agg': agg})
    body = resp.json()
    if resp.status_code != 200:
        return resp.status_code, body['errors'][0]['detail']
    return (sorted(sorted((rp, sorted(res['resources'].items()))
                          for rp, res in ar['allocations'].items())
                   for ar in body['allocation_requests']),
            body['provider_summaries'])


@pytest.fixture
def apps(placement_database_url):
    """(writer, reader, url): two apps on one clean database."""
    placement_fixtures.truncate(placement_database_url)
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(placement_fixtures.placement_client(
            placement_database_url, sync=False))
        reader = stack.enter_context(placement_fixtures.placement_client(
            placement_database_url, sync=False))
        yield writer, reader, placement_database_url


def _snapshot(client):
    """The snapshot the client's app answers from."""
    return client.app.database.cache[ac_obj._CACHE_KEY].snapshot


def _check_fresh(reader, url, agg):
    with placement_fixtures.placement_client(url, sync=False) as fresh:
        for query in QUERIES:
            assert _answer(reader, query, agg) == _answer(fresh, query, agg), \
                query


def _provider(client, name, parent=None, inventory=None, traits=()):
    rp = str(uuid.uuid4())
    body = {'name': name, 'uuid': rp}
    if parent:
        body['parent_provider_uuid'] = parent
    assert client.post('/resource_providers', json=body).status_code == 200
    gen = 0
    if inventory:
        resp = client.put('/resource_providers/%s/inventories' % rp, json={
            'resource_provider_generation': gen, 'inventories': inventory})
        assert resp.status_code == 200, resp.text
        gen = resp.json()['resource_provider_generation']
    if traits:
        resp = client.put('/resource_providers/%s/traits' % rp, json={
            'resource_provider_generation': gen, 'traits': list(traits)})
        assert resp.status_code == 200, resp.text
    return rp


def _generation(client, rp):
    return client.get('/resource_providers/%s' % rp).json()['generation']


def test_every_kind_of_write_reaches_the_other_app(apps):
    writer, reader, url = apps
    agg = str(uuid.uuid4())
    for name in ('CUSTOM_FAST', 'CUSTOM_ROOTY'):
        assert writer.put('/traits/%s' % name).status_code in (201, 204)
    cn1 = _provider(writer, 'cn1', inventory={
        'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 2048}},
        traits=['CUSTOM_ROOTY'])
    # The reader loads everything once...
    _check_fresh(reader, url, agg)
    snapshot = _snapshot(reader)
    steps = []

    def step(label, action):
        results = action()
        for resp in results if isinstance(results, tuple) else [results]:
            if resp is not None:
                assert resp.status_code < 300, (label, resp.text)
        _check_fresh(reader, url, agg)
        # ...and from then on only applies what changed.
        assert _snapshot(reader) is snapshot, label
        steps.append(label)

    cn2 = []
    step('new provider with inventory', lambda: cn2.append(_provider(
        writer, 'cn2', inventory={'VCPU': {'total': 4},
                                  'DISK_GB': {'total': 100}})) or None)
    step('traits set', lambda: writer.put(
        '/resource_providers/%s/traits' % cn2[0], json={
            'resource_provider_generation': _generation(writer, cn2[0]),
            'traits': ['CUSTOM_FAST']}))
    step('aggregates before 1.19 (no generation)', lambda: writer.put(
        '/resource_providers/%s/aggregates' % cn1, json=[agg],
        microversion='1.18'))
    consumer = str(uuid.uuid4())
    step('claim', lambda: writer.put('/allocations/%s' % consumer, json={
        'allocations': {cn1: {'resources': {'VCPU': 7, 'MEMORY_MB': 2000}}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
        microversion='1.28'))
    step('claim moved to another provider (no bump on the old one)',
         lambda: writer.put('/allocations/%s' % consumer, json={
             'allocations': {cn2[0]: {'resources': {'VCPU': 1}}},
             'project_id': 'p', 'user_id': 'u', 'consumer_generation': 1},
             microversion='1.28'))
    step('claim deleted', lambda: writer.delete('/allocations/%s' % consumer))
    child = []
    step('nested child', lambda: child.append(_provider(
        writer, 'numa', parent=cn1, inventory={'VCPU': {'total': 2}})) or None)
    step('child moved to another tree', lambda: writer.put(
        '/resource_providers/%s' % child[0], microversion='1.37',
        json={'name': 'numa', 'parent_provider_uuid': cn2[0]}))
    step('inventory deleted', lambda: writer.delete(
        '/resource_providers/%s/inventories' % child[0]))
    step('custom class and its inventory', lambda: (
        writer.put('/resource_classes/CUSTOM_GOLD'),
        writer.put('/resource_providers/%s/inventories' % cn1, json={
            'resource_provider_generation': _generation(writer, cn1),
            'inventories': {'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 2048},
                            'CUSTOM_GOLD': {'total': 1}}})))
    step('provider deleted', lambda: writer.delete(
        '/resource_providers/%s' % child[0]))
    assert len(steps) == 11


def test_a_pruned_log_means_a_full_reload(apps, monkeypatch):
    writer, reader, url = apps
    monkeypatch.setattr(change, 'PRUNE_EVERY', 2)
    monkeypatch.setattr(change, 'KEEP_VERSIONS', 1)
    _provider(writer, 'cn1', inventory={'VCPU': {'total': 8},
                                        'MEMORY_MB': {'total': 2048}})
    _check_fresh(reader, url, 'x')
    before = _snapshot(reader)
    for n in range(4):
        _provider(writer, 'cn-%d' % n, inventory={
            'VCPU': {'total': 1}, 'MEMORY_MB': {'total': 512}})
    _check_fresh(reader, url, 'x')
    assert _snapshot(reader) is not before


def test_a_lost_version_probe_connection_falls_back_and_reconnects(apps):
    """The cheap version check has a connection of its own; if it breaks
    (a server restart, an idle timeout), the request takes the ordinary
    path, still fresh, and the next one opens the probe again."""
    writer, reader, url = apps
    _provider(writer, 'cn1', inventory={'VCPU': {'total': 8},
                                        'MEMORY_MB': {'total': 2048}})
    _check_fresh(reader, url, 'x')
    probe = reader.app.database.cache[ac_obj._CACHE_KEY].probe
    assert probe is not None and probe._conn is not None
    broken = probe._conn
    broken.dbapi_connection.close()  # broken under the probe's feet
    _provider(writer, 'cn2', inventory={'VCPU': {'total': 4},
                                        'MEMORY_MB': {'total': 1024}})
    _check_fresh(reader, url, 'x')
    assert probe._conn is not None and probe._conn is not broken
    assert probe.read() == change.VersionProbe(
        reader.app.database.engine).read()
