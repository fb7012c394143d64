"""os-aggregates through the compute API: CRUD, hosts mirrored into
placement aggregates, metadata, availability zone rules, bad input."""

import pytest

HOST1, HOST2 = 'cell1-host1', 'cell1-host2'


def _create(api, name, zone=None, microversion='2.41'):
    body = {'aggregate': {'name': name}}
    if zone is not None:
        body['aggregate']['availability_zone'] = zone
    resp = api.post('/os-aggregates', json=body, microversion=microversion)
    assert resp.status_code == 200, resp.text
    return resp.json()['aggregate']


def _action(api, agg_id, body, status=200):
    resp = api.post('/os-aggregates/%s/action' % agg_id, json=body,
                    microversion='2.41')
    assert resp.status_code == status, resp.text
    return resp.json()


def _fault(resp, status):
    assert resp.status_code == status, resp.text
    [(name, fault)] = resp.json().items()
    assert fault['code'] == status
    return fault['message']


def _provider_aggregates(cloud, host):
    rps = cloud.placement.get(cloud.ctx, '/resource_providers?name=%s'
                              % host).json()['resource_providers']
    assert len(rps) == 1, rps
    resp = cloud.placement.get(
        cloud.ctx, '/resource_providers/%s/aggregates' % rps[0]['uuid'],
        version='1.19')
    assert resp.status_code == 200, resp.text
    return resp.json()['aggregates']


def test_crud(api):
    created = _create(api, 'crud', zone='z-crud')
    assert created['name'] == 'crud'
    assert created['availability_zone'] == 'z-crud'
    assert 'hosts' not in created and 'metadata' not in created
    assert created['uuid'] and created['deleted'] is False
    agg_id = created['id']
    shown = api.get('/os-aggregates/%s' % agg_id).json()['aggregate']
    assert shown['hosts'] == [] and shown['metadata'] == {
        'availability_zone': 'z-crud'}
    assert 'uuid' not in shown                     # before 2.41
    listed = api.get('/os-aggregates', microversion='2.41').json()[
        'aggregates']
    assert created['uuid'] in [a['uuid'] for a in listed]
    resp = api.put('/os-aggregates/%s' % agg_id, microversion='2.41',
                   json={'aggregate': {'name': 'crud2',
                                       'availability_zone': 'z2'}})
    assert resp.status_code == 200, resp.text
    updated = resp.json()['aggregate']
    assert updated['name'] == 'crud2'
    assert updated['availability_zone'] == 'z2'
    assert updated['metadata'] == {'availability_zone': 'z2'}
    # A zone cannot be emptied (Nova's rule).
    resp = api.put('/os-aggregates/%s' % agg_id, json={
        'aggregate': {'availability_zone': None}})
    assert _fault(resp, 400) == (
        'Cannot update aggregate %s. Reason: Aggregate crud2 does not '
        'support empty named availability zone.' % agg_id)
    resp = api.delete('/os-aggregates/%s' % agg_id)
    assert resp.status_code == 200 and not resp.content
    assert _fault(api.get('/os-aggregates/%s' % agg_id), 404) == (
        'Aggregate %s could not be found.' % agg_id)


def test_name_is_unique(api):
    _create(api, 'unique')
    resp = api.post('/os-aggregates', json={'aggregate': {'name': 'unique'}})
    assert _fault(resp, 409) == 'Aggregate unique already exists.'
    other = _create(api, 'unique-other')
    resp = api.put('/os-aggregates/%s' % other['id'],
                   json={'aggregate': {'name': 'unique'}})
    assert _fault(resp, 409) == 'Aggregate unique already exists.'


def test_hosts_mirrored_into_placement(shared, api):
    cloud = shared[0]
    agg = _create(api, 'mirror')
    body = _action(api, agg['id'], {'add_host': {'host': HOST1}})
    assert body['aggregate']['hosts'] == [HOST1]
    assert agg['uuid'] in _provider_aggregates(cloud, HOST1)
    assert agg['uuid'] not in _provider_aggregates(cloud, HOST2)
    message = _fault(api.post('/os-aggregates/%s/action' % agg['id'],
                              json={'add_host': {'host': HOST1}}), 409)
    assert message == 'Aggregate %s already has host %s.' % (agg['id'],
                                                             HOST1)
    # A non-empty aggregate cannot be deleted.
    message = _fault(api.delete('/os-aggregates/%s' % agg['id']), 400)
    assert 'Host aggregate is not empty' in message
    body = _action(api, agg['id'], {'remove_host': {'host': HOST1}})
    assert body['aggregate']['hosts'] == []
    assert agg['uuid'] not in _provider_aggregates(cloud, HOST1)
    message = _fault(api.post('/os-aggregates/%s/action' % agg['id'],
                              json={'remove_host': {'host': HOST1}}), 404)
    assert message == 'Cannot remove host %s in aggregate %s' % (
        HOST1, agg['id'])
    assert api.delete('/os-aggregates/%s' % agg['id']).status_code == 200


def test_metadata_and_zones(api):
    east = _create(api, 'east', zone='east')
    west = _create(api, 'west', zone='west')
    plain = _create(api, 'plain')
    _action(api, east['id'], {'add_host': {'host': HOST2}})
    # A host is in one zone at most.
    message = _fault(api.post('/os-aggregates/%s/action' % west['id'],
                              json={'add_host': {'host': HOST2}}), 409)
    assert message == (
        "Cannot add host to aggregate %s. Reason: One or more hosts already "
        "in availability zone(s) ['east']." % west['id'])
    _action(api, plain['id'], {'add_host': {'host': HOST2}})
    message = _fault(api.post(
        '/os-aggregates/%s/action' % plain['id'], json={
            'set_metadata': {'metadata': {'availability_zone': 'west'}}}),
        400)
    assert message.startswith('Cannot update metadata of aggregate %s.'
                              % plain['id'])
    message = _fault(api.put('/os-aggregates/%s' % plain['id'], json={
        'aggregate': {'availability_zone': 'west'}}), 400)
    assert message.startswith('Cannot update aggregate %s.' % plain['id'])
    # The same zone is fine; metadata keys come and go.
    body = _action(api, plain['id'], {'set_metadata': {'metadata': {
        'availability_zone': 'east', 'ssd': 'true'}}})
    assert body['aggregate']['metadata'] == {'availability_zone': 'east',
                                             'ssd': 'true'}
    assert body['aggregate']['availability_zone'] == 'east'
    message = _fault(api.post(
        '/os-aggregates/%s/action' % plain['id'], json={
            'set_metadata': {'metadata': {'availability_zone': None}}}), 400)
    assert 'does not support empty named availability zone' in message
    body = _action(api, plain['id'], {'set_metadata': {'metadata': {
        'ssd': None}}})
    assert body['aggregate']['metadata'] == {'availability_zone': 'east'}
    for agg in (east, plain):
        _action(api, agg['id'], {'remove_host': {'host': HOST2}})
    for agg in (east, west, plain):
        assert api.delete('/os-aggregates/%s' % agg['id']).status_code == 200


@pytest.mark.parametrize('body, message', [
    ({'add_host': {'host': 'nowhere'}},
     'Compute host nowhere could not be found.'),
    ({'remove_host': {'host': 'nowhere'}},
     'Cannot remove host nowhere in aggregate %(id)s'),
])
def test_unknown_host(api, body, message):
    agg = _create(api, 'unknown-host-%s' % next(iter(body)))
    resp = api.post('/os-aggregates/%s/action' % agg['id'], json=body)
    assert _fault(resp, 404) == message % {'id': agg['id']}


@pytest.mark.parametrize('method, url, body, status, message', [
    ('post', '/os-aggregates', {}, 400, "'aggregate' is a required"),
    ('post', '/os-aggregates', {'aggregate': {}}, 400,
     "'name' is a required property"),
    ('post', '/os-aggregates', {'aggregate': {'name': ' x'}}, 400,
     'Invalid input for field/attribute name'),
    ('post', '/os-aggregates', {'aggregate': {'name': 'x' * 256}}, 400,
     'Invalid input for field/attribute name'),
    ('post', '/os-aggregates', {'aggregate': {'name': 'a', 'x': 1}}, 400,
     'Additional properties are not allowed'),
    ('post', '/os-aggregates', {'aggregate': {
        'name': 'a', 'availability_zone': ''}}, 400,
     'Invalid input for field/attribute availability_zone'),
    ('get', '/os-aggregates/abc', None, 400,
     'Invalid input received: id must be an integer'),
    ('get', '/os-aggregates/99999', None, 404,
     'Aggregate 99999 could not be found.'),
    ('put', '/os-aggregates/99999', {'aggregate': {'name': 'n'}}, 404,
     'Aggregate 99999 could not be found.'),
    ('put', '/os-aggregates/1', {'aggregate': {}}, 400, 'Invalid input'),
    ('delete', '/os-aggregates/99999', None, 404,
     'Aggregate 99999 could not be found.'),
    ('post', '/os-aggregates/99999/action', {'add_host': {'host': HOST1}},
     404, 'Aggregate 99999 could not be found.'),
    ('post', '/os-aggregates/1/action', {'reboot': {}}, 400,
     'There is no such action: reboot'),
    ('post', '/os-aggregates/1/action', {'add_host': {}}, 400,
     "'host' is a required property"),
    ('post', '/os-aggregates/1/action', {'add_host': {'host': 'a b'}}, 400,
     'Invalid input for field/attribute host'),
    ('post', '/os-aggregates/1/action', {'set_metadata': {}}, 400,
     "'metadata' is a required property"),
    ('post', '/os-aggregates/1/action',
     {'set_metadata': {'metadata': {'k': 1}}}, 400, 'Invalid input'),
    ('post', '/os-aggregates/1/action',
     {'set_metadata': {'metadata': {'k/x': 'v'}}}, 400, 'Invalid input'),
])
def test_bad_input(api, method, url, body, status, message):
    kwargs = {'json': body} if body is not None else {}
    resp = getattr(api, method)(url, **kwargs)
    assert message in _fault(resp, status)


def test_bad_json(api):
    agg = _create(api, 'bad-json')
    for url in ('/os-aggregates', '/os-aggregates/%s/action' % agg['id']):
        resp = api.request('POST', url, body=b'{nope')
        assert _fault(resp, 400) == 'Malformed request body'


def test_admin_only(api):
    member = api.as_user('demo:demo-project', roles=('member', 'reader'))
    assert member.get('/os-aggregates').status_code == 403
    resp = member.post('/os-aggregates', json={'aggregate': {'name': 'm'}})
    assert resp.status_code == 403
    resp = member.post('/os-aggregates/1/action',
                       json={'add_host': {'host': HOST1}})
    assert resp.status_code == 403
