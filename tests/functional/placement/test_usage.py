"""GET /resource_providers/{uuid}/usages and GET /usages."""

import pytest

from tests.functional import usage_setup as setup

MISSING = 'fae14fa3-4b43-498c-a33c-4a1d00edb577'


def _inventory(placement, rp, **totals):
    resp = placement.put('/resource_providers/%s/inventories' % rp, json={
        'resource_provider_generation': 0,
        'inventories': {rc: {'total': total} for rc, total in totals.items()}})
    assert resp.status_code == 200, resp.text


@pytest.fixture
def rp(placement):
    uuid = setup.provider(placement, 'rp1')
    _inventory(placement, uuid, VCPU=16, MEMORY_MB=4096, DISK_GB=1000)
    return uuid


@pytest.fixture
def allocated(placement, rp):
    """Two projects, typed and untyped consumers, on two providers."""
    other = setup.provider(placement, 'rp2')
    _inventory(placement, other, VCPU=8, DISK_GB=100)
    setup.allocate(placement, rp, {'VCPU': 2, 'MEMORY_MB': 512},
                  consumer_type='INSTANCE')
    multi = setup.allocate(placement, rp, {'VCPU': 1},
                          consumer_type='INSTANCE')
    setup.allocate(placement, other, {'DISK_GB': 10}, consumer=multi)
    setup.allocate(placement, rp, {'DISK_GB': 100}, consumer_type='MIGRATION',
                  user='u2')
    setup.allocate(placement, other, {'VCPU': 4})
    setup.allocate(placement, rp, {'VCPU': 7}, project='p2')
    return rp, other


def _usages(placement, query, version='latest'):
    resp = placement.get('/usages?' + query, microversion=version)
    assert resp.status_code == 200, resp.text
    return resp.json()['usages']


# -- provider usages ----------------------------------------------------------

def test_provider_missing_is_404(placement):
    resp = placement.get('/resource_providers/%s/usages' % MISSING)
    assert resp.status_code == 404
    assert ('No resource provider with uuid %s found: No resource provider '
            'with uuid %s found' % (MISSING, MISSING)) in resp.text
    assert resp.json()['errors'][0]['title'] == 'Not Found'


def test_provider_without_inventory(placement):
    uuid = setup.provider(placement, 'bare')
    resp = placement.get('/resource_providers/%s/usages' % uuid,
                         microversion='1.0')
    assert resp.status_code == 200
    assert resp.json() == {'resource_provider_generation': 0, 'usages': {}}
    assert 'Last-Modified' not in resp.headers
    assert 'Cache-Control' not in resp.headers


def test_provider_usages_every_inventory_class(placement, allocated):
    rp, other = allocated
    resp = placement.get('/resource_providers/%s/usages' % rp,
                         microversion='1.15')
    assert resp.json() == {
        'resource_provider_generation': setup.generation(placement, rp),
        'usages': {'VCPU': 10, 'MEMORY_MB': 512, 'DISK_GB': 100}}
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['Last-Modified'].endswith(' GMT')
    resp = placement.get('/resource_providers/%s/usages' % other)
    assert resp.json()['usages'] == {'VCPU': 4, 'DISK_GB': 10}


def test_provider_usages_unused_class_is_zero(placement, rp):
    resp = placement.get('/resource_providers/%s/usages' % rp)
    assert resp.json()['usages'] == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


def test_provider_usages_needs_json_accept(placement, rp):
    resp = placement.get('/resource_providers/%s/usages' % rp,
                         headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


# -- total usages ----------------------------------------------------------------------

def test_total_not_before_1_9(placement):
    resp = placement.get('/usages?project_id=p1', microversion='1.8')
    assert resp.status_code == 404


def test_total_empty(placement):
    assert _usages(placement, 'project_id=p1', '1.9') == {}
    assert _usages(placement, 'project_id=p1&user_id=u1', '1.9') == {}
    assert _usages(placement, 'project_id=p1') == {}


def test_total_by_project_and_user(placement, allocated):
    assert _usages(placement, 'project_id=p1', '1.37') == {
        'VCPU': 7, 'MEMORY_MB': 512, 'DISK_GB': 110}
    assert _usages(placement, 'project_id=p1&user_id=u1', '1.9') == {
        'VCPU': 7, 'MEMORY_MB': 512, 'DISK_GB': 10}
    assert _usages(placement, 'project_id=p1&user_id=u2', '1.9') == {
        'DISK_GB': 100}
    assert _usages(placement, 'project_id=p2', '1.9') == {'VCPU': 7}
    assert _usages(placement, 'project_id=p3', '1.9') == {}


def test_total_cache_headers_from_1_15(placement):
    resp = placement.get('/usages?project_id=p1', microversion='1.15')
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['Last-Modified'].endswith(' GMT')
    resp = placement.get('/usages?project_id=p1', microversion='1.14')
    assert 'Last-Modified' not in resp.headers


def test_total_by_consumer_type_from_1_38(placement, allocated):
    assert _usages(placement, 'project_id=p1', '1.38') == {
        'INSTANCE': {'consumer_count': 2, 'VCPU': 3, 'MEMORY_MB': 512,
                     'DISK_GB': 10},
        'MIGRATION': {'consumer_count': 1, 'DISK_GB': 100},
        'unknown': {'consumer_count': 1, 'VCPU': 4},
    }
    assert _usages(placement, 'project_id=p1&user_id=u2') == {
        'MIGRATION': {'consumer_count': 1, 'DISK_GB': 100}}


@pytest.mark.parametrize('consumer_type, expected', [
    ('INSTANCE', {'INSTANCE': {'consumer_count': 2, 'VCPU': 3,
                               'MEMORY_MB': 512, 'DISK_GB': 10}}),
    ('all', {'all': {'consumer_count': 4, 'VCPU': 7, 'MEMORY_MB': 512,
                     'DISK_GB': 110}}),
    ('unknown', {'unknown': {'consumer_count': 1, 'VCPU': 4}}),
    ('ALL', {}),
    ('UNKNOWN', {}),
    ('COW', {}),
])
def test_total_filtered_by_consumer_type(placement, allocated, consumer_type,
                                         expected):
    query = 'project_id=p1&consumer_type=%s' % consumer_type
    assert _usages(placement, query) == expected


def test_consumer_type_all_counts_each_consumer_once(placement, allocated):
    usages = _usages(placement, 'project_id=p1&user_id=u1&consumer_type=all')
    assert usages == {'all': {'consumer_count': 3, 'VCPU': 7,
                              'MEMORY_MB': 512, 'DISK_GB': 10}}


def test_consumer_type_all_without_allocations(placement):
    assert _usages(placement, 'project_id=p1&consumer_type=all') == {}


@pytest.mark.parametrize('query, version, message', [
    ('', '1.9', "'project_id' is a required property"),
    ('user_id=u1', '1.9', "'project_id' is a required property"),
    ('project_id=', '1.9', "Failed validating 'minLength'"),
    ('project_id=p1&user_id=', '1.9', "Failed validating 'minLength'"),
    ('project_id=' + 'x' * 256, '1.9', "Failed validating 'maxLength'"),
    ('project_id=p1&user_id=' + 'x' * 256, '1.9',
     "Failed validating 'maxLength'"),
    ('project_id=p1&dummy=1', '1.9', 'Additional properties are not allowed'),
    ('project_id=p1&consumer_type=INSTANCE', '1.37',
     'Additional properties are not allowed'),
    ('project_id=p1&consumer_type=instance', '1.38', 'does not match'),
    ('project_id=p1&consumer_type=', '1.38', 'does not match'),
])
def test_total_bad_query_is_400(placement, query, version, message):
    resp = placement.get('/usages?' + query, microversion=version)
    assert resp.status_code == 400
    assert 'Invalid query string parameters' in resp.text
    assert message in resp.text


# -- policy -------------------------------------------------------------------------------

def test_provider_usages_need_admin(placement, rp):
    resp = placement.get('/resource_providers/%s/usages' % rp,
                         token='someone:p1')
    assert resp.status_code == 403


def test_project_reader_sees_own_project_only(placement, allocated):
    headers = {'X-Roles': 'reader'}
    resp = placement.get('/usages?project_id=p1', token='someone:p1',
                         headers=headers, microversion='1.9')
    assert resp.status_code == 200
    assert resp.json()['usages']['VCPU'] == 7
    resp = placement.get('/usages?project_id=p2', token='someone:p1',
                         headers=headers)
    assert resp.status_code == 403
