"""The /resource_providers/{uuid}/inventories API, microversion by microversion."""

import logging

import pytest

from tests.functional import usage_setup as setup

MAX_INT = 2147483647
MISSING = '7260669a-e3d4-4867-aaa7-683e2ab6958c'
DISK = {'resource_class': 'DISK_GB', 'total': 2048, 'reserved': 512,
        'min_unit': 10, 'max_unit': 1024, 'step_size': 10,
        'allocation_ratio': 1.0}


@pytest.fixture
def rp(placement):
    return setup.provider(placement, 'rp1')


def _url(rp, rc=None):
    url = '/resource_providers/%s/inventories' % rp
    return url + '/' + rc if rc else url


def _state(placement, rp):
    """(generation, inventories) as GET answers them."""
    body = placement.get(_url(rp)).json()
    return body['resource_provider_generation'], body['inventories']


def _error(resp):
    return resp.json()['errors'][0]


def _with_disk(placement, rp, **fields):
    body = dict(DISK, **fields)
    resp = placement.post(_url(rp), json=body)
    assert resp.status_code == 201, resp.text
    return resp


# -- GET /inventories ------------------------------------------------------------

def test_list_missing_provider_is_404(placement):
    resp = placement.get(_url(MISSING))
    assert resp.status_code == 404
    # Upstream's text, reason repeated (what the openstack client prints).
    assert ('No resource provider with uuid %s found : No resource provider '
            'with uuid %s found' % (MISSING, MISSING)) in _error(resp)['detail']
    assert _error(resp)['title'] == 'Not Found'


def test_list_empty(placement, rp):
    resp = placement.get(_url(rp))
    assert resp.status_code == 200
    assert resp.json() == {'resource_provider_generation': 0,
                           'inventories': {}}


def test_list_cache_headers_from_1_15(placement, rp):
    _with_disk(placement, rp)
    resp = placement.get(_url(rp), microversion='1.15')
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['Last-Modified'].endswith(' GMT')
    resp = placement.get(_url(rp), microversion='1.14')
    assert 'Last-Modified' not in resp.headers
    assert 'Cache-Control' not in resp.headers


def test_list_needs_json_accept(placement, rp):
    resp = placement.get(_url(rp), headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


# -- POST /inventories -------------------------------------------------------------

def test_post_creates(placement, rp):
    resp = placement.post(_url(rp), json=DISK, microversion='1.14')
    assert resp.status_code == 201
    assert resp.headers['Location'].endswith(_url(rp, 'DISK_GB'))
    assert 'Last-Modified' not in resp.headers
    expected = {k: v for k, v in DISK.items() if k != 'resource_class'}
    assert resp.json() == dict(expected, resource_provider_generation=1)
    assert _state(placement, rp) == (1, {'DISK_GB': expected})


def test_post_defaults_and_last_modified(placement, rp):
    resp = placement.post(_url(rp), json={'resource_class': 'VCPU',
                                          'total': 8}, microversion='1.15')
    assert resp.status_code == 201
    assert resp.headers['Last-Modified'].endswith(' GMT')
    assert resp.json() == {'total': 8, 'reserved': 0, 'min_unit': 1,
                           'max_unit': MAX_INT, 'step_size': 1,
                           'allocation_ratio': 1.0,
                           'resource_provider_generation': 1}


def test_post_missing_provider_is_404(placement):
    resp = placement.post(_url(MISSING), json=DISK)
    assert resp.status_code == 404


@pytest.mark.parametrize('change, message', [
    ({'total': None}, "'total' is a required property"),
    ({'resource_class': None}, "'resource_class' is a required property"),
    ({'total': -1}, '-1 is less than the minimum of 1'),
    ({'total': 0}, "Failed validating 'minimum' in schema['properties']"
                   "['total']"),
    ({'reserved': -1}, "Failed validating 'minimum'"),
    ({'min_unit': 0}, "Failed validating 'minimum' in schema['properties']"
                      "['min_unit']"),
    ({'max_unit': 0}, "Failed validating 'minimum' in schema['properties']"
                      "['max_unit']"),
    ({'step_size': 0}, "Failed validating 'minimum' in schema['properties']"
                       "['step_size']"),
    ({'total': MAX_INT + 1}, "Failed validating 'maximum'"),
    ({'reserved': MAX_INT + 1}, "Failed validating 'maximum'"),
    ({'min_unit': MAX_INT + 1}, "Failed validating 'maximum'"),
    ({'max_unit': MAX_INT + 1}, "Failed validating 'maximum'"),
    ({'step_size': MAX_INT + 1}, "Failed validating 'maximum'"),
    ({'allocation_ratio': 3.40282e+39}, "Failed validating 'maximum'"),
    ({'total': 'many'}, "'many' is not of type 'integer'"),
    ({'total': True}, "True is not of type 'integer'"),
    ({'allocation_ratio': '1.0'}, "'1.0' is not of type 'number'"),
    ({'resource_class': 'bad_class'}, "does not match"),
    ({'resource_provider_generation': 'x'}, "is not of type 'integer'"),
    ({'colour': 'red'}, 'Additional properties are not allowed'),
])
def test_post_schema_violations_are_400(placement, rp, change, message):
    body = dict(DISK, **change)
    body = {k: v for k, v in body.items() if v is not None}
    resp = placement.post(_url(rp), json=body)
    assert resp.status_code == 400
    assert 'JSON does not validate' in resp.text
    assert message in resp.text
    assert _state(placement, rp) == (0, {})


def test_post_malformed_json_is_400(placement, rp):
    resp = placement.post(_url(rp), body='{"foo": }')
    assert resp.status_code == 400
    assert 'Malformed JSON' in resp.text


def test_post_needs_json_content_type(placement, rp):
    resp = placement.post(_url(rp), body='total=1', content_type='text/plain')
    assert resp.status_code == 415


def test_post_unknown_class_is_400(placement, rp):
    resp = placement.post(_url(rp), json={'resource_class': 'NO_CLASS_14',
                                          'total': 2048})
    assert resp.status_code == 400
    assert 'Unable to create inventory for resource provider' in resp.text
    assert 'No such resource class NO_CLASS_14' in resp.text
    assert _state(placement, rp) == (0, {})


def test_post_custom_class(placement, rp):
    placement.put('/resource_classes/CUSTOM_GOLD')
    resp = placement.post(_url(rp), json={'resource_class': 'CUSTOM_GOLD',
                                          'total': 5})
    assert resp.status_code == 201


def test_post_duplicate_class_is_409(placement, rp):
    _with_disk(placement, rp)
    resp = placement.post(_url(rp), json={'resource_class': 'DISK_GB',
                                          'total': 1}, microversion='1.23')
    assert resp.status_code == 409
    assert 'Update conflict' in resp.text
    assert _error(resp)['code'] == 'placement.concurrent_update'
    assert _state(placement, rp)[0] == 1


def test_post_capacity_conflict_is_400(placement, rp):
    resp = placement.post(_url(rp), json=dict(DISK, total=256, reserved=512))
    assert resp.status_code == 400
    assert 'Unable to create inventory for resource provider' in resp.text
    assert _state(placement, rp) == (0, {})


def test_post_reserved_equal_total_from_1_26(placement, rp):
    body = {'resource_class': 'VCPU', 'total': 4, 'reserved': 4}
    resp = placement.post(_url(rp), json=body, microversion='1.25')
    assert resp.status_code == 400
    assert 'greater than or equal to total' in resp.text
    resp = placement.post(_url(rp), json=body, microversion='1.26')
    assert resp.status_code == 201


def test_post_negative_allocation_ratio_is_400(placement, rp):
    resp = placement.post(_url(rp), json={
        'resource_class': 'VCPU', 'total': 4, 'allocation_ratio': -1.0})
    assert resp.status_code == 400
    assert 'The reserved value is greater than total' in resp.text


def test_post_min_unit_above_max_unit_is_accepted_as_upstream(placement, rp):
    resp = placement.post(_url(rp), json={
        'resource_class': 'VCPU', 'total': 4, 'min_unit': 3, 'max_unit': 2})
    assert resp.status_code == 201


# -- GET /inventories/{rc} ------------------------------------------------------

def test_get_one(placement, rp):
    _with_disk(placement, rp)
    resp = placement.get(_url(rp, 'DISK_GB'), microversion='1.15')
    assert resp.status_code == 200
    assert resp.json()['resource_provider_generation'] == 1
    assert resp.json()['step_size'] == 10
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['Last-Modified'].endswith(' GMT')
    resp = placement.get(_url(rp, 'DISK_GB'), microversion='1.14')
    assert 'Last-Modified' not in resp.headers


@pytest.mark.parametrize('rc', ['IPV4_ADDRESS', 'HOUSE', 'lower'])
def test_get_one_missing_class_is_404(placement, rp, rc):
    resp = placement.get(_url(rp, rc))
    assert resp.status_code == 404
    assert 'No inventory of class %s for %s' % (rc, rp) in resp.text


def test_get_one_missing_provider_is_404(placement):
    assert placement.get(_url(MISSING, 'VCPU')).status_code == 404


# -- PUT /inventories/{rc} ------------------------------------------------------

def test_put_one_updates(placement, rp):
    _with_disk(placement, rp)
    body = dict(DISK, resource_provider_generation=1, reserved=1024)
    del body['resource_class']
    resp = placement.put(_url(rp, 'DISK_GB'), json=body)
    assert resp.status_code == 200
    assert resp.headers['Content-Type'].startswith('application/json')
    assert resp.json()['reserved'] == 1024
    assert resp.json()['resource_provider_generation'] == 2
    assert _state(placement, rp)[1]['DISK_GB']['reserved'] == 1024


def test_put_one_fills_defaults(placement, rp):
    _with_disk(placement, rp)
    resp = placement.put(_url(rp, 'DISK_GB'), json={
        'resource_provider_generation': 1, 'total': 10})
    assert resp.json()['min_unit'] == 1
    assert resp.json()['max_unit'] == MAX_INT


def test_put_one_stale_generation_is_409(placement, rp):
    _with_disk(placement, rp)
    resp = placement.put(_url(rp, 'DISK_GB'), microversion='1.23', json={
        'resource_provider_generation': 5, 'total': 2048})
    assert resp.status_code == 409
    assert 'resource provider generation conflict' in resp.text
    assert _error(resp)['code'] == 'placement.concurrent_update'
    assert _state(placement, rp)[1]['DISK_GB']['total'] == 2048


def test_put_one_class_not_in_inventory_is_400(placement, rp):
    _with_disk(placement, rp)
    resp = placement.put(_url(rp, 'MEMORY_MB'), json={
        'resource_provider_generation': 1, 'total': 2048})
    assert resp.status_code == 400
    assert 'No inventory record with resource class' in resp.text
    generation, inventories = _state(placement, rp)
    assert generation == 1 and set(inventories) == {'DISK_GB'}


def test_put_one_unknown_class_is_404(placement, rp):
    resp = placement.put(_url(rp, 'HOUSE'), json={
        'resource_provider_generation': 0, 'total': 1})
    assert resp.status_code == 404
    assert 'No such resource class HOUSE' in resp.text


def test_put_one_capacity_by_microversion(placement, rp):
    _with_disk(placement, rp)
    body = {'resource_provider_generation': 1, 'total': 512, 'reserved': 512}
    resp = placement.put(_url(rp, 'DISK_GB'), json=body, microversion='1.25')
    assert resp.status_code == 400
    assert 'Unable to update inventory for resource provider %s' % rp \
        in resp.text
    assert 'greater than or equal to total' in resp.text
    resp = placement.put(_url(rp, 'DISK_GB'), json=dict(body, reserved=513),
                         microversion='1.26')
    assert resp.status_code == 400
    assert 'The reserved value is greater than total' in resp.text
    assert _state(placement, rp)[0] == 1
    resp = placement.put(_url(rp, 'DISK_GB'), json=body, microversion='1.26')
    assert resp.status_code == 200


@pytest.mark.parametrize('body, message', [
    ({'house': 'red', 'car': 'blue'}, 'JSON does not validate'),
    ({'total': 5}, "'resource_provider_generation' is a required property"),
    ({'resource_provider_generation': 1}, "'total' is a required property"),
    ({'resource_provider_generation': 1, 'total': 5,
      'resource_class': 'DISK_GB'}, 'Additional properties are not allowed'),
])
def test_put_one_schema_violations_are_400(placement, rp, body, message):
    _with_disk(placement, rp)
    resp = placement.put(_url(rp, 'DISK_GB'), json=body)
    assert resp.status_code == 400
    assert message in resp.text
    assert _state(placement, rp)[0] == 1


def test_put_one_missing_provider_is_404(placement):
    resp = placement.put(_url(MISSING, 'VCPU'), json={
        'resource_provider_generation': 0, 'total': 1})
    assert resp.status_code == 404


def test_put_one_below_usage_is_allowed_and_logged(placement, rp, caplog):
    placement.post(_url(rp), json={'resource_class': 'VCPU', 'total': 8})
    setup.allocate(placement, rp, {'VCPU': 6})
    with caplog.at_level(logging.WARNING):
        resp = placement.put(_url(rp, 'VCPU'), json={
            'resource_provider_generation': 2, 'total': 4})
    assert resp.status_code == 200
    assert 'is now over-capacity for VCPU' in caplog.text


# -- PUT /inventories ------------------------------------------------------------

def test_put_all_adds_updates_deletes(placement, rp):
    _with_disk(placement, rp)
    placement.post(_url(rp), json={'resource_class': 'VCPU', 'total': 8})
    resp = placement.put(_url(rp), microversion='1.15', json={
        'resource_provider_generation': 2,
        'inventories': {'DISK_GB': {'total': 1024},
                        'IPV4_ADDRESS': {'total': 253, 'reserved': 3}}})
    assert resp.status_code == 200
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['Last-Modified'].endswith(' GMT')
    body = resp.json()
    assert body['resource_provider_generation'] == 3
    assert set(body['inventories']) == {'DISK_GB', 'IPV4_ADDRESS'}
    assert body['inventories']['DISK_GB'] == {
        'total': 1024, 'reserved': 0, 'min_unit': 1, 'max_unit': MAX_INT,
        'step_size': 1, 'allocation_ratio': 1.0}
    assert _state(placement, rp) == (3, body['inventories'])


def test_put_all_empty_deletes_all(placement, rp):
    _with_disk(placement, rp)
    resp = placement.put(_url(rp), microversion='1.4', json={
        'resource_provider_generation': 1, 'inventories': {}})
    assert resp.status_code == 200
    assert resp.json() == {'resource_provider_generation': 2,
                           'inventories': {}}


def test_put_all_stale_generation_is_409(placement, rp):
    resp = placement.put(_url(rp), microversion='1.23', json={
        'resource_provider_generation': 99,
        'inventories': {'VCPU': {'total': 1}}})
    assert resp.status_code == 409
    assert 'resource provider generation conflict' in resp.text
    assert _error(resp)['code'] == 'placement.concurrent_update'
    assert _state(placement, rp) == (0, {})


@pytest.mark.parametrize('name', ['HOUSE', 'house', 'CUSTOM_NOT_MADE'])
def test_put_all_unknown_class_is_400(placement, rp, name):
    resp = placement.put(_url(rp), json={
        'resource_provider_generation': 0,
        'inventories': {'VCPU': {'total': 2}, name: {'total': 253}}})
    assert resp.status_code == 400
    assert 'Unknown resource class in inventory' in resp.text
    assert _state(placement, rp) == (0, {})


@pytest.mark.parametrize('record, message', [
    ({'total': MAX_INT + 1}, "Failed validating 'maximum'"),
    ({'total': 1024, 'allocation_ratio': 3.40282e+39},
     "Failed validating 'maximum'"),
    ({}, "'total' is a required property"),
    ({'total': 1, 'colour': 'red'}, 'Additional properties are not allowed'),
    ('lots', "'lots' is not of type 'object'"),
])
def test_put_all_schema_violations_are_400(placement, rp, record, message):
    resp = placement.put(_url(rp), json={
        'resource_provider_generation': 0,
        'inventories': {'DISK_GB': record}})
    assert resp.status_code == 400
    assert message in resp.text
    assert _state(placement, rp) == (0, {})


@pytest.mark.parametrize('body', [
    {'inventories': {}},
    {'resource_provider_generation': 0},
    {'resource_provider_generation': 0, 'inventories': {}, 'x': 1},
    {'resource_provider_generation': 0, 'inventories': []},
    [],
])
def test_put_all_envelope_violations_are_400(placement, rp, body):
    resp = placement.put(_url(rp), json=body)
    assert resp.status_code == 400
    assert 'JSON does not validate' in resp.text


def test_put_all_capacity_by_microversion(placement, rp):
    _with_disk(placement, rp)
    put = {'resource_provider_generation': 1, 'inventories': {
        'DISK_GB': {'total': 10}, 'IPV4_ADDRESS': {'total': 253,
                                                   'reserved': 253}}}
    resp = placement.put(_url(rp), json=put, microversion='1.25')
    assert resp.status_code == 400
    assert 'Unable to update inventory' in resp.text
    assert 'greater than or equal to total' in resp.text
    too_much = {'resource_provider_generation': 1, 'inventories': {
        'IPV4_ADDRESS': {'total': 253, 'reserved': 512}}}
    resp = placement.put(_url(rp), json=too_much, microversion='1.26')
    assert resp.status_code == 400
    assert 'greater than total' in resp.text
    generation, inventories = _state(placement, rp)
    assert generation == 1 and set(inventories) == {'DISK_GB'}
    assert inventories['DISK_GB']['total'] == 2048
    resp = placement.put(_url(rp), json=put, microversion='1.26')
    assert resp.status_code == 200


def test_put_all_cannot_drop_class_in_use(placement, rp):
    placement.put(_url(rp), json={'resource_provider_generation': 0,
                                  'inventories': {'VCPU': {'total': 8},
                                                  'DISK_GB': {'total': 10}}})
    setup.allocate(placement, rp, {'VCPU': 2})
    resp = placement.put(_url(rp), microversion='1.23', json={
        'resource_provider_generation': 2,
        'inventories': {'DISK_GB': {'total': 20}, 'MEMORY_MB': {'total': 5}}})
    assert resp.status_code == 409
    assert 'update conflict' in resp.text
    assert "Inventory for 'VCPU' on resource provider" in resp.text
    assert _error(resp)['code'] == 'placement.inventory.inuse'
    generation, inventories = _state(placement, rp)
    assert generation == 2 and set(inventories) == {'VCPU', 'DISK_GB'}
    assert inventories['DISK_GB']['total'] == 10


def test_put_all_below_usage_is_allowed_and_logged(placement, rp, caplog):
    placement.put(_url(rp), json={'resource_provider_generation': 0,
                                  'inventories': {'VCPU': {'total': 8}}})
    setup.allocate(placement, rp, {'VCPU': 6})
    with caplog.at_level(logging.WARNING):
        resp = placement.put(_url(rp), json={
            'resource_provider_generation': 2,
            'inventories': {'VCPU': {'total': 2}}})
    assert resp.status_code == 200
    assert 'is now over-capacity for VCPU' in caplog.text


def test_put_all_needs_json(placement, rp):
    assert placement.put(_url(rp), body='x', content_type='text/plain'
                         ).status_code == 415
    resp = placement.put(_url(rp), body='{"resource_provider_generation": ')
    assert resp.status_code == 400
    assert 'Malformed JSON' in resp.text


def test_put_all_missing_provider_is_404(placement):
    resp = placement.put(_url(MISSING), json={
        'resource_provider_generation': 0, 'inventories': {}})
    assert resp.status_code == 404


# -- DELETE /inventories/{rc} -----------------------------------------------------

def test_delete_one(placement, rp):
    _with_disk(placement, rp)
    placement.post(_url(rp), json={'resource_class': 'VCPU', 'total': 8})
    resp = placement.delete(_url(rp, 'DISK_GB'))
    assert resp.status_code == 204
    assert 'Content-Type' not in resp.headers
    generation, inventories = _state(placement, rp)
    assert generation == 3 and set(inventories) == {'VCPU'}
    resp = placement.delete(_url(rp, 'DISK_GB'))
    assert resp.status_code == 404
    assert _error(resp)['detail'].rstrip().endswith(
        'No inventory of class DISK_GB found for delete: '
        'No inventory of class DISK_GB found for delete')
    assert _state(placement, rp)[0] == 3


def test_delete_one_unknown_class_is_404(placement, rp):
    resp = placement.delete(_url(rp, 'HOUSE'))
    assert resp.status_code == 404
    assert 'No inventory of class HOUSE found for delete' in resp.text


def test_delete_one_in_use_is_409(placement, rp):
    placement.post(_url(rp), json={'resource_class': 'VCPU', 'total': 8})
    setup.allocate(placement, rp, {'VCPU': 1})
    resp = placement.delete(_url(rp, 'VCPU'), microversion='1.23')
    assert resp.status_code == 409
    assert 'Unable to delete inventory of class VCPU' in resp.text
    # Upstream gives this conflict the concurrent-update code.
    assert _error(resp)['code'] == 'placement.concurrent_update'
    generation, inventories = _state(placement, rp)
    assert generation == 2 and set(inventories) == {'VCPU'}


def test_delete_one_missing_provider_is_404(placement):
    assert placement.delete(_url(MISSING, 'VCPU')).status_code == 404


# -- DELETE /inventories ------------------------------------------------------------

def test_delete_all_from_1_5(placement, rp):
    _with_disk(placement, rp)
    resp = placement.delete(_url(rp), microversion='1.4')
    assert resp.status_code == 405
    assert _state(placement, rp)[0] == 1
    resp = placement.delete(_url(rp), microversion='1.5')
    assert resp.status_code == 204
    assert 'Content-Type' not in resp.headers
    assert _state(placement, rp) == (2, {})
    # Deleting nothing still counts as a change of the inventory.
    assert placement.delete(_url(rp), microversion='1.5').status_code == 204
    assert _state(placement, rp) == (3, {})


def test_delete_all_missing_provider_is_404(placement):
    resp = placement.delete(_url(MISSING), microversion='1.5')
    assert resp.status_code == 404


def test_delete_all_in_use_is_409(placement, rp):
    placement.put(_url(rp), json={'resource_provider_generation': 0,
                                  'inventories': {'VCPU': {'total': 8},
                                                  'DISK_GB': {'total': 10}}})
    setup.allocate(placement, rp, {'DISK_GB': 2, 'VCPU': 1})
    resp = placement.delete(_url(rp), microversion='1.23')
    assert resp.status_code == 409
    # Classes named in upstream's order: by resource class id.
    assert "Inventory for 'VCPU, DISK_GB' on resource provider" in resp.text
    assert _error(resp)['code'] == 'placement.inventory.inuse'
    generation, inventories = _state(placement, rp)
    assert generation == 2 and set(inventories) == {'VCPU', 'DISK_GB'}


def test_other_methods_are_405(placement, rp):
    resp = placement.post(_url(rp, 'VCPU'), json={})
    assert resp.status_code == 405
    assert set(resp.headers['Allow'].split(', ')) == {'GET', 'PUT', 'DELETE'}


# -- policy ---------------------------------------------------------------------------

@pytest.mark.parametrize('method, suffix, body', [
    ('get', None, None),
    ('post', None, {'resource_class': 'VCPU', 'total': 1}),
    ('put', None, {'resource_provider_generation': 0, 'inventories': {}}),
    ('delete', None, None),
    ('get', 'VCPU', None),
    ('put', 'VCPU', {'resource_provider_generation': 0, 'total': 1}),
    ('delete', 'VCPU', None),
])
def test_non_admin_is_403(placement, rp, method, suffix, body):
    kwargs = {'token': 'someone:p1'}
    if body is not None:
        kwargs['json'] = body
    resp = getattr(placement, method)(_url(rp, suffix), **kwargs)
    assert resp.status_code == 403
    assert _state(placement, rp) == (0, {})
