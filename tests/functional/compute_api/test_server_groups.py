"""Server groups through the compute API: create / list / show / delete per
microversion, bad input, project isolation, quotas, and the group hint of
server create reaching the scheduler (anti-affinity spreads, affinity
packs)."""

import time
import uuid as uuidlib

from nova_core.db import quota as db_quota
from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')


def _message(resp):
    [(_name, fault)] = resp.json().items()
    assert fault['code'] == resp.status_code
    return fault['message']


def _create(client, microversion='2.1', **group):
    return client.post('/os-server-groups', json={'server_group': group},
                       microversion=microversion)


def _boot(client, group, name='member', **extra):
    server = {'name': name, 'flavorRef': 'm1.tiny', 'networks': 'none',
              'imageRef': cloud_mod.IMAGE['id']}
    server.update(extra)
    return client.post('/servers', json={
        'server': server, 'os:scheduler_hints': {'group': group}},
        microversion='2.37')


def _wait(client, uuid, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        server = client.get('/servers/%s' % uuid).json()['server']
        if server['status'] in ('ACTIVE', 'ERROR') and not server.get(
                'OS-EXT-STS:task_state'):
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.1)


def _boot_one_by_one(client, group, prefix, count):
    """*count* members of *group*, each booted once the last one settled;
    (uuids, servers as they ended)."""
    uuids = []
    for index in range(count):
        resp = _boot(client, group, name='%s%d' % (prefix, index))
        assert resp.status_code == 202, resp.text
        uuids.append(resp.json()['server']['id'])
        _wait(client, uuids[-1])
    return uuids, [_wait(client, uuid) for uuid in uuids]


def test_create_show_list_delete_per_microversion(api):
    resp = _create(api, name='old', policies=['anti-affinity'])
    assert resp.status_code == 200, resp.text
    old = resp.json()['server_group']
    assert old == {'id': old['id'], 'name': 'old',
                   'policies': ['anti-affinity'], 'members': [],
                   'metadata': {}}
    shown = api.get('/os-server-groups/%s' % old['id'],
                    microversion='2.13').json()['server_group']
    assert shown['project_id'] == 'admin' and shown['user_id'] == 'admin'
    resp = _create(api, microversion='2.64', name='new',
                   policy='anti-affinity', rules={'max_server_per_host': '2'})
    assert resp.status_code == 200, resp.text
    new = resp.json()['server_group']
    assert new == {'id': new['id'], 'name': 'new', 'policy': 'anti-affinity',
                   'rules': {'max_server_per_host': 2}, 'members': [],
                   'project_id': 'admin', 'user_id': 'admin'}
    # The same group in the old shape.
    assert api.get('/os-server-groups/%s' % new['id']).json()[
        'server_group']['policies'] == ['anti-affinity']
    resp = _create(api, microversion='2.15', name='soft',
                   policies=['soft-affinity'])
    assert resp.status_code == 200, resp.text
    soft = resp.json()['server_group']['id']
    listed = api.get('/os-server-groups').json()['server_groups']
    assert [g['id'] for g in listed] == [old['id'], new['id'], soft]
    paged = api.get('/os-server-groups?limit=1&offset=1').json()[
        'server_groups']
    assert [g['id'] for g in paged] == [new['id']]
    for uuid in (old['id'], new['id'], soft):
        resp = api.delete('/os-server-groups/%s' % uuid)
        assert resp.status_code == 204, resp.text
    assert api.get('/os-server-groups').json()['server_groups'] == []


def test_bad_input(api):
    cases = [
        ('2.1', b'{', 'Malformed request body'),
        ('2.1', b'{}', "'server_group' is a required property"),
        ('2.1', b'{"server_group": {"name": "g"}}',
         "'policies' is a required property"),
        ('2.1', b'{"server_group": {"name": "g", "policies": []}}',
         'Invalid input for field/attribute policies'),
        ('2.1', b'{"server_group": {"name": "g", "policies": '
                b'["affinity", "anti-affinity"]}}', 'policies'),
        ('2.1', b'{"server_group": {"name": "g", "policies": '
                b'["soft-affinity"]}}', "'soft-affinity' is not one of"),
        ('2.1', b'{"server_group": {"name": " g", "policies": '
                b'["affinity"]}}', 'Invalid input for field/attribute name'),
        ('2.1', b'{"server_group": {"name": 1, "policies": ["affinity"]}}',
         "1 is not of type 'string'"),
        ('2.64', b'{"server_group": {"name": "g", "policy": "affinity", '
                 b'"policies": ["affinity"]}}', 'Additional properties'),
        ('2.64', b'{"server_group": {"name": "g"}}',
         "'policy' is a required property"),
        ('2.64', b'{"server_group": {"name": "g", "policy": "x"}}',
         "'x' is not one of"),
        ('2.64', b'{"server_group": {"name": "g", "policy": '
                 b'"anti-affinity", "rules": {"max_server_per_host": 0}}}',
         'max_server_per_host'),
        ('2.64', b'{"server_group": {"name": "g", "policy": '
                 b'"anti-affinity", "rules": {"other": 1}}}',
         'Additional properties'),
        ('2.64', b'{"server_group": {"name": "g", "policy": "affinity", '
                 b'"rules": {"max_server_per_host": 2}}}',
         'Only anti-affinity policy supports rules.'),
    ]
    for version, body, message in cases:
        resp = api.post('/os-server-groups', body=body, microversion=version)
        assert resp.status_code == 400, (body, resp.text)
        assert message in _message(resp), (body, resp.text)
    for bad in ('not-a-uuid', str(uuidlib.uuid4())):
        for method in ('GET', 'DELETE'):
            resp = api.request(method, '/os-server-groups/%s' % bad)
            assert resp.status_code == 404, resp.text
            assert _message(resp) == (
                'Server group %s could not be found.' % bad)
    for query, message in (('limit=x', 'limit param must be an integer'),
                           ('offset=-1', 'offset param must be positive')):
        resp = api.get('/os-server-groups?' + query)
        assert resp.status_code == 400 and _message(resp) == message
    assert api.get('/os-server-groups?bogus=1').status_code == 200
    assert api.get('/os-server-groups?bogus=1',
                   microversion='2.75').status_code == 400
    assert api.request('PUT', '/os-server-groups').status_code == 405
    # Server create with a group that does not exist.
    resp = _boot(api, str(uuidlib.uuid4()))
    assert resp.status_code == 400
    assert 'could not be found' in _message(resp)
    resp = _boot(api, 'not-a-uuid')
    assert resp.status_code == 400


def test_project_isolation(api):
    alice = api.as_user('alice:proj-a', roles=MEMBER)
    bob = api.as_user('bob:proj-b', roles=MEMBER)
    group = _create(alice, name='alices', policies=['affinity']).json()[
        'server_group']['id']
    assert bob.get('/os-server-groups').json()['server_groups'] == []
    assert [g['id'] for g in alice.get('/os-server-groups').json()[
        'server_groups']] == [group]
    for method in ('GET', 'DELETE'):
        resp = bob.request(method, '/os-server-groups/%s' % group)
        assert resp.status_code == 403, resp.text
    resp = bob.get('/os-server-groups?all_projects=True')
    assert resp.status_code == 403
    assert 'os_compute_api:os-server-groups:index:all_projects' in _message(
        resp)
    everyone = api.get('/os-server-groups?all_projects=True').json()
    assert group in [g['id'] for g in everyone['server_groups']]
    assert group not in [g['id'] for g in api.get(
        '/os-server-groups').json()['server_groups']]
    reader = api.as_user('carol:proj-a', roles=('reader',))
    assert reader.get('/os-server-groups/%s' % group).status_code == 200
    assert _create(reader, name='x', policies=['affinity']).status_code == 403
    assert reader.delete('/os-server-groups/%s' % group).status_code == 403
    assert alice.delete('/os-server-groups/%s' % group).status_code == 204


def test_anti_affinity_spreads_then_no_valid_host(api):
    group = _create(api, name='spread', policies=['anti-affinity']).json()[
        'server_group']['id']
    uuids, servers = _boot_one_by_one(api, group, 'spread', 3)
    assert [s['status'] for s in servers] == ['ACTIVE', 'ACTIVE', 'ERROR']
    hosts = {s['OS-EXT-SRV-ATTR:host'] for s in servers[:2]}
    assert len(hosts) == 2, servers          # the 2 hosts of the cloud
    assert 'No valid host' in servers[2]['fault']['message']
    shown = api.get('/os-server-groups/%s' % group).json()['server_group']
    assert sorted(shown['members']) == sorted(uuids)
    assert api.get('/servers/%s' % uuids[0], microversion='2.71').json()[
        'server']['server_groups'] == [group]
    # Deleting the group leaves its servers; deleted servers leave it.
    cloud_mod.delete_servers(api, uuids[2:])
    assert sorted(api.get('/os-server-groups/%s' % group).json()[
        'server_group']['members']) == sorted(uuids[:2])
    assert api.delete('/os-server-groups/%s' % group).status_code == 204
    assert api.get('/servers/%s' % uuids[0]).status_code == 200
    cloud_mod.delete_servers(api, uuids[:2])


def test_affinity_packs_and_rules_allow_two_per_host(api):
    group = _create(api, name='pack', policies=['affinity']).json()[
        'server_group']['id']
    resp = _boot(api, group, name='pack', min_count=2, max_count=2)
    assert resp.status_code == 202, resp.text
    uuids = [g['id'] for g in api.get('/servers?name=^pack').json()[
        'servers']]
    servers = [_wait(api, uuid) for uuid in uuids]
    assert len(servers) == 2
    assert len({s['OS-EXT-SRV-ATTR:host'] for s in servers}) == 1, servers
    cloud_mod.delete_servers(api, uuids)
    api.delete('/os-server-groups/%s' % group)
    group = _create(api, microversion='2.64', name='two',
                    policy='anti-affinity',
                    rules={'max_server_per_host': 2}).json()[
        'server_group']['id']
    resp = _boot(api, group, name='two', min_count=4, max_count=4)
    assert resp.status_code == 202, resp.text
    uuids = [g['id'] for g in api.get('/servers?name=^two').json()[
        'servers']]
    servers = [_wait(api, uuid) for uuid in uuids]
    assert [s['status'] for s in servers] == ['ACTIVE'] * 4, servers
    cloud_mod.delete_servers(api, uuids)
    api.delete('/os-server-groups/%s' % group)


def test_affinity_follows_members_of_earlier_requests(api):
    # Each server of its own request: the group's hosts are where its
    # members are now, not the empty list of the group's creation. The
    # weighers alone would spread the three over both hosts.
    group = _create(api, name='follow', policies=['affinity']).json()[
        'server_group']['id']
    uuids, servers = _boot_one_by_one(api, group, 'follow', 3)
    assert [s['status'] for s in servers] == ['ACTIVE'] * 3, servers
    assert len({s['OS-EXT-SRV-ATTR:host'] for s in servers}) == 1, servers
    cloud_mod.delete_servers(api, uuids)
    api.delete('/os-server-groups/%s' % group)


def test_quotas(shared, api):
    cloud = shared[0]
    with cloud.cells.api.writer(cloud.ctx) as conn:
        db_quota.set_limit(conn, 'proj-q', 'server_groups', 1)
        db_quota.set_limit(conn, 'proj-q', 'server_group_members', 1)
    dave = api.as_user('dave:proj-q', roles=MEMBER)
    resp = _create(dave, name='one', policies=['anti-affinity'])
    assert resp.status_code == 200
    group = resp.json()['server_group']['id']
    resp = _create(dave, name='two', policies=['anti-affinity'])
    assert resp.status_code == 403
    assert _message(resp) == 'Quota exceeded, too many server groups.'
    resp = _boot(dave, group, min_count=2)
    assert resp.status_code == 403
    assert _message(resp) == 'Quota exceeded, too many servers in group'
    resp = _boot(dave, group)
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    _wait(dave, uuid)
    resp = _boot(dave, group)
    assert resp.status_code == 403
    cloud_mod.delete_servers(dave, [uuid])
    # The deleted server no longer counts.
    resp = _boot(dave, group)
    assert resp.status_code == 202, resp.text
    cloud_mod.delete_servers(dave, [resp.json()['server']['id']])
    assert dave.delete('/os-server-groups/%s' % group).status_code == 204
