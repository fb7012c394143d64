"""POST /reshaper: inventories and allocations of several providers at once."""

from oslo_utils import uuidutils
import pytest

from tests.functional import allocation_setup as setup


# The reshaper is for services (nova-compute); admins are refused by
# default (secure RBAC).
SERVICE = {'X-Roles': 'service'}


def _new():
    return uuidutils.generate_uuid()


def _detail(resp):
    return resp.json()['errors'][0]['detail']


def _code(resp):
    return resp.json()['errors'][0].get('code')


class Tree:
    """A root with VCPU 8 and DISK_GB 100, a child without inventory, and two
    consumers on the root: one with VCPU 2 + DISK_GB 10, one with VCPU 3."""

    def __init__(self, client):
        self.client = client
        self.root = setup.compute(client, 'root', VCPU=8, DISK_GB=100)
        self.child = setup.provider(client, 'child', parent=self.root)
        self.one, self.two = _new(), _new()
        for consumer, resources in ((self.one, {'VCPU': 2, 'DISK_GB': 10}),
                                    (self.two, {'VCPU': 3})):
            resp = client.put('/allocations/%s' % consumer, microversion='1.28',
                              json={'allocations': {
                                  self.root: {'resources': resources}},
                                  'project_id': 'p', 'user_id': 'u',
                                  'consumer_generation': None})
            assert resp.status_code == 204, resp.text

    def move_vcpu(self, **changes):
        """The body moving VCPU and its allocations from root to child."""
        body = {
            'inventories': {
                self.root: {'resource_provider_generation': 2,
                            'inventories': {'DISK_GB': {'total': 100}}},
                self.child: {'resource_provider_generation': 0,
                             'inventories': {'VCPU': {'total': 8}}},
            },
            'allocations': {
                self.one: {'allocations': {
                    self.root: {'resources': {'DISK_GB': 10}},
                    self.child: {'resources': {'VCPU': 2}}},
                    'project_id': 'p', 'user_id': 'u',
                    'consumer_generation': 1},
                self.two: {'allocations': {
                    self.child: {'resources': {'VCPU': 3}}},
                    'project_id': 'p', 'user_id': 'u',
                    'consumer_generation': 1},
            },
        }
        body.update(changes)
        return body

    def post(self, body, version='1.30'):
        return self.client.post('/reshaper', json=body, microversion=version,
                                headers=SERVICE)


@pytest.fixture
def tree(placement):
    return Tree(placement)


def test_routes(placement):
    resp = placement.get('/reshaper')
    assert resp.status_code == 405
    assert resp.headers['Allow'] == 'POST'
    assert placement.post('/reshaper', json={},
                          microversion='1.29').status_code == 404
    for token, roles in (('alice:proj', 'member'), ('admin', 'admin')):
        resp = placement.post('/reshaper', json={}, microversion='1.30',
                              token=token, headers={'X-Roles': roles})
        assert resp.status_code == 403
    assert placement.post('/reshaper', json={}, microversion='1.30',
                          headers=SERVICE).status_code == 400


def test_move_inventory_and_allocations_to_child(tree):
    client = tree.client
    resp = tree.post(tree.move_vcpu())
    assert resp.status_code == 204, resp.text
    assert resp.content == b''
    assert setup.used(client, tree.root, 'VCPU') == 0
    assert setup.used(client, tree.root, 'DISK_GB') == 10
    assert setup.used(client, tree.child, 'VCPU') == 5
    # Root: interim inventory, allocations, final inventory; child too.
    assert setup.generation(client, tree.root) == 5
    assert setup.generation(client, tree.child) == 3
    assert setup.count(client, 'inventories') == 2
    body = client.get('/allocations/%s' % tree.one).json()
    assert body['consumer_generation'] == 2
    assert body['allocations'][tree.child]['resources'] == {'VCPU': 2}


def test_move_back_with_new_and_emptied_consumers(tree):
    client = tree.client
    assert tree.post(tree.move_vcpu()).status_code == 204
    newcomer = _new()
    body = {
        'inventories': {
            tree.root: {'resource_provider_generation': 5, 'inventories': {
                'DISK_GB': {'total': 100}, 'VCPU': {'total': 8}}},
            tree.child: {'resource_provider_generation': 3,
                         'inventories': {}},
        },
        'allocations': {
            tree.one: {'allocations': {}, 'project_id': 'p', 'user_id': 'u',
                       'consumer_generation': 2},
            tree.two: {'allocations': {}, 'project_id': 'p', 'user_id': 'u',
                       'consumer_generation': 2},
            newcomer: {'allocations': {tree.root: {'resources': {
                'VCPU': 5, 'DISK_GB': 10}}}, 'project_id': 'p',
                'user_id': 'u', 'consumer_generation': None},
        },
    }
    resp = tree.post(body, version='1.34')
    assert resp.status_code == 204, resp.text
    assert setup.used(client, tree.root, 'VCPU') == 5
    assert setup.used(client, tree.child, 'VCPU') == 0
    assert setup.count(client, 'consumers') == 1
    # The child had no interim inventory: allocations and final only.
    assert setup.generation(client, tree.child) == 5
    assert setup.generation(client, tree.root) == 8


@pytest.mark.parametrize('change, message', [
    ({'inventories': {}}, 'JSON does not validate'),
    ({'cows': 'moo'}, 'Additional properties are not allowed'),
])
def test_schema_violations(tree, change, message):
    resp = tree.post(tree.move_vcpu(**change))
    assert resp.status_code == 400
    assert message in _detail(resp)


def test_schema_needs_both_keys_and_checks_records(tree):
    body = tree.move_vcpu()
    del body['allocations']
    assert tree.post(body).status_code == 400
    body = tree.move_vcpu()
    body['inventories'][tree.root]['inventories']['DISK_GB']['bad'] = 1
    assert "'bad' was unexpected" in _detail(tree.post(body))
    body = tree.move_vcpu()
    body['allocations'][tree.one]['bad'] = 1
    assert "'bad' was unexpected" in _detail(tree.post(body))
    body = tree.move_vcpu()
    del body['allocations'][tree.one]['consumer_generation']
    assert "'consumer_generation' is a required" in _detail(tree.post(body))


def test_allocation_fields_by_microversion(tree):
    body = tree.move_vcpu()
    body['allocations'][tree.one]['mappings'] = {'': [tree.child]}
    resp = tree.post(body, version='1.33')
    assert 'Additional properties are not allowed' in _detail(resp)
    resp = tree.post(body, version='1.38')
    assert "'consumer_type' is a required" in _detail(resp)
    body['allocations'][tree.one]['consumer_type'] = 'INSTANCE'
    resp = tree.post(body, version='1.36')
    assert "'consumer_type' was unexpected" in _detail(resp)
    body['allocations'][tree.two]['consumer_type'] = 'MIGRATION'
    assert tree.post(body, version='1.38').status_code == 204
    assert tree.client.get('/allocations/%s' % tree.two).json()[
        'consumer_type'] == 'MIGRATION'


def _refused(tree, body, status, message, code=None):
    before = setup.snapshot(tree.client)
    resp = tree.post(body)
    assert resp.status_code == status, resp.text
    assert message in _detail(resp)
    if code:
        assert _code(resp) == code
    assert setup.snapshot(tree.client) == before


def test_unknown_provider_in_inventories(tree):
    body = tree.move_vcpu()
    missing = _new()
    body['inventories'][missing] = body['inventories'].pop(tree.child)
    _refused(tree, body, 400, 'Resource provider %s in inventories not found'
             % missing, 'placement.resource_provider.not_found')


def test_unknown_provider_in_allocations(tree):
    body = tree.move_vcpu()
    missing = _new()
    body['allocations'][tree.two]['allocations'] = {
        missing: {'resources': {'VCPU': 3}}}
    _refused(tree, body, 400, "Allocation for resource provider '%s' that "
             'does not exist.' % missing)


def test_stale_provider_generation(tree):
    body = tree.move_vcpu()
    body['inventories'][tree.root]['resource_provider_generation'] = 1
    _refused(tree, body, 409, 'resource provider generation conflict for '
             'provider %s: actual: 2, given: 1' % tree.root,
             'placement.concurrent_update')


def test_stale_consumer_generation(tree):
    body = tree.move_vcpu()
    body['allocations'][tree.two]['consumer_generation'] = 99
    _refused(tree, body, 409, 'consumer generation conflict - expected 1 '
             'but got 99', 'placement.concurrent_update')


def test_unknown_resource_class(tree):
    body = tree.move_vcpu()
    body['inventories'][tree.child]['inventories'] = {
        'DISK_OF_STEEL': {'total': 8}}
    _refused(tree, body, 400, 'malformed reshaper data: No such resource '
             'class DISK_OF_STEEL')


def test_inventory_left_in_use(tree):
    body = tree.move_vcpu(allocations={})
    _refused(tree, body, 409, "update conflict: Inventory for 'VCPU' on "
             "resource provider '%s' in use" % tree.root,
             'placement.inventory.inuse')


@pytest.mark.parametrize('record', [{'total': 4}, {'total': 8, 'max_unit': 2},
                                    {'total': 8, 'step_size': 2}])
def test_allocations_must_fit_new_inventory(tree, record):
    body = tree.move_vcpu()
    body['inventories'][tree.child]['inventories'] = {'VCPU': record}
    _refused(tree, body, 409, 'Unable to allocate inventory: ')


def test_reserved_above_total(tree):
    body = tree.move_vcpu()
    body['inventories'][tree.child]['inventories'] = {
        'VCPU': {'total': 8, 'reserved': 9}}
    _refused(tree, body, 400, 'The reserved value is greater than total')


def test_bad_json(tree):
    resp = tree.client.post('/reshaper', body=b'{"inventories"',
                            microversion='1.30', headers=SERVICE)
    assert resp.status_code == 400
    assert 'Malformed JSON' in _detail(resp)
    resp = tree.client.post('/reshaper', body=b'{}', microversion='1.30',
                            content_type='text/plain', headers=SERVICE)
    assert resp.status_code == 415
