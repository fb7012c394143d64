"""Key pairs through the compute API: import, generate, list, show,
delete; microversion differences, bad input, quota, user isolation, and
booting a server with a key."""

from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')
# An ed25519 key and its MD5 fingerprint (ssh-keygen -l -E md5).
PUBLIC = ('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJOeB2lgj7Cd9LuKNdv1lmjXUdzL'
          'xKwvWRGBWU7BEAlp test')
FINGERPRINT = 'cd:36:30:d3:0a:64:e6:c1:a6:a0:c0:99:b9:8d:32:d4'


def _message(resp):
    [(_name, fault)] = resp.json().items()
    assert fault['code'] == resp.status_code
    return fault['message']


def _create(client, microversion='2.2', **keypair):
    return client.post('/os-keypairs', json={'keypair': keypair},
                       microversion=microversion)


def test_import_show_list_delete(api):
    resp = _create(api, name='imported', public_key=PUBLIC)
    assert resp.status_code == 201, resp.text
    created = resp.json()['keypair']
    assert created == {'name': 'imported', 'public_key': PUBLIC,
                       'fingerprint': FINGERPRINT, 'type': 'ssh',
                       'user_id': 'admin'}
    shown = api.get('/os-keypairs/imported', microversion='2.2').json()[
        'keypair']
    assert shown['fingerprint'] == FINGERPRINT
    assert shown['user_id'] == 'admin' and shown['deleted'] is False
    assert {'id', 'created_at', 'updated_at', 'deleted_at'} <= set(shown)
    listed = api.get('/os-keypairs', microversion='2.2').json()['keypairs']
    assert {'keypair': {'name': 'imported', 'public_key': PUBLIC,
                        'fingerprint': FINGERPRINT, 'type': 'ssh'}} in listed
    # Before 2.2: no type, 200 on create, 202 on delete.
    old = api.get('/os-keypairs').json()['keypairs']
    assert 'type' not in [k for k in old
                          if k['keypair']['name'] == 'imported'][0]['keypair']
    resp = api.delete('/os-keypairs/imported', microversion='2.2')
    assert resp.status_code == 204
    resp = api.get('/os-keypairs/imported')
    assert resp.status_code == 404
    assert _message(resp) == 'Keypair imported not found for user admin'
    resp = _create(api, microversion='2.1', name='old', public_key=PUBLIC)
    assert resp.status_code == 200 and 'type' not in resp.json()['keypair']
    assert api.delete('/os-keypairs/old').status_code == 202


def test_generate_ssh_and_x509(api):
    resp = _create(api, name='gen')
    assert resp.status_code == 201, resp.text
    keypair = resp.json()['keypair']
    assert keypair['public_key'].startswith('ssh-rsa ')
    assert 'PRIVATE KEY' in keypair['private_key']
    assert len(keypair['fingerprint'].split(':')) == 16
    shown = api.get('/os-keypairs/gen').json()['keypair']
    assert 'private_key' not in shown            # given out once only
    resp = _create(api, name='cert', type='x509')
    assert resp.status_code == 201, resp.text
    cert = resp.json()['keypair']
    assert cert['type'] == 'x509'
    assert cert['public_key'].startswith('-----BEGIN CERTIFICATE-----')
    assert len(cert['fingerprint'].split(':')) == 20     # SHA-1
    # Importing that certificate again gives the same fingerprint.
    resp = _create(api, name='cert2', type='x509',
                   public_key=cert['public_key'])
    assert resp.json()['keypair']['fingerprint'] == cert['fingerprint']
    for name in ('gen', 'cert', 'cert2'):
        assert api.delete('/os-keypairs/%s' % name).status_code == 202


def test_bad_input(api):
    cases = [
        (b'{', 'Malformed request body'),
        (b'{}', "'keypair' is a required property"),
        (b'{"keypair": {}}', "'name' is a required property"),
        (b'{"keypair": {"name": 1}}', "1 is not of type 'string'"),
        (b'{"keypair": {"name": ""}}', 'Invalid input for field/attribute'),
        (b'{"keypair": {"name": " x"}}', 'Invalid input for field/attribute'),
        (b'{"keypair": {"name": "' + b'x' * 256 + b'"}}', 'is too long'),
        (b'{"keypair": {"name": "a", "bogus": 1}}',
         'Additional properties are not allowed'),
        (b'{"keypair": {"name": "a", "public_key": 1}}',
         "1 is not of type 'string'"),
    ]
    for body, message in cases:
        resp = api.post('/os-keypairs', body=body, microversion='2.2')
        assert resp.status_code == 400, (body, resp.text)
        assert message in _message(resp), (body, resp.text)
    resp = _create(api, name='bad/name', public_key=PUBLIC)
    assert resp.status_code == 400
    assert _message(resp) == ('Keypair data is invalid: Keypair name '
                              'contains unsafe characters')
    resp = _create(api, name='bad', public_key='ssh-rsa not-a-key')
    assert resp.status_code == 400
    assert _message(resp) == ('Keypair data is invalid: failed to generate '
                              'fingerprint')
    resp = _create(api, name='bad', type='x509', public_key='nope')
    assert resp.status_code == 400
    assert 'failed to generate X509 fingerprint' in _message(resp)
    # type is 2.2, user_id 2.10.
    resp = _create(api, microversion='2.1', name='t', type='ssh')
    assert resp.status_code == 400
    resp = _create(api, name='t', type='rsa')
    assert resp.status_code == 400 and "'rsa' is not one of" in _message(
        resp)
    resp = _create(api, name='t', user_id='someone')
    assert resp.status_code == 400
    # Duplicates.
    assert _create(api, name='dup', public_key=PUBLIC).status_code == 201
    resp = _create(api, name='dup', public_key=PUBLIC)
    assert resp.status_code == 409
    assert _message(resp) == "Key pair 'dup' already exists."
    assert api.delete('/os-keypairs/dup').status_code == 202
    assert api.delete('/os-keypairs/dup').status_code == 404
    # Paging (2.35).
    resp = api.get('/os-keypairs?limit=x', microversion='2.35')
    assert resp.status_code == 400
    resp = api.get('/os-keypairs?marker=nope', microversion='2.35')
    assert resp.status_code == 400
    assert _message(resp) == 'Marker nope could not be found.'
    assert api.request('PUT', '/os-keypairs/x').status_code == 405


def test_paging(api):
    names = ['page%d' % i for i in range(3)]
    for name in names:
        assert _create(api, name=name, public_key=PUBLIC).status_code == 201
    first = api.get('/os-keypairs?limit=2', microversion='2.35').json()
    assert [k['keypair']['name'] for k in first['keypairs']] == names[:2]
    assert 'marker=page1' in first['keypairs_links'][0]['href']
    rest = api.get('/os-keypairs?limit=2&marker=page1',
                   microversion='2.35').json()
    assert [k['keypair']['name'] for k in rest['keypairs']] == names[2:]
    assert 'keypairs_links' not in rest
    # Before 2.35 limit is ignored.
    assert len(api.get('/os-keypairs?limit=1').json()['keypairs']) >= 3
    for name in names:
        api.delete('/os-keypairs/%s' % name)


def test_user_isolation_and_admin_user_id(api):
    alice = api.as_user('alice:proj-a', roles=MEMBER)
    bob = api.as_user('bob:proj-a', roles=MEMBER)
    resp = _create(alice, name='mine', public_key=PUBLIC)
    assert resp.status_code == 201 and resp.json()['keypair'][
        'user_id'] == 'alice'
    assert bob.get('/os-keypairs').json()['keypairs'] == []
    assert bob.get('/os-keypairs/mine').status_code == 404
    assert bob.delete('/os-keypairs/mine').status_code == 404
    # A member naming another user is refused by policy.
    resp = bob.get('/os-keypairs?user_id=alice', microversion='2.10')
    assert resp.status_code == 403
    assert 'os_compute_api:os-keypairs:index' in _message(resp)
    resp = _create(bob, microversion='2.10', name='x', user_id='alice')
    assert resp.status_code == 403
    # An admin may (2.10).
    listed = api.get('/os-keypairs?user_id=alice', microversion='2.10')
    assert [k['keypair']['name'] for k in listed.json()['keypairs']] == [
        'mine']
    resp = _create(api, microversion='2.10', name='for-bob', user_id='bob',
                   public_key=PUBLIC)
    assert resp.status_code == 201 and resp.json()['keypair'][
        'user_id'] == 'bob'
    assert [k['keypair']['name'] for k in bob.get('/os-keypairs').json()[
        'keypairs']] == ['for-bob']
    resp = api.delete('/os-keypairs/for-bob?user_id=bob', microversion='2.10')
    assert resp.status_code == 204
    assert alice.delete('/os-keypairs/mine').status_code == 202


def test_key_pairs_quota(make_api):
    _cloud, api = make_api(hosts_per_cell=1,
                           overrides={('quota', 'key_pairs'): 2})
    for name in ('a', 'b'):
        assert _create(api, name=name, public_key=PUBLIC).status_code == 201
    resp = _create(api, name='c', public_key=PUBLIC)
    assert resp.status_code == 403
    assert _message(resp) == 'Quota exceeded, too many key pairs.'
    # Per user: another user still has room.
    other = api.as_user('other:admin', roles=MEMBER)
    assert _create(other, name='c', public_key=PUBLIC).status_code == 201


def test_server_with_key_name(api):
    resp = _create(api, name='boot-key', public_key=PUBLIC)
    assert resp.status_code == 201
    server = {'name': 'keyed', 'flavorRef': 'm1.tiny', 'networks': 'none',
              'imageRef': cloud_mod.IMAGE['id']}
    resp = api.post('/servers', json={'server': dict(
        server, key_name='nope')}, microversion='2.37')
    assert resp.status_code == 400
    assert _message(resp) == 'Invalid key_name provided.'
    resp = api.post('/servers', json={'server': dict(
        server, key_name='boot-key')}, microversion='2.37')
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    shown = api.get('/servers/%s' % uuid).json()['server']
    assert shown['key_name'] == 'boot-key'
    assert api.delete('/servers/%s' % uuid).status_code == 204
    api.delete('/os-keypairs/boot-key')
