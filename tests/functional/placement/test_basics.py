"""Version document, negotiation, errors and auth common to every route."""


def test_root_needs_no_token(placement):
    resp = placement.get('/', token='')
    assert resp.status_code == 200
    version = resp.json()['versions'][0]
    assert version['min_version'] == '1.0'
    assert version['max_version'] == '1.39'
    assert resp.headers['OpenStack-API-Version'] == 'placement 1.39'


def test_other_paths_need_a_token(placement):
    assert placement.get('/resource_classes', token='').status_code == 401


def test_default_is_minimum_version(placement):
    resp = placement.get('/', headers={'OpenStack-API-Version': None})
    assert resp.headers['OpenStack-API-Version'] == 'placement 1.0'
    assert 'openstack-api-version' in resp.headers['Vary']


def test_bad_version_strings(placement):
    resp = placement.get('/', microversion='1.2.3')
    assert resp.status_code == 400
    assert 'invalid version string: 1.2.3' in resp.text
    resp = placement.get('/', microversion='0.5')
    assert resp.status_code == 406
    body = resp.json()['errors'][0]
    assert body['max_version'] == '1.39' and body['min_version'] == '1.0'


def test_error_code_from_1_23(placement):
    resp = placement.get('/nowhere', microversion='1.22')
    assert 'code' not in resp.json()['errors'][0]
    resp = placement.get('/nowhere', microversion='1.23')
    error = resp.json()['errors'][0]
    assert error['code'] == 'placement.undefined_code'
    assert error['request_id'].startswith('req-')
    assert resp.headers['x-openstack-request-id'] == error['request_id']


def test_405_has_allow(placement):
    resp = placement.delete('/')
    assert resp.status_code == 405
    assert resp.headers['Allow'] == 'GET'


def test_body_without_content_type_is_400(placement):
    resp = placement.post('/resource_classes', body=b'{}',
                          headers={'Content-Type': None})
    assert resp.status_code == 400


def test_policy_refuses_non_admin(placement):
    resp = placement.get('/resource_classes', token='alice:project1')
    assert resp.status_code == 403
