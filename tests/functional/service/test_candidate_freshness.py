"""Two placement processes: candidates reflect writes made through the other.

Each process answers ``GET /allocation_candidates`` from its own in-memory
picture. A write committed through one process must show in the very next
answer of the other: the request reads the change log before it searches.
On a SQLite file, MariaDB and PostgreSQL.
"""

import uuid

from tests import backends
from tests import placement_fixtures
from tests import servers

HEADERS = {'X-Auth-Token': 'admin',
           'OpenStack-API-Version': 'placement 1.36'}


def _call(server, method, path, body=None, expect=None):
    resp = server.request(method, path, headers=HEADERS, body=body)
    if expect is not None:
        assert resp.status == expect, (method, path, resp.body)
    return resp


def _candidates(server, query):
    body = _call(server, 'GET', '/allocation_candidates?' + query,
                 expect=200).json()
    return sorted(rp for ar in body['allocation_requests']
                  for rp in ar['allocations'])


def test_each_process_sees_the_other_s_writes(processes, tmp_path, backend):
    database = backends.Database(backend, str(tmp_path))
    try:
        placement_fixtures.migrate(database.url)
        conf = servers.write_conf(tmp_path / 'nova_core.conf', {
            'api': {'auth_strategy': 'noauth2'},
            'placement_database': {'connection': database.url}})
        first = processes.placement_api('--config-file', conf, name='a')
        second = processes.placement_api('--config-file', conf, name='b')
        first.wait_ready()
        second.wait_ready()
        _exchange(first, second)
        _exchange(second, first)
        for server in (first, second):
            assert server.stop() == 0
            assert 'Traceback' not in server.log()
    finally:
        database.drop()


def _exchange(writer, reader):
    query = 'resources=VCPU:2&required=CUSTOM_FRESH'
    assert _call(writer, 'PUT', '/traits/CUSTOM_FRESH').status in (201, 204)
    # Warm the reader's picture first, so that what follows is a refresh.
    before = _candidates(reader, query)
    rp = str(uuid.uuid4())
    _call(writer, 'POST', '/resource_providers',
          {'name': rp, 'uuid': rp}, expect=200)
    _call(writer, 'PUT', '/resource_providers/%s/inventories' % rp,
          {'resource_provider_generation': 0,
           'inventories': {'VCPU': {'total': 2}}}, expect=200)
    assert _candidates(reader, query) == before
    _call(writer, 'PUT', '/resource_providers/%s/traits' % rp,
          {'resource_provider_generation': 1, 'traits': ['CUSTOM_FRESH']},
          expect=200)
    assert _candidates(reader, query) == sorted(before + [rp])
    consumer = str(uuid.uuid4())
    _call(writer, 'PUT', '/allocations/%s' % consumer,
          {'allocations': {rp: {'resources': {'VCPU': 1}}},
           'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
          expect=204)
    assert _candidates(reader, query) == before
    _call(writer, 'DELETE', '/allocations/%s' % consumer, expect=204)
    assert _candidates(reader, query) == sorted(before + [rp])
    _call(writer, 'DELETE', '/resource_providers/%s' % rp, expect=204)
    assert _candidates(reader, query) == before
