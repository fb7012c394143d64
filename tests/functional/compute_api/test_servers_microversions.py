"""Server shapes and list queries across microversions 2.1..2.90:
description (2.19), hostname (2.90), the update answer before and from
2.75, list filters and sorting per caller and version."""

import uuid as uuidlib

import pytest

from tests.functional.compute_api import test_servers as helpers

MEMBER = ('member', 'reader')
IMAGE = helpers.IMAGE


@pytest.fixture(scope='module')
def pair(shared):
    """Two ACTIVE servers of project proj-m (``a-one`` is the older):
    ``(member client, [uuid one, uuid two])``."""
    _cloud, api = shared
    member = api.as_user('mia:proj-m', roles=MEMBER)
    uuids = []
    for name in ('a-one', 'b-two'):
        uuids.append(helpers._boot(member, name=name))
        helpers._wait(member, uuids[-1])
    yield member, uuids
    for uuid in uuids:
        api.delete('/servers/%s' % uuid)


def _create(client, version, **server):
    body = {'name': 'x', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE,
            'networks': 'none'}
    body.update(server)
    return client.post('/servers', json={'server': body},
                       microversion=version)


def test_description_and_hostname_on_create_and_update(shared):
    _cloud, api = shared
    member = api.as_user('ned:proj-n', roles=MEMBER)
    resp = _create(member, '2.90', name='described', description='first',
                   hostname='my-host')
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    server = helpers._wait(member, uuid, microversion='2.90')
    assert server['description'] == 'first'
    # From 2.90 the hostname is shown to its owner too.
    assert server['OS-EXT-SRV-ATTR:hostname'] == 'my-host'
    assert 'OS-EXT-SRV-ATTR:host' not in server
    old = member.get('/servers/%s' % uuid, microversion='2.89').json()[
        'server']
    assert 'OS-EXT-SRV-ATTR:hostname' not in old
    resp = member.put('/servers/%s' % uuid, microversion='2.90', json={
        'server': {'description': None, 'hostname': 'renamed',
                   'name': 'new-name'}})
    assert resp.status_code == 200, resp.text
    updated = resp.json()['server']
    assert updated['description'] is None
    assert updated['OS-EXT-SRV-ATTR:hostname'] == 'renamed'
    assert updated['name'] == 'new-name'
    assert updated['server_groups'] == []
    # Before 2.75 the update answers without the extended attributes.
    resp = member.put('/servers/%s' % uuid, microversion='2.74', json={
        'server': {'description': 'again'}})
    assert resp.status_code == 200, resp.text
    updated = resp.json()['server']
    assert updated['description'] == 'again'
    assert 'OS-EXT-STS:vm_state' not in updated
    assert 'key_name' not in updated and 'security_groups' not in updated
    full = member.put('/servers/%s' % uuid, microversion='2.75', json={
        'server': {'name': 'n'}}).json()['server']
    assert full['OS-EXT-STS:vm_state'] == 'active'
    assert api.delete('/servers/%s' % uuid).status_code == 204


@pytest.mark.parametrize('version, server, status, message', [
    ('2.18', {'description': 'd'}, 400,
     "Additional properties are not allowed ('description' was "
     "unexpected)"),
    ('2.89', {'hostname': 'h1'}, 400,
     "Additional properties are not allowed ('hostname' was unexpected)"),
    ('2.90', {'hostname': 'bad_host!'}, 400,
     'Invalid input for field/attribute hostname'),
    ('2.90', {'hostname': 'h1', 'max_count': 2}, 400,
     'Unable to allocate a single hostname to multiple instances'),
    ('2.52', {'tags': ['a']}, 501, 'Server tags are not implemented yet.'),
    ('2.51', {'tags': ['a']}, 400,
     "Additional properties are not allowed ('tags' was unexpected)"),
])
def test_create_fields_follow_the_microversion(api, version, server, status,
                                               message):
    resp = _create(api, version, **server)
    assert resp.status_code == status, resp.text
    [(_name, fault)] = resp.json().items()
    assert message in fault['message']


def test_update_fields_follow_the_microversion(pair):
    member, (uuid, _two) = pair
    for version, body in (('2.18', {'description': 'd'}),
                          ('2.89', {'hostname': 'h1'}),
                          ('2.90', {'hostname': '-bad'}),
                          ('2.90', {'name': ''}),
                          ('2.90', {'bogus': 1})):
        resp = member.put('/servers/%s' % uuid, microversion=version,
                          json={'server': body})
        assert resp.status_code == 400, (version, body, resp.text)


def test_show_fields_at_2_90(pair):
    member, (uuid, _two) = pair
    server = member.get('/servers/%s' % uuid, microversion='latest').json()[
        'server']
    assert server['locked'] is False and server['locked_reason'] is None
    assert server['tags'] == []
    assert server['trusted_image_certificates'] is None
    assert server['server_groups'] == []
    assert server['description'] is None
    assert server['flavor']['original_name'] == 'm1.tiny'
    assert 'host_status' not in server


def _names(client, query, version='2.90'):
    resp = client.get('/servers/detail?' + query, microversion=version)
    assert resp.status_code == 200, resp.text
    return [s['name'] for s in resp.json()['servers']]


def test_list_filters_and_sorting(pair):
    member, (one, two) = pair
    assert _names(member, '') == ['b-two', 'a-one']     # newest first
    assert _names(member, 'sort_key=display_name&sort_dir=asc') == [
        'a-one', 'b-two']
    assert _names(member, 'sort_key=display_name&sort_dir=desc') == [
        'b-two', 'a-one']
    assert _names(member, 'image=%s' % IMAGE) == ['b-two', 'a-one']
    assert _names(member, 'image=%s' % uuidlib.uuid4()) == []
    assert _names(member, 'flavor=m1.tiny&name=one') == ['a-one']
    assert _names(member, 'flavor=m1.small') == []
    assert _names(member, 'status=active&name=two') == ['b-two']
    assert _names(member, 'changes-since=2000-01-01T00:00:00Z') == [
        'b-two', 'a-one']
    assert _names(member, 'changes-before=2000-01-01T00:00:00Z') == []
    assert _names(member, 'tags=x') == []
    assert _names(member, 'not-tags=x') == ['b-two', 'a-one']
    assert _names(member, 'locked=false&name=one') == ['a-one']
    # 2.83: a member may filter on vm_state (and more); before, the
    # filter is dropped.
    assert _names(member, 'vm_state=stopped') == []
    assert _names(member, 'vm_state=stopped', '2.82') == ['b-two', 'a-one']
    # host is an admin's filter: ignored for a member.
    assert _names(member, 'host=nowhere') == ['b-two', 'a-one']
    paged = member.get('/servers?limit=1&sort_key=display_name&sort_dir=asc',
                       microversion='2.90').json()
    assert [s['name'] for s in paged['servers']] == ['a-one']
    assert 'sort_key=display_name' in paged['servers_links'][0]['href']


def test_admin_filters(pair, api):
    _member, (one, two) = pair
    names = _names(api, 'all_tenants=1&project_id=proj-m')
    assert names == ['b-two', 'a-one']
    host = api.get('/servers/%s' % one).json()['server'][
        'OS-EXT-SRV-ATTR:host']
    assert 'a-one' in _names(api, 'all_tenants=1&host=%s' % host)
    assert _names(api, 'all_tenants=1&host=nowhere') == []
    assert _names(api, 'all_tenants=1&project_id=proj-m&deleted=true') == []


def test_deleted_servers_in_changes_since(shared):
    _cloud, api = shared
    member = api.as_user('dan:proj-d', roles=MEMBER)
    uuid = helpers._boot(member, name='short-lived')
    helpers._wait(member, uuid)
    assert member.delete('/servers/%s' % uuid).status_code == 204
    helpers._wait_gone(member, uuid)
    assert _names(member, '') == []
    servers = member.get('/servers/detail?changes-since=2000-01-01T00:00:00Z',
                         microversion='2.90').json()['servers']
    assert [(s['id'], s['status']) for s in servers] == [(uuid, 'DELETED')]
    deleted = api.get('/servers/detail?all_tenants=1&project_id=proj-d'
                      '&deleted=true', microversion='2.90').json()['servers']
    assert [s['id'] for s in deleted] == [uuid]


@pytest.mark.parametrize('query, version, message', [
    ('bogus=1', '2.75', 'Invalid input for query parameters bogus'),
    ('sort_key=nope', '2.1', 'sort_key'),
    ('sort_dir=sideways', '2.1', 'sort_dir'),
    ('changes-since=yesterday', '2.1', "'yesterday' is not a 'date-time'"),
    ('changes-since=2020-01-02T00:00:00Z&changes-before=2020-01-01T00:00:00Z',
     '2.66', 'The value of changes-since must be less than or equal to '
     'changes-before.'),
    ('all_tenants=maybe', '2.1', 'Invalid input received'),
    ('limit=-1', '2.1', 'limit'),
])
def test_list_query_errors(api, query, version, message):
    for url in ('/servers', '/servers/detail'):
        resp = api.get('%s?%s' % (url, query), microversion=version)
        assert resp.status_code == 400, (url, resp.text)
        assert message in resp.json()['badRequest']['message']


def test_unknown_params_ignored_before_2_75(api):
    assert api.get('/servers?bogus=1', microversion='2.74').status_code == 200
    # A sort key Nova ignores is accepted.
    assert api.get('/servers?sort_key=vcpus').status_code == 200


def test_topology_from_2_78(pair, api):
    member, (uuid, _two) = pair
    url = '/servers/%s/topology' % uuid
    assert member.get(url, microversion='2.77').status_code == 404
    resp = member.get(url, microversion='2.78')
    assert resp.status_code == 200, resp.text
    assert resp.json() == {'nodes': [], 'pagesize_kb': None}
    other = api.as_user('olga:proj-o', roles=MEMBER)
    assert other.get(url, microversion='2.78').status_code == 404


def test_reservation_id_and_ip_filters(shared):
    _cloud, api = shared
    owner = api.as_user('rita:proj-r', roles=MEMBER)
    resp = owner.post('/servers', json={'server': {
        'name': 'resv', 'flavorRef': 'm1.tiny', 'imageRef': IMAGE,
        'min_count': 2, 'return_reservation_id': True}})
    assert resp.status_code == 202, resp.text
    reservation = resp.json()['reservation_id']
    assert reservation.startswith('r-')
    servers = owner.get('/servers/detail?reservation_id=%s' % reservation,
                        microversion='2.90').json()['servers']
    assert sorted(s['name'] for s in servers) == ['resv-1', 'resv-2']
    uuids = [s['id'] for s in servers]
    details = [helpers._wait(api, uuid, microversion='2.3')
               for uuid in uuids]
    assert {d['OS-EXT-SRV-ATTR:reservation_id'] for d in details} == {
        reservation}
    assert owner.get('/servers?reservation_id=r-none').json() == {
        'servers': []}
    address = [a['addr'] for addrs in details[0]['addresses'].values()
               for a in addrs][0]
    found = owner.get('/servers?ip=^%s$' % address.replace('.', r'\.'),
                      microversion='2.90').json()['servers']
    assert [s['id'] for s in found] == [uuids[0]]
    assert owner.get('/servers?ip6=.', microversion='2.90').json()[
        'servers'] == []
    for uuid in uuids:
        assert api.delete('/servers/%s' % uuid).status_code == 204


def test_host_status_from_2_16(pair, api):
    member, (uuid, _two) = pair
    url = '/servers/%s' % uuid
    server = api.get(url, microversion='2.16').json()['server']
    assert server['host_status'] == 'UP'
    assert 'host_status' not in api.get(url, microversion='2.15').json()[
        'server']
    assert 'host_status' not in member.get(url, microversion='2.16').json()[
        'server']
    [service] = api.get('/os-services?binary=nova-compute&host=%s'
                        % server['OS-EXT-SRV-ATTR:host'],
                        microversion='2.53').json()['services']
    service_url = '/os-services/%s' % service['id']
    for change, status in (({'status': 'disabled'}, 'MAINTENANCE'),
                           ({'forced_down': True}, 'DOWN')):
        resp = api.put(service_url, json=change, microversion='2.53')
        assert resp.status_code == 200, resp.text
        detail = [s for s in api.get(
            '/servers/detail?all_tenants=1', microversion='2.90').json()[
                'servers'] if s['id'] == uuid][0]
        assert detail['host_status'] == status
    for change in ({'forced_down': False}, {'status': 'enabled'}):
        assert api.put(service_url, json=change,
                       microversion='2.53').status_code == 200
    assert api.get(url, microversion='2.90').json()['server'][
        'host_status'] == 'UP'


@pytest.mark.parametrize('field, value', [
    ('accessIPv4', '300.1.1.1'), ('accessIPv6', 'not-v6'),
    ('OS-DCF:diskConfig', 'SIDEWAYS')])
def test_create_and_update_formats(pair, api, field, value):
    member, (uuid, _two) = pair
    resp = _create(api, '2.90', **{field: value})
    assert resp.status_code == 400, resp.text
    assert 'Invalid input for field/attribute %s' % field in resp.text
    resp = member.put('/servers/%s' % uuid, json={'server': {field: value}})
    assert resp.status_code == 400, resp.text


def test_update_before_scheduling_changes_the_build_request(shared):
    from nova_core.db import build_request as db_build_request
    from nova_core.db import instance_mapping as db_instance_mapping
    cloud, api = shared
    member = api.as_user('bea:proj-b', roles=MEMBER)
    uuid = str(uuidlib.uuid4())
    # A server the conductor has not been asked to schedule: only its API
    # database records.
    with cloud.cells.api.writer(cloud.ctx) as conn:
        db_build_request.create(conn, uuid, 'proj-b', {
            'uuid': uuid, 'project_id': 'proj-b', 'user_id': 'bea',
            'display_name': 'waiting', 'vm_state': 'building',
            'task_state': 'scheduling', 'flavor': {'flavorid': 'm1.tiny'},
            'system_metadata': {}})
        db_instance_mapping.create(conn, instance_uuid=uuid,
                                   project_id='proj-b', user_id='bea')
    resp = member.put('/servers/%s' % uuid, microversion='2.90', json={
        'server': {'name': 'renamed', 'description': 'early',
                   'hostname': 'early-host'}})
    assert resp.status_code == 200, resp.text
    server = resp.json()['server']
    assert (server['name'], server['description'], server['status'],
            server['OS-EXT-SRV-ATTR:hostname']) == (
        'renamed', 'early', 'BUILD', 'early-host')
    assert member.delete('/servers/%s' % uuid).status_code == 204
    assert member.get('/servers/%s' % uuid).status_code == 404
