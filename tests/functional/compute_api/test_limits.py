"""GET /limits: the absolute limits and usage per microversion, another
project's for admins, bad input."""

import time

from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')
ALWAYS = {'maxTotalRAMSize': 51200, 'maxTotalInstances': 10,
          'maxTotalCores': 20, 'maxTotalKeypairs': 100, 'maxServerMeta': 128,
          'maxServerGroups': 10, 'maxServerGroupMembers': 10,
          'totalRAMUsed': 0, 'totalCoresUsed': 0, 'totalInstancesUsed': 0,
          'totalServerGroupsUsed': 0}
NETWORK = {'maxTotalFloatingIps': -1, 'maxSecurityGroups': -1,
           'maxSecurityGroupRules': -1, 'totalFloatingIpsUsed': 0,
           'totalSecurityGroupsUsed': 0}
PERSONALITY = {'maxPersonality': 5, 'maxPersonalitySize': 10240}


def _absolute(client, microversion='2.1', query=''):
    resp = client.get('/limits' + query, microversion=microversion)
    assert resp.status_code == 200, resp.text
    limits = resp.json()['limits']
    assert limits['rate'] == []
    return limits['absolute']


def test_shape_per_microversion(api):
    fresh = api.as_user('fay:proj-l', roles=MEMBER)
    assert _absolute(fresh) == dict(ALWAYS, **NETWORK, **PERSONALITY,
                                    maxImageMeta=128)
    assert _absolute(fresh, '2.36') == dict(ALWAYS, **PERSONALITY,
                                            maxImageMeta=128)
    assert _absolute(fresh, '2.39') == dict(ALWAYS, **PERSONALITY)
    assert _absolute(fresh, '2.57') == ALWAYS


def test_usage_and_other_projects(api):
    gus = api.as_user('gus:proj-g', roles=MEMBER)
    resp = gus.put('/os-quota-sets/proj-g', json={'quota_set': {
        'instances': 5}})
    assert resp.status_code == 403
    assert api.put('/os-quota-sets/proj-g', json={'quota_set': {
        'instances': 5}}).status_code == 200
    resp = gus.post('/servers', json={'server': {
        'name': 'counted', 'flavorRef': 'm1.small', 'networks': 'none',
        'imageRef': cloud_mod.IMAGE['id']}}, microversion='2.37')
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    resp = gus.post('/os-server-groups', json={'server_group': {
        'name': 'g', 'policies': ['affinity']}})
    assert resp.status_code == 200
    group = resp.json()['server_group']['id']
    absolute = _absolute(gus, '2.57')
    assert (absolute['maxTotalInstances'], absolute['totalInstancesUsed'],
            absolute['totalCoresUsed'], absolute['totalRAMUsed'],
            absolute['totalServerGroupsUsed']) == (5, 1, 1, 2048, 1)
    # An admin reads another project's; a member may not.
    theirs = _absolute(api, '2.57', '?tenant_id=proj-g')
    assert theirs['totalInstancesUsed'] == 1
    assert _absolute(api, '2.57')['maxTotalInstances'] == 10
    resp = gus.get('/limits?tenant_id=admin')
    assert resp.status_code == 403
    assert 'os_compute_api:limits:other_project' in resp.text
    assert gus.delete('/servers/%s' % uuid).status_code == 204
    deadline = time.monotonic() + 30
    while gus.get('/servers/%s' % uuid).status_code != 404:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert _absolute(gus)['totalInstancesUsed'] == 0
    assert gus.delete('/os-server-groups/%s' % group).status_code == 204
    api.delete('/os-quota-sets/proj-g')


def test_bad_input(api):
    assert api.get('/limits?bogus=1').status_code == 200
    assert api.get('/limits?reserved=False',
                   microversion='2.90').status_code == 200
    resp = api.get('/limits?bogus=1', microversion='2.75')
    assert resp.status_code == 400
    assert api.post('/limits', json={}).status_code == 405
    nobody = api.as_user('hal:proj-h', roles=())
    assert nobody.get('/limits').status_code == 200     # '@' as in Nova
