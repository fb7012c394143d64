"""The /resource_classes API, microversion by microversion."""

import pytest


def test_not_before_1_2(placement):
    assert placement.get('/resource_classes', microversion='1.1').status_code == 404


def test_standard_classes_exist_on_fresh_database(placement):
    resp = placement.get('/resource_classes')
    assert resp.status_code == 200
    names = {rc['name'] for rc in resp.json()['resource_classes']}
    assert {'VCPU', 'MEMORY_MB', 'DISK_GB', 'PCI_DEVICE'} <= names
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert 'Last-Modified' in resp.headers


def test_no_cache_headers_before_1_15(placement):
    resp = placement.get('/resource_classes', microversion='1.14')
    assert resp.status_code == 200
    assert 'Last-Modified' not in resp.headers


def test_create_show_delete_custom(placement):
    resp = placement.post('/resource_classes', json={'name': 'CUSTOM_GOLD'})
    assert resp.status_code == 201
    assert resp.headers['Location'].endswith('/resource_classes/CUSTOM_GOLD')
    resp = placement.get('/resource_classes/CUSTOM_GOLD')
    assert resp.json()['name'] == 'CUSTOM_GOLD'
    assert placement.delete('/resource_classes/CUSTOM_GOLD').status_code == 204
    assert placement.get('/resource_classes/CUSTOM_GOLD').status_code == 404


def test_create_duplicate_is_409(placement):
    placement.post('/resource_classes', json={'name': 'CUSTOM_GOLD'})
    resp = placement.post('/resource_classes', json={'name': 'CUSTOM_GOLD'})
    assert resp.status_code == 409
    assert 'Conflicting resource class already exists' in resp.text


@pytest.mark.parametrize('body', [{'name': 'GOLD'}, {'name': 'CUSTOM_gold'},
                                  {'name': 'CUSTOM_' + 'A' * 250}, {},
                                  {'name': 'CUSTOM_A', 'extra': 1}])
def test_create_invalid_is_400(placement, body):
    resp = placement.post('/resource_classes', json=body)
    assert resp.status_code == 400
    assert resp.json()['errors'][0]['code'] == 'placement.undefined_code'


def test_create_malformed_json_is_400(placement):
    resp = placement.post('/resource_classes', body='{"name": ')
    assert resp.status_code == 400
    assert 'Malformed JSON' in resp.text


def test_put_before_1_7_renames(placement):
    placement.post('/resource_classes', json={'name': 'CUSTOM_A'})
    resp = placement.put('/resource_classes/CUSTOM_A', microversion='1.6',
                         json={'name': 'CUSTOM_B'})
    assert resp.status_code == 200
    assert resp.json()['name'] == 'CUSTOM_B'
    assert placement.get('/resource_classes/CUSTOM_A').status_code == 404


def test_put_before_1_7_cannot_rename_standard(placement):
    resp = placement.put('/resource_classes/VCPU', microversion='1.6',
                         json={'name': 'CUSTOM_B'})
    assert resp.status_code == 400


def test_put_from_1_7_is_idempotent_create(placement):
    resp = placement.put('/resource_classes/CUSTOM_X', microversion='1.7')
    assert resp.status_code == 201
    resp = placement.put('/resource_classes/CUSTOM_X', microversion='1.7')
    assert resp.status_code == 204
    resp = placement.put('/resource_classes/VCPU', microversion='1.7')
    assert resp.status_code == 400


def test_delete_standard_is_400(placement):
    resp = placement.delete('/resource_classes/VCPU')
    assert resp.status_code == 400
    assert 'Cannot delete standard resource class VCPU' in resp.text
