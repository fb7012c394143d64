"""GET/PUT /resource_providers/{uuid}/aggregates, before and from 1.19."""

import pytest

from tests.functional import provider_setup as setup

RP = 'b2b2b2b2-0000-4000-8000-000000000001'
RP2 = 'b2b2b2b2-0000-4000-8000-000000000002'
MISSING = 'b2b2b2b2-0000-4000-8000-0000000000ff'
AGG1 = 'f918801a-5e54-4bee-9095-09a9d0c786b8'
AGG2 = 'a893eb5c-e2a0-4251-ab26-f71d3b0cfc0b'
AGG3 = '282d469e-29e2-4a8a-8f2e-31b3202b696a'


def _url(uuid=RP):
    return '/resource_providers/%s/aggregates' % uuid


def _error(resp):
    return resp.json()['errors'][0]


def _members(placement, uuid=RP):
    return sorted(placement.get(_url(uuid)).json()['aggregates'])


@pytest.fixture
def rp(placement):
    setup.provider(placement, 'rp', RP)
    return placement


@pytest.mark.parametrize('method', ['get', 'put'])
def test_not_before_1_1(rp, method):
    resp = getattr(rp, method)(_url(), microversion='1.0', json=[])
    assert resp.status_code == 404


@pytest.mark.parametrize('version, body', [('1.18', []),
                                           ('1.19', {'aggregates': [],
                                           'resource_provider_generation': 0})])
def test_unknown_provider(placement, version, body):
    resp = placement.get(_url(MISSING), microversion=version)
    assert resp.status_code == 404
    resp = placement.put(_url(MISSING), microversion=version, json=body)
    assert resp.status_code == 404
    # 404 wins over a body that would not validate either.
    resp = placement.put(_url(MISSING), microversion=version, json={'x': 1})
    assert resp.status_code == 404


def test_empty(rp):
    body = rp.get(_url()).json()
    assert body == {'aggregates': [], 'resource_provider_generation': 0}
    assert rp.get(_url(), microversion='1.18').json() == {'aggregates': []}


def test_put_list_before_1_19_leaves_the_generation(rp):
    resp = rp.put(_url(), microversion='1.18', json=[AGG1, AGG2])
    assert resp.status_code == 200
    assert resp.json() == {'aggregates': [AGG1, AGG2]}
    assert _members(rp) == sorted([AGG1, AGG2])
    assert setup.generation(rp, RP) == 0


def test_put_from_1_19_checks_and_bumps_the_generation(rp):
    resp = rp.put(_url(), json={'aggregates': [AGG2, AGG1],
                                'resource_provider_generation': 0})
    assert resp.status_code == 200
    assert resp.json() == {'aggregates': [AGG2, AGG1],
                           'resource_provider_generation': 1}
    assert setup.generation(rp, RP) == 1
    # The same set again still counts as a change of the provider.
    resp = rp.put(_url(), json={'aggregates': [AGG2, AGG1],
                                'resource_provider_generation': 1})
    assert resp.json()['resource_provider_generation'] == 2


def test_stale_generation_is_409_and_changes_nothing(rp):
    setup.aggregates(rp, RP, [AGG1])
    resp = rp.put(_url(), json={'aggregates': [AGG2],
                                'resource_provider_generation': 0})
    assert resp.status_code == 409
    error = _error(resp)
    assert error['code'] == 'placement.concurrent_update'
    assert "Resource provider's generation already changed" in \
        error['detail']
    assert _members(rp) == [AGG1]
    assert setup.generation(rp, RP) == 1
    assert setup.count(rp, 'placement_aggregates', uuid=AGG2) == 0


def test_replace_removes_and_adds(rp):
    setup.aggregates(rp, RP, [AGG1, AGG2])
    setup.aggregates(rp, RP, [AGG2, AGG3])
    assert _members(rp) == sorted([AGG2, AGG3])
    setup.aggregates(rp, RP, [])
    assert _members(rp) == []
    # Aggregates themselves are never forgotten.
    assert setup.count(rp, 'placement_aggregates') == 3


def test_aggregate_rows_are_shared_between_providers(rp):
    setup.provider(rp, 'rp2', RP2)
    setup.aggregates(rp, RP, [AGG1])
    setup.aggregates(rp, RP2, [AGG1, AGG2])
    assert setup.count(rp, 'placement_aggregates', uuid=AGG1) == 1
    assert _members(rp, RP2) == sorted([AGG1, AGG2])
    setup.aggregates(rp, RP2, [])
    assert _members(rp) == [AGG1]


@pytest.mark.parametrize('version, body, message', [
    ('1.19', [AGG1], 'JSON does not validate'),
    ('1.18', {'aggregates': [AGG1], 'resource_provider_generation': 0},
     'JSON does not validate'),
    ('1.19', {'aggregates': [AGG1]}, "'resource_provider_generation' is a "
     "required property"),
    ('1.19', {'resource_provider_generation': 0}, "'aggregates' is a "
     "required property"),
    ('1.19', {'aggregates': ['harry'], 'resource_provider_generation': 0},
     "is not a 'uuid'"),
    ('1.18', ['sally'], "is not a 'uuid'"),
    ('1.19', {'aggregates': [AGG1, AGG1], 'resource_provider_generation': 0},
     'has non-unique elements'),
    ('1.18', [AGG1, AGG1], 'has non-unique elements'),
    ('1.19', {'aggregates': [], 'resource_provider_generation': 'x'},
     "is not of type 'integer'"),
    ('1.19', {'aggregates': [], 'resource_provider_generation': 0, 'x': 1},
     'Additional properties are not allowed'),
])
def test_invalid_body(rp, version, body, message):
    resp = rp.put(_url(), microversion=version, json=body)
    assert resp.status_code == 400
    assert message in _error(resp)['detail']
    assert _members(rp) == []
    assert setup.count(rp, 'placement_aggregates') == 0


def test_malformed_json(rp):
    resp = rp.put(_url(), body='{"bad", "not json"}')
    assert resp.status_code == 400
    assert 'Malformed JSON' in _error(resp)['detail']


def test_needs_json(rp):
    resp = rp.put(_url(), body='x', content_type='text/plain')
    assert resp.status_code == 415
    resp = rp.get(_url(), headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


@pytest.mark.parametrize('version, present', [('1.14', False),
                                              ('1.15', True)])
def test_cache_headers_from_1_15(rp, version, present):
    for resp in (rp.put(_url(), microversion=version, json=[AGG1]),
                 rp.get(_url(), microversion=version)):
        assert resp.status_code == 200
        assert ('Last-Modified' in resp.headers) == present
        assert ('Cache-Control' in resp.headers) == present


def test_needs_admin(rp):
    assert rp.get(_url(), token='bob:p').status_code == 403
    resp = rp.put(_url(), token='bob:p', json={
        'aggregates': [AGG1], 'resource_provider_generation': 0})
    assert resp.status_code == 403
    assert _members(rp) == []


def test_method_not_allowed(rp):
    resp = rp.delete(_url())
    assert resp.status_code == 405
    assert set(resp.headers['Allow'].split(', ')) == {'GET', 'PUT'}
