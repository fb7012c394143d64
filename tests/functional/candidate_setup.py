"""A small cloud for allocation-candidate tests, built through the API.

Two compute nodes (cn1 with two SR-IOV PFs as children, cn2 with local
disk) and a sharing disk provider (ss); cn1, cn2 and ss are in aggregate
AGG_A, cn2 also in AGG_B.
"""

from oslo_utils import uuidutils

AGG_A = 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa'
AGG_B = 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb'
UNKNOWN = '00000000-0000-0000-0000-000000000000'
URL = '/allocation_candidates'


def _ok(resp, status=200):
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else None


class Cloud:
    """Providers created through the API; their uuids by name."""

    def __init__(self, client):
        self.client = client
        self.uuids = {}

    def provider(self, name, parent=None, inventories=None, traits=(),
                 aggregates=()):
        uuid = uuidutils.generate_uuid()
        body = {'name': name, 'uuid': uuid}
        if parent:
            body['parent_provider_uuid'] = self.uuids[parent]
        _ok(self.client.post('/resource_providers', json=body,
                             microversion='1.20'))
        self.uuids[name] = uuid
        generation = 0
        if inventories:
            generation = _ok(self.client.put(
                '/resource_providers/%s/inventories' % uuid, json={
                    'resource_provider_generation': generation,
                    'inventories': inventories,
                }))['resource_provider_generation']
        if traits:
            for trait in traits:
                if trait.startswith('CUSTOM_'):
                    self.client.put('/traits/%s' % trait)
            generation = _ok(self.client.put(
                '/resource_providers/%s/traits' % uuid, json={
                    'resource_provider_generation': generation,
                    'traits': list(traits),
                }))['resource_provider_generation']
        if aggregates:
            _ok(self.client.put(
                '/resource_providers/%s/aggregates' % uuid, json={
                    'resource_provider_generation': generation,
                    'aggregates': list(aggregates),
                }))
        return uuid

    def allocate(self, provider, resources):
        _ok(self.client.put('/allocations/%s' % uuidutils.generate_uuid(),
                            json={
                                'allocations': {self.uuids[provider]: {
                                    'resources': resources}},
                                'project_id': 'p', 'user_id': 'u',
                                'consumer_generation': None,
                            }, microversion='1.28'), 204)

    def name(self, uuid):
        return {u: n for n, u in self.uuids.items()}[uuid]


def build(client):
    cloud = Cloud(client)
    cloud.provider('cn1', inventories={
        'VCPU': {'total': 8, 'allocation_ratio': 2.0},
        'MEMORY_MB': {'total': 2048, 'max_unit': 1024},
    }, traits=['HW_CPU_X86_SSE', 'CUSTOM_FAST'], aggregates=[AGG_A])
    cloud.provider('pf1', parent='cn1', inventories={
        'SRIOV_NET_VF': {'total': 4}}, traits=['CUSTOM_PHYSNET_A'])
    cloud.provider('pf2', parent='cn1', inventories={
        'SRIOV_NET_VF': {'total': 4}}, traits=['CUSTOM_PHYSNET_B'])
    cloud.provider('cn2', inventories={
        'VCPU': {'total': 4},
        'MEMORY_MB': {'total': 1024},
        'DISK_GB': {'total': 100, 'reserved': 10},
    }, aggregates=[AGG_A, AGG_B])
    cloud.provider('ss', inventories={'DISK_GB': {'total': 1000}},
                   traits=['MISC_SHARES_VIA_AGGREGATE'], aggregates=[AGG_A])
    return cloud


def get(placement, query, microversion='1.39', status=200):
    resp = placement.get(URL + '?' + query, microversion=microversion)
    assert resp.status_code == status, resp.text
    return resp


def candidates(cloud, query, microversion='1.39'):
    """Allocation requests as sorted ``[(name, class, amount)]`` lists."""
    body = get(cloud.client, query, microversion).json()
    found = []
    for request in body['allocation_requests']:
        allocations = request['allocations']
        if isinstance(allocations, list):
            allocations = {a['resource_provider']['uuid']: a
                           for a in allocations}
        found.append(sorted(
            (cloud.name(uuid), rc, amount)
            for uuid, item in allocations.items()
            for rc, amount in item['resources'].items()))
    return sorted(found)
