"""Quotas through the compute API: /os-quota-sets per microversion, bad
input, policy, and their enforcement on server create (Nova's messages,
min_count / max_count reduced to what fits)."""


from nova_core.api.compute import quotas
from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')
DEFAULTS = {'cores': 20, 'instances': 10, 'key_pairs': 100,
            'metadata_items': 128, 'ram': 51200, 'server_group_members': 10,
            'server_groups': 10}
FILES = {'injected_file_content_bytes': 10240,
         'injected_file_path_bytes': 255, 'injected_files': 5}
NETWORK = {'fixed_ips': -1, 'floating_ips': -1, 'security_group_rules': -1,
           'security_groups': -1}


def _message(resp):
    [(_name, fault)] = resp.json().items()
    assert fault['code'] == resp.status_code
    return fault['message']


def _set(api, project, microversion='2.1', **values):
    return api.put('/os-quota-sets/%s' % project,
                   json={'quota_set': values}, microversion=microversion)


def _boot(client, name='vm', flavor='m1.tiny', **extra):
    server = {'name': name, 'flavorRef': flavor, 'networks': 'none',
              'imageRef': cloud_mod.IMAGE['id']}
    server.update(extra)
    return client.post('/servers', json={'server': server},
                       microversion='2.37')


def test_show_defaults_per_microversion(api):
    body = api.get('/os-quota-sets/proj-x').json()['quota_set']
    assert body == dict(DEFAULTS, **FILES, **NETWORK, id='proj-x')
    body = api.get('/os-quota-sets/proj-x', microversion='2.36').json()
    assert body['quota_set'] == dict(DEFAULTS, **FILES, id='proj-x')
    body = api.get('/os-quota-sets/proj-x', microversion='2.57').json()
    assert body['quota_set'] == dict(DEFAULTS, id='proj-x')
    body = api.get('/os-quota-sets/proj-x/defaults',
                   microversion='2.57').json()
    assert body['quota_set'] == dict(DEFAULTS, id='proj-x')
    detail = api.get('/os-quota-sets/proj-x/detail',
                     microversion='2.57').json()['quota_set']
    assert detail['instances'] == {'in_use': 0, 'limit': 10, 'reserved': 0}
    assert detail['id'] == 'proj-x'


def test_update_and_revert(api):
    resp = _set(api, 'proj-u', instances=50, cores='30', key_pairs=-1,
                floating_ips=3)
    assert resp.status_code == 200, resp.text
    body = resp.json()['quota_set']
    assert 'id' not in body
    assert (body['instances'], body['cores'], body['key_pairs'],
            body['floating_ips']) == (50, 30, -1, 3)
    shown = api.get('/os-quota-sets/proj-u', microversion='2.57').json()[
        'quota_set']
    assert shown == dict(DEFAULTS, instances=50, cores=30, key_pairs=-1,
                         id='proj-u')
    # The defaults stay the defaults.
    assert api.get('/os-quota-sets/proj-u/defaults').json()['quota_set'][
        'instances'] == 10
    resp = api.delete('/os-quota-sets/proj-u')
    assert resp.status_code == 202
    assert api.get('/os-quota-sets/proj-u', microversion='2.57').json()[
        'quota_set'] == dict(DEFAULTS, id='proj-u')


def test_bad_input(api):
    cases = [
        ('2.1', b'{', 'Malformed request body'),
        ('2.1', b'{}', "'quota_set' is a required property"),
        ('2.1', b'{"quota_set": {"instances": "x"}}', 'instances'),
        ('2.1', b'{"quota_set": {"instances": -2}}', 'instances'),
        ('2.1', b'{"quota_set": {"instances": 1.5}}', 'instances'),
        ('2.1', b'{"quota_set": {"bogus": 1}}', 'Additional properties'),
        ('2.1', b'{"quota_set": {"force": "maybe"}}', 'force'),
        ('2.1', b'{"quota_set": {"networks": 1}}',
         'The networks quota is disabled'),
        ('2.36', b'{"quota_set": {"floating_ips": 1}}',
         'Additional properties'),
        ('2.57', b'{"quota_set": {"injected_files": 1}}',
         'Additional properties'),
    ]
    for version, body, message in cases:
        resp = api.put('/os-quota-sets/proj-b', body=body,
                       microversion=version)
        assert resp.status_code == 400, (body, resp.text)
        assert message in _message(resp), (body, resp.text)
    resp = api.put('/os-quota-sets/proj-b?user_id=u',
                   json={'quota_set': {'instances': 1}})
    assert resp.status_code == 501
    resp = api.get('/os-quota-sets/proj-b?bogus=1', microversion='2.75')
    assert resp.status_code == 400
    assert api.get('/os-quota-sets/proj-b?user_id=u').status_code == 200
    assert api.post('/os-quota-sets/proj-b', json={}).status_code == 405
    assert api.get('/os-quota-sets').status_code == 404


def test_policy(api):
    alice = api.as_user('alice:proj-a', roles=MEMBER)
    assert alice.get('/os-quota-sets/proj-a').status_code == 200
    assert alice.get('/os-quota-sets/proj-a/detail').status_code == 200
    for url in ('/os-quota-sets/proj-b', '/os-quota-sets/proj-b/detail'):
        resp = alice.get(url)
        assert resp.status_code == 403, resp.text
        assert 'os_compute_api:os-quota-sets:' in _message(resp)
    assert alice.get('/os-quota-sets/proj-b/defaults').status_code == 200
    assert _set(alice, 'proj-a', instances=100).status_code == 403
    assert alice.delete('/os-quota-sets/proj-a').status_code == 403


def test_instances_cores_ram_enforced_on_create(api):
    assert _set(api, 'proj-e', instances=2, cores=3, ram=2048,
                metadata_items=1).status_code == 200
    erin = api.as_user('erin:proj-e', roles=MEMBER)
    resp = _boot(erin, flavor='m1.medium', min_count=2)
    assert resp.status_code == 403
    assert _message(resp) == (
        'Quota exceeded for cores, ram: Requested 4, 8192, but already used '
        '0, 0 of 3, 2048 cores, ram')
    resp = _boot(erin, metadata={'a': '1', 'b': '2'})
    assert resp.status_code == 403
    assert _message(resp) == 'Maximum number of metadata items exceeds 1'
    resp = _boot(erin, name='first')
    assert resp.status_code == 202, resp.text
    uuids = [resp.json()['server']['id']]
    resp = _boot(erin, name='pair', min_count=2)
    assert resp.status_code == 403
    assert _message(resp) == ('Quota exceeded for instances: Requested 2, '
                              'but already used 1 of 2 instances')
    # min_count fits, max_count does not: as many as fit.
    resp = _boot(erin, name='some', min_count=1, max_count=3)
    assert resp.status_code == 202, resp.text
    listed = erin.get('/servers').json()['servers']
    assert len(listed) == 2
    uuids = [s['id'] for s in listed]
    resp = _boot(erin, name='third')
    assert resp.status_code == 403
    assert _message(resp) == ('Quota exceeded for instances: Requested 1, '
                              'but already used 2 of 2 instances')
    detail = erin.get('/os-quota-sets/proj-e/detail').json()['quota_set']
    assert detail['instances'] == {'in_use': 2, 'limit': 2, 'reserved': 0}
    assert detail['cores']['in_use'] == 2
    assert detail['ram']['in_use'] == 1024
    # Lowering a limit below usage needs force.
    resp = _set(api, 'proj-e', instances=1)
    assert resp.status_code == 400
    assert _message(resp) == ('Quota limit 1 for instances must be greater '
                              'than or equal to already used and reserved 2.')
    assert _set(api, 'proj-e', instances=1, force=True).status_code == 200
    cloud_mod.delete_servers(erin, uuids)
    assert _set(api, 'proj-e', instances=-1, ram=-1).status_code == 200
    resp = _boot(erin, name='wide', flavor='m1.medium', min_count=2)
    assert resp.status_code == 403
    assert _message(resp) == ('Quota exceeded for cores: Requested 4, but '
                              'already used 0 of 3 cores')
    assert api.delete('/os-quota-sets/proj-e').status_code == 202


def test_recheck_undoes_a_create_that_raced_past_the_first_check(
        api, monkeypatch):
    assert _set(api, 'proj-r', instances=1).status_code == 200
    rita = api.as_user('rita:proj-r', roles=MEMBER)
    resp = _boot(rita, name='first')
    assert resp.status_code == 202, resp.text
    first = resp.json()['server']['id']
    # As if a concurrent request had been counted before this one existed.
    monkeypatch.setattr(quotas, 'allowed_servers',
                        lambda quota, used, flavor, low, high: high)
    resp = _boot(rita, name='raced')
    assert resp.status_code == 403
    assert _message(resp) == ('Quota exceeded for instances: Requested 1, '
                              'but already used 1 of 1 instances')
    assert [s['id'] for s in rita.get('/servers').json()['servers']] == [
        first]
    cloud_mod.delete_servers(rita, [first])
    assert api.delete('/os-quota-sets/proj-r').status_code == 202


def test_personality_within_the_injected_file_quotas(api):
    ivy = api.as_user('ivy:proj-i', roles=MEMBER)
    ok = {'path': '/etc/motd', 'contents': 'aGVsbG8='}
    cases = [
        ([ok] * 6, 403, 'Personality file limit exceeded'),
        ([dict(ok, path='/' + 'p' * 255)], 403,
         'Personality file path exceeds maximum 255'),
        ([dict(ok, contents='QUFB' * 3414)], 403,
         'Personality file content exceeds maximum 10240'),
        ([dict(ok, contents='not base64!')], 400,
         'Personality content for /etc/motd cannot be decoded'),
        ([{'path': '/x', 'bogus': 1}], 400, 'Additional properties'),
    ]
    for files, status, message in cases:
        resp = _boot(ivy, personality=files)
        assert resp.status_code == status, resp.text
        assert message in _message(resp)
    resp = _boot(ivy, name='injected', personality=[ok])
    assert resp.status_code == 202, resp.text
    cloud_mod.delete_servers(ivy, [resp.json()['server']['id']])
