"""Inventories and usages on SQLite, MariaDB and PostgreSQL."""

import concurrent.futures

from tests.functional import usage_setup as setup


def _url(rp, rc=None):
    url = '/resource_providers/%s/inventories' % rp
    return url + '/' + rc if rc else url


def _put_all(client, rp, generation, **records):
    return client.put(_url(rp), json={'resource_provider_generation':
                                      generation, 'inventories': records})


def test_inventory_round_trip(placement_on):
    rp = setup.provider(placement_on, 'rp1')
    resp = _put_all(placement_on, rp, 0,
                    VCPU={'total': 8, 'allocation_ratio': 16.0},
                    MEMORY_MB={'total': 4096, 'allocation_ratio': 1.5,
                               'reserved': 512, 'step_size': 256,
                               'max_unit': 2147483647})
    assert resp.status_code == 200, resp.text
    body = placement_on.get(_url(rp)).json()
    assert body['resource_provider_generation'] == 1
    assert body['inventories']['MEMORY_MB'] == {
        'total': 4096, 'reserved': 512, 'min_unit': 1,
        'max_unit': 2147483647, 'step_size': 256, 'allocation_ratio': 1.5}
    resp = placement_on.post(_url(rp), json={'resource_class': 'DISK_GB',
                                             'total': 100})
    assert resp.status_code == 201
    resp = placement_on.put(_url(rp, 'DISK_GB'), json={
        'resource_provider_generation': 2, 'total': 200})
    assert resp.json()['resource_provider_generation'] == 3
    assert placement_on.delete(_url(rp, 'VCPU')).status_code == 204
    assert placement_on.delete(_url(rp)).status_code == 204
    assert placement_on.get(_url(rp)).json() == {
        'resource_provider_generation': 5, 'inventories': {}}


def test_in_use_leaves_everything_as_it_was(placement_on):
    rp = setup.provider(placement_on, 'rp1')
    _put_all(placement_on, rp, 0, VCPU={'total': 8}, DISK_GB={'total': 10})
    setup.allocate(placement_on, rp, {'VCPU': 3})
    resp = _put_all(placement_on, rp, 2, DISK_GB={'total': 99},
                    MEMORY_MB={'total': 1})
    assert resp.status_code == 409
    assert "Inventory for 'VCPU' on resource provider" in resp.text
    assert placement_on.delete(_url(rp)).status_code == 409
    assert placement_on.delete(_url(rp, 'VCPU')).status_code == 409
    body = placement_on.get(_url(rp)).json()
    assert body['resource_provider_generation'] == 2
    assert set(body['inventories']) == {'VCPU', 'DISK_GB'}
    assert body['inventories']['DISK_GB']['total'] == 10


def test_unknown_class_leaves_nothing_written(placement_on):
    rp = setup.provider(placement_on, 'rp1')
    resp = _put_all(placement_on, rp, 0, VCPU={'total': 8},
                    CUSTOM_NONE={'total': 1})
    assert resp.status_code == 400
    assert placement_on.get(_url(rp)).json() == {
        'resource_provider_generation': 0, 'inventories': {}}


def test_concurrent_writers_with_one_generation(placement_on):
    """Of writers that all read generation 0, exactly one wins."""
    rp = setup.provider(placement_on, 'rp1')

    def write(total):
        return _put_all(placement_on, rp, 0,
                        VCPU={'total': total}).status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(write, range(1, 13)))
    assert statuses.count(200) == 1
    assert set(statuses) == {200, 409}
    body = placement_on.get(_url(rp)).json()
    assert body['resource_provider_generation'] == 1


def test_usages(placement_on):
    rp = setup.provider(placement_on, 'rp1')
    _put_all(placement_on, rp, 0, VCPU={'total': 8}, DISK_GB={'total': 100})
    setup.allocate(placement_on, rp, {'VCPU': 2, 'DISK_GB': 10},
                  consumer_type='INSTANCE')
    setup.allocate(placement_on, rp, {'VCPU': 1}, consumer_type='INSTANCE')
    setup.allocate(placement_on, rp, {'DISK_GB': 5}, user='u2')
    resp = placement_on.get('/resource_providers/%s/usages' % rp)
    assert resp.json()['usages'] == {'VCPU': 3, 'DISK_GB': 15}
    resp = placement_on.get('/usages?project_id=p1', microversion='1.9')
    assert resp.json()['usages'] == {'VCPU': 3, 'DISK_GB': 15}
    resp = placement_on.get('/usages?project_id=p1')
    assert resp.json()['usages'] == {
        'INSTANCE': {'consumer_count': 2, 'VCPU': 3, 'DISK_GB': 10},
        'unknown': {'consumer_count': 1, 'DISK_GB': 5}}
    for consumer_type, expected in [
            ('all', {'all': {'consumer_count': 3, 'VCPU': 3,
                             'DISK_GB': 15}}),
            ('unknown', {'unknown': {'consumer_count': 1, 'DISK_GB': 5}}),
            ('INSTANCE', {'INSTANCE': {'consumer_count': 2, 'VCPU': 3,
                                       'DISK_GB': 10}})]:
        resp = placement_on.get(
            '/usages?project_id=p1&user_id=u1&consumer_type=%s'
            % consumer_type)
        if consumer_type == 'unknown':
            expected = {}  # u1 has no untyped consumer
        elif consumer_type == 'all':
            expected = {'all': {'consumer_count': 2, 'VCPU': 3,
                                'DISK_GB': 10}}
        assert resp.json()['usages'] == expected, consumer_type
