"""Servers through the compute API: create, poll, show, list, update,
actions, delete; bad input; project isolation."""

import time
import uuid as uuidlib

import pytest

from tests import cloud as cloud_mod

IMAGE = cloud_mod.IMAGE['id']
MEMBER = ('member', 'reader')


def _boot(client, name='vm', flavor='m1.tiny', **extra):
    server = {'name': name, 'flavorRef': flavor, 'imageRef': IMAGE,
              'networks': 'none'}
    server.update(extra)
    resp = client.post('/servers', json={'server': server},
                       microversion='2.37')
    assert resp.status_code == 202, resp.text
    return resp.json()['server']['id']


def _wait(client, uuid, statuses=('ACTIVE', 'ERROR'), timeout=30, **kw):
    deadline = time.monotonic() + timeout
    while True:
        resp = client.get('/servers/%s' % uuid, **kw)
        assert resp.status_code == 200, resp.text
        server = resp.json()['server']
        if server['status'] in statuses and not server.get(
                'OS-EXT-STS:task_state'):
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.1)


def _wait_gone(client, uuid, timeout=30):
    deadline = time.monotonic() + timeout
    while client.get('/servers/%s' % uuid).status_code != 404:
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_create_poll_active_delete(api):
    uuid = _boot(api, metadata={'k': 'v'})
    server = _wait(api, uuid)
    assert server['status'] == 'ACTIVE', server
    assert server['name'] == 'vm' and server['metadata'] == {'k': 'v'}
    assert server['image']['id'] == IMAGE
    assert server['flavor']['id'] == 'm1.tiny'          # before 2.47
    assert server['OS-EXT-SRV-ATTR:host']               # admin sees it
    assert server['hostId']
    server = api.get('/servers/%s' % uuid, microversion='2.47').json()[
        'server']
    assert server['flavor']['original_name'] == 'm1.tiny'
    assert server['flavor']['ram'] == 512
    listed = api.get('/servers').json()['servers']
    assert uuid in [s['id'] for s in listed]
    detail = api.get('/servers/detail').json()['servers']
    assert [s for s in detail if s['id'] == uuid][0]['status'] == 'ACTIVE'
    resp = api.delete('/servers/%s' % uuid)
    assert resp.status_code == 204, resp.text
    _wait_gone(api, uuid)
    assert uuid not in [s['id'] for s in api.get('/servers').json()[
        'servers']]


def test_no_valid_host_shows_error_with_fault(api):
    # More RAM than a fake host has (32768), within the ram quota (51200).
    resp = api.post('/flavors', json={'flavor': {
        'name': 'huge', 'id': 'huge', 'ram': 40000, 'vcpus': 1,
        'disk': 1}})
    assert resp.status_code == 200, resp.text
    uuid = _boot(api, name='too-big', flavor='huge')
    server = _wait(api, uuid)
    assert server['status'] == 'ERROR'
    assert server['fault']['code'] == 500
    assert 'No valid host' in server['fault']['message'], server['fault']
    assert api.delete('/servers/%s' % uuid).status_code == 204
    _wait_gone(api, uuid)


def test_multiple_create_and_reservation_id(api):
    resp = api.post('/servers', json={'server': {
        'name': 'many', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE,
        'min_count': 2, 'max_count': 2, 'return_reservation_id': True}})
    assert resp.status_code == 202, resp.text
    assert resp.json()['reservation_id'].startswith('r-')
    names = {}
    deadline = time.monotonic() + 30
    while len(names) < 2:
        names = {s['name']: s for s in api.get(
            '/servers/detail?name=^many-').json()['servers']}
        assert time.monotonic() < deadline
    assert set(names) == {'many-1', 'many-2'}
    for server in names.values():
        _wait(api, server['id'])
        assert api.delete('/servers/%s' % server['id']).status_code == 204


def test_update_name_and_actions(api):
    uuid = _boot(api, name='before')
    _wait(api, uuid)
    resp = api.put('/servers/%s' % uuid, json={'server': {'name': 'after'}})
    assert resp.status_code == 200, resp.text
    assert resp.json()['server']['name'] == 'after'
    action = '/servers/%s/action' % uuid
    assert api.post(action, json={'os-stop': None}).status_code == 202
    assert _wait(api, uuid, ('SHUTOFF',))['status'] == 'SHUTOFF'
    resp = api.post(action, json={'os-stop': None})
    assert resp.status_code == 409, resp.text
    assert 'conflictingRequest' in resp.json()
    assert api.post(action, json={'os-start': None}).status_code == 202
    assert _wait(api, uuid, ('ACTIVE',))['status'] == 'ACTIVE'
    resp = api.post(action, json={'reboot': {'type': 'HARD'}})
    assert resp.status_code == 202, resp.text
    assert _wait(api, uuid, ('ACTIVE',))['status'] == 'ACTIVE'
    resp = api.post(action, json={'reboot': {'type': 'SIDEWAYS'}})
    assert resp.status_code == 400
    resp = api.post(action, json={'resize': {'flavorRef': 'm1.small'}})
    assert resp.status_code == 501
    assert 'resize' in resp.json()['notImplemented']['message']
    resp = api.post(action, json={'fly': {}})
    assert resp.status_code == 400
    assert api.delete('/servers/%s' % uuid).status_code == 204


@pytest.mark.parametrize('body, message', [
    ({'server': {'flavorRef': 'm1.tiny', 'imageRef': IMAGE}},
     "'name' is a required property"),
    ({'server': {'name': 'x', 'imageRef': IMAGE}},
     "'flavorRef' is a required property"),
    ({'server': {'name': 'x', 'flavorRef': 'nope', 'imageRef': IMAGE}},
     'Flavor nope could not be found.'),
    ({'server': {'name': 'x', 'flavorRef': 'm1.tiny'}},
     'Missing imageRef attribute'),
    ({'server': {'name': 'x', 'flavorRef': 'm1.tiny',
                 'imageRef': 'not-a-uuid'}},
     'Invalid imageRef provided.'),
    ({'server': {'name': 'x', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE,
                 'min_count': 3, 'max_count': 2}},
     'min_count must be <= max_count'),
    ({'server': {'name': 'x', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE,
                 'networks': 'everything'}},
     'Invalid input for field/attribute'),
    ({'server': {'name': 'x', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE},
      'os:scheduler_hints': {'group': str(uuidlib.uuid4())}},
     'could not be found'),
    ({'server': {'name': 'x', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE},
      'os:scheduler_hints': {'group': 'not-a-uuid'}},
     'Invalid input for field/attribute group'),
    ({'servers': {}}, 'Invalid input for field/attribute'),
    ([], 'Invalid input for field/attribute'),
])
def test_create_bad_input(api, body, message):
    resp = api.post('/servers', json=body)
    assert resp.status_code == 400, resp.text
    assert message in resp.json()['badRequest']['message']


def test_create_bad_json_and_networks_required(api):
    resp = api.post('/servers', body='{"server": {')
    assert resp.status_code == 400
    assert resp.json()['badRequest']['message'] == 'Malformed request body'
    resp = api.post('/servers', microversion='2.37', json={'server': {
        'name': 'x', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE}})
    assert resp.status_code == 400
    assert "'networks' is a required property" in resp.text


@pytest.mark.parametrize('method', ['GET', 'DELETE', 'PUT'])
def test_unknown_or_invalid_server_is_404(api, method):
    for ident in (str(uuidlib.uuid4()), 'not-a-uuid'):
        resp = api.request(method, '/servers/%s' % ident,
                           json={'server': {'name': 'x'}}
                           if method == 'PUT' else None)
        assert resp.status_code == 404, resp.text
        assert resp.json()['itemNotFound']['message'] == (
            'Instance %s could not be found.' % ident)
    resp = api.post('/servers/%s/action' % uuidlib.uuid4(),
                    json={'os-start': None})
    assert resp.status_code == 404


def test_list_query_errors(api):
    assert api.get('/servers?limit=-1').status_code == 400
    assert api.get('/servers?limit=x').status_code == 400
    resp = api.get('/servers?marker=%s' % uuidlib.uuid4())
    assert resp.status_code == 400
    assert 'marker' in resp.json()['badRequest']['message']
    assert api.get('/servers?bogus=1').status_code == 200
    resp = api.get('/servers?bogus=1', microversion='2.75')
    assert resp.status_code == 400
    assert api.get('/servers?status=NOPE').json() == {'servers': []}


def test_project_isolation(api):
    alice = api.as_user('alice:proj-a', roles=MEMBER)
    bob = api.as_user('bob:proj-b', roles=MEMBER)
    uuid = _boot(alice, name='alices')
    assert [s['id'] for s in alice.get('/servers').json()['servers']] == [
        uuid]
    assert bob.get('/servers').json()['servers'] == []
    for method in ('GET', 'DELETE'):
        resp = bob.request(method, '/servers/%s' % uuid)
        assert resp.status_code == 404, resp.text
    resp = bob.post('/servers/%s/action' % uuid, json={'os-stop': None})
    assert resp.status_code == 404
    # all_tenants is for admins.
    resp = bob.get('/servers?all_tenants=1')
    assert resp.status_code == 403
    assert 'os_compute_api:servers:index:get_all_tenants' in resp.text
    everyone = api.get('/servers/detail?all_tenants=1').json()['servers']
    assert uuid in [s['id'] for s in everyone]
    theirs = api.get('/servers?all_tenants=1&project_id=proj-a').json()
    assert [s['id'] for s in theirs['servers']] == [uuid]
    # A member does not see admin attributes.
    server = _wait(alice, uuid)
    assert 'OS-EXT-SRV-ATTR:host' not in server
    assert alice.get('/proj-a/servers/%s' % uuid).status_code == 200
    assert alice.delete('/servers/%s' % uuid).status_code == 204
    _wait_gone(api, uuid)
    # Without a role, nothing is allowed.
    nobody = api.as_user('carol:proj-c', roles=())
    assert nobody.get('/servers').status_code == 403


def test_paging_servers(api):
    uuids = [_boot(api, name='page%d' % i) for i in range(3)]
    for uuid in uuids:
        _wait(api, uuid)
    ids = [s['id'] for s in api.get('/servers?name=^page').json()[
        'servers']]
    assert sorted(ids) == sorted(uuids)
    first = api.get('/servers?name=^page&limit=2').json()
    assert [s['id'] for s in first['servers']] == ids[:2]
    assert 'marker=%s' % ids[1] in first['servers_links'][0]['href']
    rest = api.get('/servers?name=^page&marker=%s' % ids[1]).json()
    assert [s['id'] for s in rest['servers']] == ids[2:]
    for uuid in uuids:
        api.delete('/servers/%s' % uuid)


def test_server_group_hint(shared):
    from nova_core.db import server_group as db_server_group
    cloud, api = shared
    with cloud.cells.api.writer(cloud.ctx) as conn:
        group = db_server_group.create(conn, 'grp', 'admin', 'admin',
                                       'anti-affinity')
    uuids = []
    for name in ('g1', 'g2'):
        resp = api.post('/servers', json={
            'server': {'name': name, 'flavorRef': 'm1.tiny',
                       'imageRef': IMAGE},
            'os:scheduler_hints': {'group': group['uuid']}})
        assert resp.status_code == 202, resp.text
        uuids.append(resp.json()['server']['id'])
        _wait(api, uuids[-1])
    servers = [_wait(api, uuid, microversion='2.71') for uuid in uuids]
    assert [s['server_groups'] for s in servers] == [[group['uuid']]] * 2
    assert all(s['status'] == 'ACTIVE' for s in servers)
    # anti-affinity: two hosts.
    assert servers[0]['OS-EXT-SRV-ATTR:host'] != servers[1][
        'OS-EXT-SRV-ATTR:host']
    for uuid in uuids:
        assert api.delete('/servers/%s' % uuid).status_code == 204


def test_wsgi_module_and_entry_point(shared):
    from nova_core.api.compute import direct
    from nova_core import loading
    from nova_core.wsgi import compute as wsgi_compute
    cloud, _api = shared
    make_app = loading.load_apps(['compute'])['compute']
    assert make_app is wsgi_compute.make_app
    # Built from configuration alone: its own cells, RPC clients and
    # placement client.
    app = make_app(cloud.api_conf)
    try:
        client = direct.ComputeDirect(app)
        resp = client.get('/flavors/detail', microversion='latest')
        assert resp.status_code == 200, resp.text
        assert resp.json()['flavors']
    finally:
        app.services.cells.dispose()
