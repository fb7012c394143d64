"""os-services through the compute API: the records of computes, conductors
and the scheduler, enabling and disabling (down to placement's
COMPUTE_STATUS_DISABLED trait), forcing down and deleting."""

import time
import uuid as uuidlib

import pytest

from nova_core.db import cell_mapping
from nova_core.db import host_mapping
from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')
HOST1, HOST2 = 'cell1-host1', 'cell1-host2'
# Fixed, so that parallel workers collect the same test ids.
UNKNOWN = '5d3c2b1a-0f9e-4d8c-b7a6-e5f4d3c2b1a0'


def _services(api, microversion='2.53', **query):
    url = '/os-services'
    if query:
        url += '?' + '&'.join('%s=%s' % kv for kv in query.items())
    resp = api.get(url, microversion=microversion)
    assert resp.status_code == 200, resp.text
    return resp.json()['services']


def _eventually(check, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, 'condition not met in time'
        time.sleep(0.2)


def _compute(api, host):
    return _services(api, host=host, binary='nova-compute')[0]


def _traits(cloud, host):
    rps = cloud.placement.get(cloud.ctx, '/resource_providers?name=%s'
                              % host).json()['resource_providers']
    assert len(rps) == 1, rps
    return cloud.placement.get(cloud.ctx, '/resource_providers/%s/traits'
                               % rps[0]['uuid']).json()['traits']


def test_list_every_binary_with_nova_names(api):
    # Every service registers, then reports (a compute's record exists a
    # moment before its first heartbeat says it is up).
    def all_up():
        found = _services(api)
        binaries = {s['binary'] for s in found}
        if binaries >= {'nova-compute', 'nova-conductor', 'nova-scheduler'} \
                and all(s['state'] == 'up' for s in found):
            return found
        return None

    found = _eventually(all_up)
    by_binary = {}
    for service in found:
        by_binary.setdefault(service['binary'], []).append(service)
    assert sorted(s['host'] for s in by_binary['nova-compute']) == [
        HOST1, HOST2]
    for service in found:
        assert service['state'] == 'up', service
        assert service['status'] == 'enabled'
        assert uuidlib.UUID(service['id'])
        assert service['zone'] == ('nova' if service['binary'] ==
                                   'nova-compute' else 'internal')
        assert service['forced_down'] is False
        assert service['updated_at'] and 'Z' not in service['updated_at']
    old = _services(api, microversion='2.1', binary='nova-compute')
    assert {s['host'] for s in old} == {HOST1, HOST2}
    assert all(isinstance(s['id'], int) for s in old)
    assert 'forced_down' not in old[0]
    assert 'forced_down' in _services(api, microversion='2.11')[0]
    assert [s['host'] for s in _services(api, host=HOST1)] == [HOST1]
    assert _services(api, host='nowhere') == []
    # Unknown query parameters: ignored before 2.75, refused from it.
    assert _services(api, microversion='2.74', foo='bar')
    resp = api.get('/os-services?foo=bar', microversion='2.75')
    assert resp.status_code == 400, resp.text


def test_admin_only(api):
    member = api.as_user('demo:demo-project', roles=MEMBER)
    for method, url in (('get', '/os-services'),
                        ('put', '/os-services/%s' % uuidlib.uuid4()),
                        ('delete', '/os-services/%s' % uuidlib.uuid4())):
        kwargs = {'json': {'status': 'enabled'}} if method == 'put' else {}
        resp = getattr(member, method)(url, microversion='2.53', **kwargs)
        assert resp.status_code == 403, (url, resp.text)


def test_disable_enable_reach_placement(shared, api):
    cloud = shared[0]
    service = _compute(api, HOST2)
    resp = api.put('/os-services/%s' % service['id'], microversion='2.53',
                   json={'status': 'disabled', 'disabled_reason': 'maint'})
    assert resp.status_code == 200, resp.text
    shown = resp.json()['service']
    assert shown['status'] == 'disabled' and shown['id'] == service['id']
    assert shown['disabled_reason'] == 'maint'
    _eventually(lambda: 'COMPUTE_STATUS_DISABLED' in _traits(cloud, HOST2))
    resp = api.put('/os-services/%s' % service['id'], microversion='2.53',
                   json={'status': 'enabled'})
    assert resp.status_code == 200, resp.text
    assert resp.json()['service']['disabled_reason'] is None
    _eventually(lambda: 'COMPUTE_STATUS_DISABLED' not in _traits(
        cloud, HOST2))


def test_force_down_v253(api):
    service = _compute(api, HOST2)
    resp = api.put('/os-services/%s' % service['id'], microversion='2.53',
                   json={'forced_down': True})
    assert resp.status_code == 200, resp.text
    assert resp.json()['service']['forced_down'] is True
    assert resp.json()['service']['state'] == 'down'
    resp = api.put('/os-services/%s' % service['id'], microversion='2.53',
                   json={'forced_down': False})
    assert resp.json()['service']['forced_down'] is False


def test_legacy_actions(api):
    body = {'host': HOST2, 'binary': 'nova-compute'}
    resp = api.put('/os-services/disable', json=body)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {'service': dict(body, status='disabled')}
    resp = api.put('/os-services/disable-log-reason',
                   json=dict(body, disabled_reason='why'))
    assert resp.json() == {'service': dict(
        body, status='disabled', disabled_reason='why')}
    assert _compute(api, HOST2)['disabled_reason'] == 'why'
    resp = api.put('/os-services/enable', json=body)
    assert resp.json() == {'service': dict(body, status='enabled')}
    resp = api.put('/os-services/force-down', microversion='2.11',
                   json=dict(body, forced_down=True))
    assert resp.json() == {'service': dict(body, forced_down=True)}
    api.put('/os-services/force-down', microversion='2.11',
            json=dict(body, forced_down=False))
    assert _compute(api, HOST2)['forced_down'] is False


@pytest.mark.parametrize('url, microversion, body, status, message', [
    ('/os-services/force-down', '2.10',
     {'host': HOST2, 'binary': 'nova-compute', 'forced_down': True},
     404, 'Unknown action'),
    ('/os-services/reboot', '2.1', {'host': HOST2, 'binary': 'nova-compute'},
     404, 'Unknown action'),
    ('/os-services/disable', '2.1',
     {'host': 'nowhere', 'binary': 'nova-compute'}, 404,
     'Could not find binary nova-compute on host nowhere.'),
    ('/os-services/disable', '2.1', {'host': HOST2}, 400,
     "'binary' is a required property"),
    ('/os-services/disable', '2.1',
     {'host': HOST2, 'binary': 'nova-compute', 'x': 1}, 400,
     'Additional properties are not allowed'),
    ('/os-services/disable-log-reason', '2.1',
     {'host': HOST2, 'binary': 'nova-compute'}, 400,
     'Missing disabled reason field'),
    ('/os-services/force-down', '2.11',
     {'host': HOST2, 'binary': 'nova-compute'}, 400,
     'Missing forced_down field'),
    ('/os-services/disable', '2.53', {'status': 'disabled'}, 400,
     'Invalid uuid disable'),
    ('/os-services/%s' % UNKNOWN, '2.53', {'status': 'disabled'},
     404, 'could not be found'),
    ('/os-services/%s' % UNKNOWN, '2.53', {'status': 'off'}, 400,
     'Invalid input for field/attribute status'),
    ('/os-services/%s' % UNKNOWN, '2.53', {'forced_down': 'yes'},
     400, 'Invalid input for field/attribute forced_down'),
])
def test_update_bad_input(api, url, microversion, body, status, message):
    resp = api.put(url, json=body, microversion=microversion)
    assert resp.status_code == status, resp.text
    fault = next(iter(resp.json().values()))
    assert fault['code'] == status and message in fault['message'], fault


def test_update_bad_json_and_non_compute(api):
    service = _compute(api, HOST2)
    url = '/os-services/%s' % service['id']
    for body, message in (
            ({}, "No updates were requested. Fields 'status' or "
                 "'forced_down' should be specified."),
            ({'disabled_reason': 'x'}, "No updates were requested. Fields "
             "'status' or 'forced_down' should be specified."),
            ({'status': 'enabled', 'disabled_reason': 'x'},
             "Specifying 'disabled_reason' with status 'enabled' is "
             "invalid.")):
        resp = api.put(url, json=body, microversion='2.53')
        assert resp.status_code == 400, resp.text
        assert resp.json()['badRequest']['message'] == message
    resp = api.put('/os-services/disable', json={
        'host': 'vm', 'binary': 'nova-scheduler'})
    assert resp.status_code == 400, resp.text
    assert 'Only nova-compute services can be updated' in resp.text
    resp = api.request('PUT', '/os-services/%s' % service['id'],
                       body=b'{nope', microversion='2.53')
    assert resp.status_code == 400, resp.text
    assert resp.json()['badRequest']['message'] == 'Malformed request body'
    conductor = _services(api, binary='nova-conductor')[0]
    resp = api.put('/os-services/%s' % conductor['id'], microversion='2.53',
                   json={'status': 'disabled'})
    assert resp.status_code == 400, resp.text
    assert resp.json()['badRequest']['message'] == (
        'Updating a nova-conductor service is not supported. Only '
        'nova-compute services can be updated.')


def test_delete_bad_input(api):
    resp = api.delete('/os-services/abc', microversion='2.53')
    assert resp.status_code == 400
    assert resp.json()['badRequest']['message'] == 'Invalid uuid abc'
    resp = api.delete('/os-services/%s' % uuidlib.uuid4(),
                      microversion='2.53')
    assert resp.status_code == 404, resp.text
    resp = api.delete('/os-services/abc')
    assert resp.json()['badRequest']['message'] == (
        'Invalid input received: id must be an integer')
    resp = api.delete('/os-services/99999')
    assert resp.json()['itemNotFound']['message'] == (
        'Service 99999 not found.')


def test_cell_that_does_not_answer(shared, api):
    """Its services are left out before 2.69; from 2.69 its computes are
    listed from their host mappings, status UNKNOWN."""
    cloud = shared[0]
    with cloud.cells.api.reader(cloud.ctx) as conn:
        cell = [c for c in cell_mapping.get_all(conn)
                if c['name'] == 'cell1'][0]
    with cloud.cells.api.writer(cloud.ctx) as conn:
        cell_mapping.update(conn, cell['uuid'], {
            'database_connection': 'sqlite:////nonexistent/dir/c.sqlite'})
    try:
        assert _services(api, microversion='2.68') == []
        found = _services(api, microversion='2.69')
        assert sorted(s['host'] for s in found) == [HOST1, HOST2]
        assert found[0] == {'binary': 'nova-compute', 'host': found[0][
            'host'], 'status': 'UNKNOWN'}
        assert _services(api, microversion='2.69', host=HOST1) == [{
            'binary': 'nova-compute', 'host': HOST1, 'status': 'UNKNOWN'}]
        assert _services(api, microversion='2.69',
                         binary='nova-scheduler') == []
    finally:
        with cloud.cells.api.writer(cloud.ctx) as conn:
            cell_mapping.update(conn, cell['uuid'], {
                'database_connection': cell['database_connection']})


def test_delete_compute(shared, api):
    """Last in the module: host2 goes away for good."""
    cloud = shared[0]
    # A compute hosting a server cannot be deleted.
    resp = api.post('/servers', microversion='2.37', json={'server': {
        'name': 'pinned', 'flavorRef': 'm1.tiny', 'networks': 'none',
        'imageRef': cloud_mod.IMAGE['id']}})
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    server = cloud.wait_for([uuid])[uuid]
    busy = server['host']
    other = HOST1 if busy == HOST2 else HOST2
    resp = api.delete('/os-services/%s' % _compute(api, busy)['id'],
                      microversion='2.53')
    assert resp.status_code == 409, resp.text
    assert resp.json()['conflictingRequest']['message'] == (
        'Unable to delete compute service that is hosting instances. '
        'Migrate or delete the instances first.')
    # The idle one goes, with its node, provider and host mapping (it is
    # stopped first, as an operator does: a running compute registers
    # again).
    cloud.computes[other].stop()
    service = _compute(api, other)
    assert other in [h['hypervisor_hostname'] for h in api.get(
        '/os-hypervisors').json()['hypervisors']]
    resp = api.delete('/os-services/%s' % service['id'], microversion='2.53')
    assert resp.status_code == 204, resp.text
    assert _services(api, host=other) == []
    assert other not in [h['hypervisor_hostname'] for h in api.get(
        '/os-hypervisors').json()['hypervisors']]
    assert cloud.placement.get(
        cloud.ctx, '/resource_providers?name=%s' % other).json()[
            'resource_providers'] == []
    with cloud.cells.api.reader(cloud.ctx) as conn:
        assert other not in [m['host'] for m in host_mapping.get_all(conn)]



def test_disabling_reaches_placement_before_the_periodic_update(make_api):
    """As Nova's API: the compute is told at once (compute RPC 1.2), so the
    trait does not wait for a resource update that is 10 minutes away."""
    cloud, api = make_api(hosts_per_cell=1, overrides={
        (None, 'periodic_interval'): 600})
    host = 'cell1-host1'
    service = _eventually(lambda: _services(api, host=host))[0]
    _eventually(lambda: _traits(cloud, host) is not None)
    assert 'COMPUTE_STATUS_DISABLED' not in _traits(cloud, host)
    resp = api.put('/os-services/%s' % service['id'], microversion='2.53',
                   json={'status': 'disabled'})
    assert resp.status_code == 200, resp.text
    _eventually(lambda: 'COMPUTE_STATUS_DISABLED' in _traits(cloud, host),
                timeout=10)
    resp = api.put('/os-services/%s' % service['id'], microversion='2.53',
                   json={'status': 'enabled'})
    assert resp.status_code == 200, resp.text
    _eventually(lambda: 'COMPUTE_STATUS_DISABLED' not in _traits(
        cloud, host), timeout=10)
