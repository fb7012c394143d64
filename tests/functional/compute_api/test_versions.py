"""Version documents and microversion negotiation of the compute API."""

import pytest

from nova_core.api.compute import microversions as mv


def test_root_lists_v21_without_a_token(api):
    resp = api.get('/', token='')
    assert resp.status_code == 200, resp.text
    [version] = resp.json()['versions']
    assert version['id'] == 'v2.1'
    assert version['status'] == 'CURRENT'
    assert version['min_version'] == '2.1'
    assert version['version'] == mv.MAX_VERSION
    assert version['links'][0]['href'] == 'http://compute.test/v2.1/'


@pytest.mark.parametrize('path', ['/v2.1', '/v2.1/'])
def test_v21_document(api, path):
    resp = api.get(path, token='')
    assert resp.status_code == 200, resp.text
    doc = resp.json()['version']
    assert doc['id'] == 'v2.1' and doc['version'] == mv.MAX_VERSION
    assert doc['media-types'][0]['base'] == 'application/json'


def test_default_version_is_the_minimum(api):
    resp = api.get('/flavors')
    assert resp.status_code == 200
    assert resp.headers['OpenStack-API-Version'] == 'compute 2.1'
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    assert 'OpenStack-API-Version' in resp.headers['Vary']
    assert 'X-OpenStack-Nova-API-Version' in resp.headers['Vary']


def test_latest_and_legacy_header(api):
    resp = api.get('/flavors', microversion='latest')
    assert resp.headers['OpenStack-API-Version'] == 'compute %s' % (
        mv.MAX_VERSION)
    resp = api.get('/flavors', headers={
        'X-OpenStack-Nova-API-Version': '2.30'})
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.30'
    # The standard header wins over the legacy one.
    resp = api.get('/flavors', microversion='2.40', headers={
        'X-OpenStack-Nova-API-Version': '2.30'})
    assert resp.headers['X-OpenStack-Nova-API-Version'] == '2.40'


_OUT_OF_RANGE = (406, 'computeFault',
                 'Version %s is not supported by the API. Minimum is 2.1 '
                 'and maximum is ' + mv.MAX_VERSION + '.')
_MALFORMED = (400, 'badRequest',
              'API Version String %s is of invalid format. Must be of '
              'format MajorNum.MinorNum.')


@pytest.mark.parametrize('version, expected', [
    ('2.0', _OUT_OF_RANGE), ('3.0', _OUT_OF_RANGE),
    ('2.999', _OUT_OF_RANGE), ('1.1', _OUT_OF_RANGE),
    ('2', _MALFORMED), ('two.one', _MALFORMED), ('2.1.1', _MALFORMED),
    ('2.01x', _MALFORMED)])
def test_refused_version(api, version, expected):
    status, fault_name, template = expected
    resp = api.get('/flavors', microversion=version)
    assert resp.status_code == status, resp.text
    body = resp.json()[fault_name]
    assert body['code'] == status
    assert body['message'] == template % version


def test_no_token_is_401(api):
    resp = api.get('/servers', token='')
    assert resp.status_code == 401
    assert resp.json()['unauthorized']['code'] == 401


def test_unknown_url_is_404_in_nova_shape(api):
    resp = api.get('/no-such-thing')
    assert resp.status_code == 404
    assert resp.json()['itemNotFound']['code'] == 404


def test_project_id_in_url(api):
    assert api.get('/admin/flavors').status_code == 200
    resp = api.get('/someone-else/flavors')
    assert resp.status_code == 400
    assert "doesn't match Context's project_id" in (
        resp.json()['badRequest']['message'])


def test_method_not_allowed(api):
    resp = api.request('PATCH', '/servers')
    assert resp.status_code == 405
    assert resp.json()['badMethod']['code'] == 405
