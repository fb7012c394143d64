"""os-availability-zone through the compute API, and server create in a
zone: zones come from the aggregates' availability_zone metadata, the
default zone otherwise, the internal zone for non-compute services."""

import time

from tests import cloud as cloud_mod

HOST1, HOST2 = 'cell1-host1', 'cell1-host2'
MEMBER = ('member', 'reader')


def _zones(client, detail=False):
    resp = client.get('/os-availability-zone' + ('/detail' if detail
                                                  else ''))
    assert resp.status_code == 200, resp.text
    return {z['zoneName']: z for z in resp.json()['availabilityZoneInfo']}


def _boot(api, zone):
    return api.post('/servers', microversion='2.37', json={'server': {
        'name': 'in-%s' % zone, 'flavorRef': 'm1.tiny', 'networks': 'none',
        'imageRef': cloud_mod.IMAGE['id'], 'availability_zone': zone}})


def _eventually(check, timeout=30):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, 'condition not met in time'
        time.sleep(0.2)


def test_default_zone_only(api):
    member = api.as_user('demo:demo-project', roles=MEMBER)
    _eventually(lambda: 'internal' in _zones(api, detail=True))
    assert _zones(member) == {'nova': {
        'zoneName': 'nova', 'zoneState': {'available': True},
        'hosts': None}}
    assert member.get('/os-availability-zone/detail').status_code == 403


def test_zone_of_an_aggregate_and_boot_in_it(shared, api):
    cloud = shared[0]
    # A first boot: the scheduler has read (and cached) the aggregates
    # before the zone exists; the aggregate changes must reach it.
    resp = _boot(api, 'nova')
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    assert cloud.wait_for([uuid])[uuid]['vm_state'] == 'active'
    resp = api.post('/os-aggregates', json={'aggregate': {
        'name': 'east-agg', 'availability_zone': 'east'}})
    assert resp.status_code == 200, resp.text
    agg_id = resp.json()['aggregate']['id']
    resp = api.post('/os-aggregates/%s/action' % agg_id,
                    json={'add_host': {'host': HOST1}})
    assert resp.status_code == 200, resp.text
    assert set(_zones(api)) == {'nova', 'east'}
    detail = _zones(api, detail=True)
    assert set(detail) == {'nova', 'east', 'internal'}
    assert detail['east']['hosts'][HOST1]['nova-compute']['active'] is True
    assert set(detail['nova']['hosts']) == {HOST2}
    internal = {binary for services in detail['internal']['hosts'].values()
                for binary in services}
    assert internal == {'nova-conductor', 'nova-scheduler'}
    listed = api.get('/os-services?binary=nova-compute').json()['services']
    assert {s['host']: s['zone'] for s in listed} == {HOST1: 'east',
                                                      HOST2: 'nova'}
    # A server asked in the zone lands on its host.
    resp = _boot(api, 'east')
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    server = cloud.wait_for([uuid])[uuid]
    assert server['vm_state'] == 'active' and server['host'] == HOST1
    shown = api.get('/servers/%s' % uuid).json()['server']
    assert shown['OS-EXT-AZ:availability_zone'] == 'east'


def test_unknown_zone_refused(api):
    resp = _boot(api, 'atlantis')
    assert resp.status_code == 400, resp.text
    assert resp.json()['badRequest']['message'] == (
        'The requested availability zone is not available')


def test_zone_of_disabled_services_unavailable(api):
    """A zone whose computes are all disabled is unavailable (whichever
    hosts the zone holds when this test runs)."""
    in_nova = [s for s in api.get('/os-services?binary=nova-compute',
                                  microversion='2.53').json()['services']
               if s['zone'] == 'nova']
    assert in_nova
    try:
        for service in in_nova:
            resp = api.put('/os-services/%s' % service['id'],
                           microversion='2.53', json={'status': 'disabled'})
            assert resp.status_code == 200, resp.text
        zones = _zones(api)
        assert zones['nova']['zoneState'] == {'available': False}
        assert _zones(api, detail=True)['nova']['hosts'] is None
        resp = _boot(api, 'nova')
        assert resp.status_code == 400, resp.text
    finally:
        for service in in_nova:
            api.put('/os-services/%s' % service['id'], microversion='2.53',
                    json={'status': 'enabled'})
