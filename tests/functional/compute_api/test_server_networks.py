"""Servers' addresses from the local network plugin: what ``networks``
asks for, Nova's errors, the ``addresses`` view, and addresses freed with
their server; a server buried in cell0 gives its addresses back."""

import re
import uuid as uuidlib

import pytest

from nova_core.api.compute import deploy
from nova_core.api.compute import direct
from nova_core.db import build_request as db_build_request
from nova_core.db import flavor as db_flavor
from nova_core.db import network_allocation as db_allocation
from tests import cloud as cloud_mod

IMAGE = cloud_mod.IMAGE['id']
PRIVATE = '7d0c3a5e-1f2b-4c6d-8e9f-0a1b2c3d4e5f'
TINY = '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7'
MAC = re.compile(r'^fa:16:3e(:[0-9a-f]{2}){3}$')


@pytest.fixture(scope='module')
def cloud_api(tmp_path_factory):
    """A cloud with two networks: private (a /24) and tiny (a /29: the
    gateway .1 and five addresses, .2 to .6), and a flavor within quota
    but bigger than any host."""
    cloud = cloud_mod.InProcessCloud(
        tmp_path_factory.mktemp('cloud'), overrides={
            ('network', 'networks'): [
                'name=private,cidr=10.0.0.0/24,uuid=%s' % PRIVATE,
                'name=tiny,cidr=10.1.0.0/29,uuid=%s' % TINY]})
    cloud.start()
    with cloud.cells.api.writer(cloud.ctx) as conn:
        db_flavor.create(conn, 'huge', 40000, 1, root_gb=1,
                         flavorid='huge')
    try:
        yield cloud, direct.ComputeDirect(
            deploy.make_app(cloud.api_conf, servers=cloud.servers))
    finally:
        cloud.stop()


def _create(client, networks=None, microversion='2.37', **extra):
    server = {'name': 'vm', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE}
    if networks is not None:
        server['networks'] = networks
    server.update(extra)
    return client.post('/servers', json={'server': server},
                       microversion=microversion)


def _boot(client, networks=None, **kw):
    resp = _create(client, networks, **kw)
    assert resp.status_code == 202, resp.text
    return resp.json()['server']['id']


def _addresses(client, uuid):
    resp = client.get('/servers/%s' % uuid)
    assert resp.status_code == 200, resp.text
    return resp.json()['server']['addresses']


def _used(cloud, network):
    with cloud.cells.api.reader(cloud.ctx) as conn:
        return db_allocation.used_addresses(conn, network)


def _delete(client, *uuids):
    for uuid in uuids:
        assert client.delete('/servers/%s' % uuid).status_code == 204


def test_auto_and_default_give_one_address_on_the_default_network(
        cloud_api):
    cloud, api = cloud_api
    before_237 = _boot(api, microversion='2.1')
    auto = _boot(api, 'auto')
    for uuid in (before_237, auto):
        addresses = _addresses(api, uuid)
        assert list(addresses) == ['private']
        [vif] = addresses['private']
        assert vif['version'] == 4
        assert vif['OS-EXT-IPS:type'] == 'fixed'
        assert MAC.match(vif['OS-EXT-IPS-MAC:mac_addr'])
        assert vif['addr'].startswith('10.0.0.')
        assert vif['addr'] not in ('10.0.0.0', '10.0.0.1', '10.0.0.255')
    server = api.get('/servers/%s' % auto).json()['server']
    assert server['accessIPv4'] == '' and server['accessIPv6'] == ''
    assert _addresses(api, auto) != _addresses(api, before_237)
    # The list shows the same addresses.
    listed = {s['id']: s['addresses'] for s in
              api.get('/servers/detail').json()['servers']}
    assert listed[auto] == _addresses(api, auto)
    _delete(api, before_237, auto)


def test_none_is_no_address(cloud_api):
    _cloud, api = cloud_api
    uuid = _boot(api, 'none')
    assert _addresses(api, uuid) == {}
    _delete(api, uuid)


def test_networks_by_uuid_and_fixed_ip(cloud_api):
    cloud, api = cloud_api
    uuid = _boot(api, [{'uuid': TINY}, {'uuid': PRIVATE,
                                        'fixed_ip': '10.0.0.200'}])
    addresses = _addresses(api, uuid)
    assert sorted(addresses) == ['private', 'tiny']
    assert [v['addr'] for v in addresses['private']] == ['10.0.0.200']
    assert addresses['tiny'][0]['addr'] in _used(cloud, TINY)
    taken = _create(api, [{'uuid': PRIVATE, 'fixed_ip': '10.0.0.200'}])
    assert taken.status_code == 400
    assert taken.json()['badRequest']['message'] == (
        'Fixed IP address 10.0.0.200 is already in use on instance %s.'
        % uuid)
    _delete(api, uuid)
    assert '10.0.0.200' not in _used(cloud, PRIVATE)
    again = _boot(api, [{'uuid': PRIVATE, 'fixed_ip': '10.0.0.200'}])
    _delete(api, again)


@pytest.mark.parametrize('networks, status, message', [
    ([{'uuid': '00000000-0000-4000-8000-000000000000'}], 400,
     'Network 00000000-0000-4000-8000-000000000000 could not be found.'),
    ([{'fixed_ip': '10.0.0.9'}], 400, "Bad network format: missing 'uuid'"),
    ([{'uuid': PRIVATE, 'fixed_ip': 'ten'}], 400,
     'Invalid fixed IP address (ten)'),
    ([{'uuid': PRIVATE, 'fixed_ip': '10.9.9.9'}], 400,
     'Fixed IP address 10.9.9.9 is not a usable address of network '
     'private.'),
    ([{'uuid': PRIVATE, 'fixed_ip': '10.0.0.1'}], 400,
     'Fixed IP address 10.0.0.1 is not a usable address of network '
     'private.'),
    ([{'uuid': PRIVATE, 'fixed_ip': '10.0.0.255'}], 400,
     'is not a usable address'),
    ([{'port': str(uuidlib.uuid4())}], 400, 'Requesting a port is not '
     'supported'),
    ([{'uuid': 'nope'}], 400, "'nope' is not a 'uuid'"),
    ('some', 400, "'some' is not one of ['none', 'auto']"),
])
def test_bad_networks(cloud_api, networks, status, message):
    cloud, api = cloud_api
    with cloud.cells.api.reader(cloud.ctx) as conn:
        before = db_build_request.count(conn)
    resp = _create(api, networks)
    assert resp.status_code == status, resp.text
    assert message in resp.json()['badRequest']['message']
    with cloud.cells.api.reader(cloud.ctx) as conn:
        assert db_build_request.count(conn) == before


def test_fixed_ip_with_several_servers_is_400(cloud_api):
    _cloud, api = cloud_api
    resp = _create(api, [{'uuid': PRIVATE, 'fixed_ip': '10.0.0.50'}],
                   max_count=2)
    assert resp.status_code == 400
    assert resp.json()['badRequest']['message'] == (
        'max_count cannot be greater than 1 if an fixed_ip is specified.')


def test_an_exhausted_range_is_409_before_anything_is_written(cloud_api):
    cloud, api = cloud_api
    assert _used(cloud, TINY) == set()
    with cloud.cells.api.reader(cloud.ctx) as conn:
        before = db_build_request.count(conn)
    too_many = _create(api, [{'uuid': TINY}], min_count=6, max_count=6)
    assert too_many.status_code == 409, too_many.text
    assert too_many.json()['conflictingRequest']['message'] == (
        'No fixed IP addresses available for network: tiny')
    assert _used(cloud, TINY) == set()
    with cloud.cells.api.reader(cloud.ctx) as conn:
        assert db_build_request.count(conn) == before
    resp = _create(api, [{'uuid': TINY}], min_count=5, max_count=5,
                   return_reservation_id=True)
    assert resp.status_code == 202, resp.text
    assert _used(cloud, TINY) == {'10.1.0.%d' % i for i in range(2, 7)}
    full = _create(api, [{'uuid': TINY}])
    assert full.status_code == 409
    uuids = [s['id'] for s in api.get('/servers/detail').json()['servers']
             if 'tiny' in s['addresses']]
    assert len(uuids) == 5
    _delete(api, *uuids)
    assert _used(cloud, TINY) == set()


def test_a_server_buried_in_cell0_frees_its_address(cloud_api):
    cloud, api = cloud_api
    uuid = _boot(api, [{'uuid': TINY}], flavorRef='huge')
    [shown] = cloud.wait_for([uuid]).values()
    assert shown['vm_state'] == 'error'
    # Freed when it was buried, as a server that never reached a host
    # has no ports in Nova.
    assert _addresses(api, uuid) == {}
    assert _used(cloud, TINY) == set()
    _delete(api, uuid)
    assert _used(cloud, TINY) == set()


def test_a_server_deleted_before_it_is_scheduled_frees_its_address(
        cloud_api):
    cloud, _api = cloud_api
    uuids = cloud.servers.create(cloud.ctx, 'm1.tiny', IMAGE, 'early',
                                 networks=[{'network_id': TINY}])
    # The build may already be under way; either way the delete frees.
    cloud.servers.delete(cloud.ctx, uuids[0])
    assert _used(cloud, TINY) == set()


def test_an_address_lost_in_a_race_leaves_nothing_behind(cloud_api,
                                                         monkeypatch):
    """Another worker takes the address between the check and the write:
    the create's transaction rolls back whole."""
    cloud, api = cloud_api
    holder = _boot(api, [{'uuid': PRIVATE, 'fixed_ip': '10.0.0.77'}])
    monkeypatch.setattr(cloud.servers.networks, 'validate',
                        lambda *args: None)
    with cloud.cells.api.reader(cloud.ctx) as conn:
        before = db_build_request.count(conn)
    resp = _create(api, [{'uuid': TINY},
                         {'uuid': PRIVATE, 'fixed_ip': '10.0.0.77'}])
    assert resp.status_code == 400
    assert 'is already in use on instance %s' % holder in resp.text
    with cloud.cells.api.reader(cloud.ctx) as conn:
        assert db_build_request.count(conn) == before
    assert _used(cloud, TINY) == set()
    _delete(api, holder)


def test_list_filters_on_addresses(cloud_api):
    _cloud, api = cloud_api
    first = _boot(api, [{'uuid': PRIVATE, 'fixed_ip': '10.0.0.31'}])
    second = _boot(api, [{'uuid': TINY}])
    none = _boot(api, 'none')

    def listed(query):
        resp = api.get('/servers?' + query)
        assert resp.status_code == 200, resp.text
        return {s['id'] for s in resp.json()['servers']}

    assert listed('ip=10.0.0.31') == {first}
    assert listed('ip=^10%5C.1%5C.') == {second}
    assert listed('ip=10%5C.') == {first, second}
    assert listed('ip=[') == set()  # not a regular expression: literal
    assert none in listed('') and none not in listed('ip=.')
    assert listed('ip6=.') == set()
    _delete(api, first, second, none)


def test_server_ips(cloud_api):
    _cloud, api = cloud_api
    uuid = _boot(api, [{'uuid': PRIVATE, 'fixed_ip': '10.0.0.41'},
                       {'uuid': TINY}])
    resp = api.get('/servers/%s/ips' % uuid)
    assert resp.status_code == 200, resp.text
    body = resp.json()['addresses']
    assert body['private'] == [{'version': 4, 'addr': '10.0.0.41'}]
    assert sorted(body) == ['private', 'tiny']
    resp = api.get('/servers/%s/ips/private' % uuid)
    assert resp.json() == {'private': [{'version': 4, 'addr': '10.0.0.41'}]}
    resp = api.get('/servers/%s/ips/storage' % uuid)
    assert resp.status_code == 404
    assert resp.json()['itemNotFound']['message'] == (
        'Instance is not a member of specified network')
    other = api.as_user('u:other', roles=['member', 'reader'])
    assert other.get('/servers/%s/ips' % uuid).status_code == 404
    assert api.get('/servers/%s/ips' % uuidlib.uuid4()).status_code == 404
    none = _boot(api, 'none')
    assert api.get('/servers/%s/ips' % none).json() == {'addresses': {}}
    _delete(api, uuid, none)
