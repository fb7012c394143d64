"""Private flavors: os-flavor-access, addTenantAccess / removeTenantAccess,
who sees and boots them, and the 2.55 description update."""

import pytest

from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')


@pytest.fixture(scope='module')
def private(shared):
    _cloud, api = shared
    resp = api.post('/flavors', json={'flavor': {
        'name': 'private-1', 'id': 'private-1', 'ram': 64, 'vcpus': 1,
        'disk': 1, 'os-flavor-access:is_public': False}})
    assert resp.status_code == 200, resp.text
    return 'private-1'


def _access(api, flavorid):
    return api.get('/flavors/%s/os-flavor-access' % flavorid)


def _action(api, flavorid, name, tenant):
    return api.post('/flavors/%s/action' % flavorid,
                    json={name: {'tenant': tenant}})


def test_access_list_add_remove(api, private):
    assert _access(api, private).json() == {'flavor_access': []}
    resp = _action(api, private, 'addTenantAccess', 'proj-a')
    assert resp.status_code == 200, resp.text
    assert resp.json() == {'flavor_access': [
        {'flavor_id': private, 'tenant_id': 'proj-a'}]}
    again = _action(api, private, 'addTenantAccess', 'proj-a')
    assert again.status_code == 409
    assert ('Flavor access already exists for flavor private-1 and project '
            'proj-a combination.') in again.text
    resp = _action(api, private, 'removeTenantAccess', 'proj-a')
    assert resp.json() == {'flavor_access': []}
    gone = _action(api, private, 'removeTenantAccess', 'proj-a')
    assert gone.status_code == 404
    assert 'Flavor access not found for private-1 / proj-a' in gone.text


def test_public_flavors_have_no_access_list(api):
    resp = _access(api, 'm1.tiny')
    assert resp.status_code == 404
    assert 'Access list not available for public flavors.' in resp.text
    resp = _action(api, 'm1.tiny', 'addTenantAccess', 'proj-a')
    assert resp.status_code == 409
    assert 'Can not add access to a public flavor.' in resp.text


@pytest.mark.parametrize('body, status, message', [
    (b'{', 400, 'Malformed request body'),
    (b'[]', 400, 'Malformed request body'),
    (b'{"fly": {}}', 400, 'There is no such action: fly'),
    (b'{"addTenantAccess": {}}', 400, "'tenant' is a required property"),
    (b'{"addTenantAccess": {"tenant": ""}}', 400, 'Invalid input'),
    (b'{"removeTenantAccess": {"tenant": "p", "x": 1}}', 400,
     'Additional properties are not allowed'),
])
def test_bad_actions(api, private, body, status, message):
    resp = api.post('/flavors/%s/action' % private, body=body,
                    headers={'Content-Type': 'application/json'})
    assert resp.status_code == status, resp.text
    assert message in resp.text


def test_unknown_flavor_is_404(api):
    assert _access(api, 'nope').status_code == 404
    assert _action(api, 'nope', 'addTenantAccess', 'p').status_code == 404


def test_only_admins_manage_access(api, private):
    member = api.as_user('alice:proj-a', roles=MEMBER)
    assert _access(member, private).status_code == 403
    assert _action(member, private, 'addTenantAccess',
                   'proj-a').status_code == 403


def test_a_private_flavor_is_for_the_projects_given_access(shared, private):
    cloud, api = shared
    member = api.as_user('alice:proj-b', roles=MEMBER)
    server = {'server': {'name': 'vm', 'flavorRef': private,
                         'imageRef': cloud_mod.IMAGE['id'],
                         'networks': 'none'}}
    assert member.get('/flavors/%s' % private).status_code == 404
    refused = member.post('/servers', json=server, microversion='2.37')
    assert refused.status_code == 400
    assert 'Flavor private-1 could not be found.' in refused.text
    assert _action(api, private, 'addTenantAccess',
                   'proj-b').status_code == 200
    assert member.get('/flavors/%s' % private).status_code == 200
    listed = [f['id'] for f in member.get('/flavors').json()['flavors']]
    assert private in listed
    resp = member.post('/servers', json=server, microversion='2.37')
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    cloud.wait_for([uuid])
    assert member.delete('/servers/%s' % uuid).status_code == 204
    _action(api, private, 'removeTenantAccess', 'proj-b')


def test_description_update(api):
    resp = api.post('/flavors', microversion='2.55', json={'flavor': {
        'name': 'described', 'ram': 64, 'vcpus': 1, 'disk': 1,
        'description': 'old'}})
    flavorid = resp.json()['flavor']['id']
    resp = api.put('/flavors/%s' % flavorid, microversion='2.55',
                   json={'flavor': {'description': 'new'}})
    assert resp.status_code == 200, resp.text
    assert resp.json()['flavor']['description'] == 'new'
    shown = api.get('/flavors/%s' % flavorid, microversion='2.55').json()
    assert shown['flavor']['description'] == 'new'
    cleared = api.put('/flavors/%s' % flavorid, microversion='2.55',
                      json={'flavor': {'description': None}})
    assert cleared.json()['flavor']['description'] is None
    assert api.put('/flavors/%s' % flavorid, microversion='2.54', json={
        'flavor': {'description': 'x'}}).status_code == 405
    assert api.put('/flavors/nope', microversion='2.55', json={
        'flavor': {'description': 'x'}}).status_code == 404
    assert api.put('/flavors/%s' % flavorid, microversion='2.55', json={
        'flavor': {'name': 'x'}}).status_code == 400
