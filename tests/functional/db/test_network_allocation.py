"""Addresses of the local network plugin, on every backend: no address is
ever handed out twice, even to API workers racing for the same one."""

import threading
import uuid as uuidlib

import pytest

from nova_core import context as nc_context
from nova_core.db import engine as db_engine
from nova_core.db import migration
from nova_core.db import network_allocation
from nova_core import exception
from nova_core.network import local
from tests import backends
from tests import cloud

NET = 'b1c2d3e4-0000-4000-8000-000000000001'


@pytest.fixture
def api_db(backend, tmp_path):
    made = backends.Database(backend, str(tmp_path))
    database = db_engine.Database.for_url(made.url)
    migration.sync(database, 'api')
    yield database
    database.dispose()


def _ctx():
    return nc_context.get_admin_context()


def test_a_lost_race_moves_on_to_the_next_address(api_db):
    with api_db.writer(_ctx()) as conn:
        network_allocation.add(conn, NET, '10.0.0.2', 'fa:16:3e:00:00:01',
                               'holder')
    # A worker that read the used addresses before that insert still
    # offers 10.0.0.2 first: the duplicate costs a savepoint, not the
    # transaction.
    with api_db.writer(_ctx()) as conn:
        got = network_allocation.allocate(
            conn, NET, ['10.0.0.2', '10.0.0.3'], 'fa:16:3e:00:00:02', 'vm')
        assert got == '10.0.0.3'
        network_allocation.add(conn, NET, '10.0.0.4', 'fa:16:3e:00:00:03',
                               'vm')
    with api_db.reader(_ctx()) as conn:
        assert network_allocation.used_addresses(conn, NET) == {
            '10.0.0.2', '10.0.0.3', '10.0.0.4'}
        found = network_allocation.get_by_instances(conn, ['vm', 'nobody'])
        assert [a['address'] for a in found['vm']] == ['10.0.0.3',
                                                       '10.0.0.4']
        assert 'nobody' not in found


def test_every_candidate_taken_is_none(api_db):
    with api_db.writer(_ctx()) as conn:
        network_allocation.add(conn, NET, '10.0.0.2', 'm', 'holder')
        assert network_allocation.allocate(
            conn, NET, ['10.0.0.2'], 'm', 'vm') is None


def test_a_requested_address_in_use_names_its_holder(api_db):
    with api_db.writer(_ctx()) as conn:
        network_allocation.add(conn, NET, '10.0.0.9', 'm', 'holder')
    with pytest.raises(exception.FixedIpAlreadyInUse) as info:
        with api_db.writer(_ctx()) as conn:
            network_allocation.add(conn, NET, '10.0.0.9', 'm', 'other')
    assert 'holder' in str(info.value)
    # The same address on another network is another address.
    with api_db.writer(_ctx()) as conn:
        network_allocation.add(conn, 'other-net', '10.0.0.9', 'm', 'other')
        assert network_allocation.delete_by_instance(conn, 'other') == 1


def test_racing_workers_never_share_an_address(api_db):
    conf = cloud.make_conf({('network', 'networks'): [
        'name=race,cidr=10.9.0.0/26,uuid=%s' % NET]}, databases=False)
    plugin = local.LocalNetwork(conf, api_db)
    results, errors = {}, []
    barrier = threading.Barrier(6)

    def worker(index):
        try:
            barrier.wait()
            for _ in range(5):
                uuid = str(uuidlib.uuid4())
                info = plugin.allocate_for_instance(
                    _ctx(), uuid, 'p', [{'network_id': NET}])
                results[uuid] = info[0]['address']
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert len(results) == 30
    assert len(set(results.values())) == 30
    assert '10.9.0.1' not in results.values()  # the gateway
    with api_db.reader(_ctx()) as conn:
        assert network_allocation.used_addresses(conn, NET) == set(
            results.values())
