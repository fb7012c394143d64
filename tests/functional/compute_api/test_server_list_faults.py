"""A detailed server list shows the fault of a server in ERROR, as Nova's
does (``openstack server show NAME`` reads the server from that listing)."""

from tests.functional.compute_api import test_servers as helpers


def test_detailed_list_carries_the_fault(shared):
    _cloud, api = shared
    # More RAM than a fake host has: no valid host.
    resp = api.post('/flavors', json={'flavor': {
        'name': 'huge-for-list', 'id': 'huge-for-list', 'ram': 40000,
        'vcpus': 1, 'disk': 1}})
    assert resp.status_code == 200, resp.text
    failed = helpers._boot(api, name='listed-failure', flavor='huge-for-list')
    shown = helpers._wait(api, failed)
    assert shown['status'] == 'ERROR'
    ok = helpers._boot(api, name='listed-ok')
    assert helpers._wait(api, ok)['status'] == 'ACTIVE'

    resp = api.get('/servers/detail?name=^listed-', microversion='2.90')
    assert resp.status_code == 200, resp.text
    listed = {s['id']: s for s in resp.json()['servers']}
    assert listed[failed]['fault'] == shown['fault']
    assert 'No valid host' in listed[failed]['fault']['message']
    assert 'fault' not in listed[ok]
    # The short list has no faults.
    resp = api.get('/servers?name=^listed-')
    assert all('fault' not in s for s in resp.json()['servers'])
