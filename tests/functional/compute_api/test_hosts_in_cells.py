"""Services, hypervisors and aggregate membership across two cells."""


def test_every_cell(make_api):
    """Hypervisors and services of every cell; a host of the second cell
    joins an aggregate, in placement too."""
    cloud, api = make_api(cells=2, hosts_per_cell=1)
    hosts = ['cell1-host1', 'cell2-host1']
    resp = api.get('/os-hypervisors/detail', microversion='2.53')
    found = resp.json()['hypervisors']
    assert sorted(h['hypervisor_hostname'] for h in found) == hosts
    services = api.get('/os-services?binary=nova-compute').json()[
        'services']
    assert sorted(s['host'] for s in services) == hosts
    resp = api.post('/os-aggregates', microversion='2.41',
                    json={'aggregate': {'name': 'far'}})
    agg = resp.json()['aggregate']
    resp = api.post('/os-aggregates/%s/action' % agg['id'],
                    json={'add_host': {'host': 'cell2-host1'}})
    assert resp.status_code == 200, resp.text
    node = next(h for h in found if h['hypervisor_hostname'] == hosts[1])
    resp = cloud.placement.get(
        cloud.ctx, '/resource_providers/%s/aggregates' % node['id'],
        version='1.19')
    assert resp.json()['aggregates'] == [agg['uuid']]
