"""os-hypervisors through the compute API: the compute nodes of every cell
with their services, per microversion; paging, patterns, servers."""

import uuid as uuidlib

import pytest

from tests import cloud as cloud_mod

HOSTS = ['cell1-host1', 'cell1-host2']
FIGURES = {'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
           'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload',
           'running_vms', 'disk_available_least'}


@pytest.fixture(scope='module')
def server(shared):
    cloud, api = shared
    resp = api.post('/servers', microversion='2.37', json={'server': {
        'name': 'on-a-hypervisor', 'flavorRef': 'm1.tiny',
        'networks': 'none', 'imageRef': cloud_mod.IMAGE['id']}})
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    return cloud.wait_for([uuid])[uuid]


def _get(api, url, version, status=200):
    resp = api.get(url, microversion=version)
    assert resp.status_code == status, resp.text
    return resp.json()


def test_list_and_detail_by_version(api, server):
    brief = _get(api, '/os-hypervisors', '2.1')['hypervisors']
    assert sorted(h['hypervisor_hostname'] for h in brief) == HOSTS
    assert set(brief[0]) == {'id', 'hypervisor_hostname', 'state', 'status'}
    assert isinstance(brief[0]['id'], int)
    assert all(h['state'] == 'up' and h['status'] == 'enabled'
               for h in brief)
    detail = _get(api, '/os-hypervisors/detail', '2.1')['hypervisors']
    node = next(h for h in detail if h['hypervisor_hostname'] ==
                server['host'])
    assert FIGURES <= set(node)
    assert node['hypervisor_type'] == 'fake'
    assert node['running_vms'] == 1
    assert isinstance(node['cpu_info'], str)          # before 2.28
    assert node['service']['host'] == server['host']
    assert isinstance(node['service']['id'], int)
    node = _get(api, '/os-hypervisors/detail', '2.28')['hypervisors'][0]
    assert isinstance(node['cpu_info'], dict)
    detail = _get(api, '/os-hypervisors/detail', '2.53')['hypervisors']
    assert all(uuidlib.UUID(h['id']) and uuidlib.UUID(h['service']['id'])
               for h in detail)
    detail = _get(api, '/os-hypervisors/detail', '2.88')['hypervisors']
    assert not FIGURES & set(detail[0]) and 'cpu_info' not in detail[0]
    assert {'uptime', 'host_ip', 'hypervisor_version'} <= set(detail[0])


def test_show_uptime_statistics(api, server):
    brief = _get(api, '/os-hypervisors', '2.1')['hypervisors']
    ident = next(h['id'] for h in brief
                 if h['hypervisor_hostname'] == server['host'])
    shown = _get(api, '/os-hypervisors/%s' % ident, '2.1')['hypervisor']
    assert shown['hypervisor_hostname'] == server['host']
    assert 'uptime' not in shown
    uptime = _get(api, '/os-hypervisors/%s/uptime' % ident, '2.1')
    assert 'load average' in uptime['hypervisor']['uptime']
    stats = _get(api, '/os-hypervisors/statistics', '2.1')[
        'hypervisor_statistics']
    assert stats['count'] == 2 and stats['running_vms'] == 1
    assert set(stats) == FIGURES | {'count'}
    uuid = _get(api, '/os-hypervisors', '2.53')['hypervisors'][0]['id']
    shown = _get(api, '/os-hypervisors/%s' % uuid, '2.88')['hypervisor']
    assert 'load average' in shown['uptime'] and 'vcpus' not in shown
    # Gone in 2.88.
    _get(api, '/os-hypervisors/statistics', '2.88', 404)
    _get(api, '/os-hypervisors/%s/uptime' % uuid, '2.88', 404)


def test_servers_and_patterns(api, server):
    found = _get(api, '/os-hypervisors/%s/servers' % server['host'],
                 '2.1')['hypervisors']
    assert [s['uuid'] for s in found[0]['servers']] == [server['uuid']]
    found = _get(api, '/os-hypervisors/host/search', '2.1')['hypervisors']
    assert len(found) == 2
    assert _get(api, '/os-hypervisors/zzz/search', '2.1', 404)[
        'itemNotFound']['message'] == (
            "No hypervisor matching 'zzz' could be found.")
    # 2.53: query parameters instead of routes.
    _get(api, '/os-hypervisors/host/search', '2.53', 404)
    found = _get(api, '/os-hypervisors?hypervisor_hostname_pattern=%s'
                 '&with_servers=true' % server['host'], '2.53')[
        'hypervisors']
    assert [s['uuid'] for s in found[0]['servers']] == [server['uuid']]
    other = [h for h in HOSTS if h != server['host']][0]
    found = _get(api, '/os-hypervisors?hypervisor_hostname_pattern=%s'
                 '&with_servers=1' % other, '2.53')['hypervisors']
    assert 'servers' not in found[0]          # before 2.75: left out
    found = _get(api, '/os-hypervisors?hypervisor_hostname_pattern=%s'
                 '&with_servers=1' % other, '2.75')['hypervisors']
    assert found[0]['servers'] == []
    uuid = found[0]['id']
    shown = _get(api, '/os-hypervisors/%s?with_servers=true' % uuid,
                 '2.75')['hypervisor']
    assert shown['servers'] == []


def test_paging(api):
    first = _get(api, '/os-hypervisors?limit=1', '2.33')
    assert len(first['hypervisors']) == 1
    link = first['hypervisors_links'][0]['href']
    assert 'marker=%s' % first['hypervisors'][0]['id'] in link
    rest = _get(api, '/os-hypervisors?marker=%s' %
                first['hypervisors'][0]['id'], '2.33')['hypervisors']
    assert len(rest) == 1 and rest[0]['id'] != first['hypervisors'][0]['id']
    page = _get(api, '/os-hypervisors/detail?limit=1', '2.53')
    uuid = page['hypervisors'][0]['id']
    assert len(_get(api, '/os-hypervisors/detail?marker=%s' % uuid,
                    '2.53')['hypervisors']) == 1


@pytest.mark.parametrize('url, version, status, message', [
    ('/os-hypervisors/999', '2.1', 404,
     "Hypervisor with ID '999' could not be found."),
    ('/os-hypervisors/abc', '2.1', 404,
     "Hypervisor with ID 'abc' could not be found."),
    ('/os-hypervisors/abc', '2.53', 400, 'Invalid uuid abc'),
    ('/os-hypervisors/%s' % uuidlib.UUID(int=1), '2.53', 404,
     'could not be found'),
    ('/os-hypervisors/999/uptime', '2.1', 404, 'could not be found'),
    ('/os-hypervisors?limit=x', '2.33', 400, 'Invalid input'),
    ('/os-hypervisors?limit=-1', '2.33', 400, 'Invalid input'),
    ('/os-hypervisors?marker=nope', '2.33', 400, 'marker [nope] not found'),
    ('/os-hypervisors?marker=%s' % uuidlib.UUID(int=1), '2.53', 400,
     'not found'),
    ('/os-hypervisors?foo=1', '2.33', 400, 'Invalid input'),
    ('/os-hypervisors?with_servers=maybe', '2.53', 400, 'Invalid input'),
    ('/os-hypervisors?hypervisor_hostname_pattern=host&limit=1', '2.53',
     400, 'Paging over hypervisors with the hypervisor_hostname_pattern '
          'query parameter is not supported.'),
    ('/os-hypervisors?hypervisor_hostname_pattern=zzz', '2.53', 404,
     "No hypervisor matching 'zzz' could be found."),
])
def test_bad_input(api, url, version, status, message):
    body = _get(api, url, version, status)
    fault = next(iter(body.values()))
    assert fault['code'] == status and message in fault['message'], fault


def test_admin_only(api):
    member = api.as_user('demo:demo-project', roles=('member', 'reader'))
    for url in ('/os-hypervisors', '/os-hypervisors/detail',
                '/os-hypervisors/statistics', '/os-hypervisors/1',
                '/os-hypervisors/1/uptime', '/os-hypervisors/h/search',
                '/os-hypervisors/h/servers'):
        assert member.get(url).status_code == 403, url


def test_uptime_of_a_host_that_is_down(api):
    node = _get(api, '/os-hypervisors?hypervisor_hostname_pattern=%s'
                % HOSTS[0], '2.53')['hypervisors'][0]
    service = api.get('/os-services?host=%s' % HOSTS[0],
                      microversion='2.53').json()['services'][0]
    api.put('/os-services/%s' % service['id'], microversion='2.53',
            json={'forced_down': True})
    try:
        shown = _get(api, '/os-hypervisors/%s' % node['id'], '2.88')[
            'hypervisor']
        assert shown['state'] == 'down' and shown['uptime'] is None
        legacy = _get(api, '/os-hypervisors', '2.1')['hypervisors']
        ident = next(h['id'] for h in legacy
                     if h['hypervisor_hostname'] == HOSTS[0])
        body = _get(api, '/os-hypervisors/%s/uptime' % ident, '2.1', 400)
        assert body['badRequest']['message'] == (
            'Compute service of %s is unavailable at this time.' % HOSTS[0])
    finally:
        api.put('/os-services/%s' % service['id'], microversion='2.53',
                json={'forced_down': False})

