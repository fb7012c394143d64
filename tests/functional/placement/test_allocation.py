"""The allocation API: every route, microversion boundary and error path."""

from oslo_db import exception as db_exc
from oslo_utils import uuidutils
import pytest

from nova_core import exception
from nova_core.placement.objects import consumer as consumer_obj
from nova_core.placement.objects import resource_provider as rp_obj
from tests.functional import allocation_setup as setup
from tests import placement_fixtures

ZERO = '00000000-0000-0000-0000-000000000000'


def _new():
    return uuidutils.generate_uuid()


def _body(rp, resources, generation=None, project='proj', user='user',
          **extra):
    """A 1.28+ PUT body; ``consumer_type`` and others go in *extra*."""
    body = {'allocations': {rp: {'resources': resources}},
            'project_id': project, 'user_id': user,
            'consumer_generation': generation}
    body.update(extra)
    return body


def _put(client, consumer, rp, resources, version='1.28', **kwargs):
    return client.put('/allocations/%s' % consumer,
                      json=_body(rp, resources, **kwargs),
                      microversion=version)


def _detail(resp):
    return resp.json()['errors'][0]['detail']


def _code(resp):
    return resp.json()['errors'][0].get('code')


@pytest.fixture
def rp(placement):
    """A compute node: VCPU 8 (max_unit 16), MEMORY_MB 1024, DISK_GB 100
    (10 to 50 in steps of 10)."""
    uuid = setup.compute(placement, 'cn1', MEMORY_MB=1024)
    setup.inventory(placement, uuid, 'VCPU', 8, max_unit=16)
    setup.inventory(placement, uuid, 'DISK_GB', 100, min_unit=10,
                    max_unit=50, step_size=10)
    return uuid


# -- GET /allocations/{consumer_uuid} -------------------------------------------

@pytest.mark.parametrize('version', ['1.0', '1.12', '1.28', '1.38'])
def test_unknown_consumer_has_empty_allocations(placement, version):
    resp = placement.get('/allocations/%s' % _new(), microversion=version)
    assert resp.status_code == 200
    assert resp.json() == {'allocations': {}}


def test_get_any_consumer_string_is_200(placement):
    assert placement.get('/allocations/not-a-uuid').json() == {
        'allocations': {}}


def test_get_shape_by_microversion(placement, rp):
    consumer = _new()
    assert _put(placement, consumer, rp, {'VCPU': 2, 'MEMORY_MB': 64},
                version='1.38', consumer_type='INSTANCE').status_code == 204
    url = '/allocations/%s' % consumer
    gen = setup.generation(placement, rp)
    expected = {rp: {'generation': gen,
                     'resources': {'VCPU': 2, 'MEMORY_MB': 64}}}
    assert placement.get(url, microversion='1.11').json() == {
        'allocations': expected}
    assert placement.get(url, microversion='1.12').json() == {
        'allocations': expected, 'project_id': 'proj', 'user_id': 'user'}
    assert placement.get(url, microversion='1.28').json() == {
        'allocations': expected, 'project_id': 'proj', 'user_id': 'user',
        'consumer_generation': 1}
    assert placement.get(url, microversion='1.38').json()[
        'consumer_type'] == 'INSTANCE'


def test_get_last_modified_from_1_15(placement, rp):
    consumer = _new()
    _put(placement, consumer, rp, {'VCPU': 1})
    for url in ('/allocations/%s' % consumer,
                '/resource_providers/%s/allocations' % rp,
                '/allocations/%s' % _new()):
        resp = placement.get(url, microversion='1.14')
        assert 'Last-Modified' not in resp.headers
        assert 'Cache-Control' not in resp.headers
        resp = placement.get(url, microversion='1.15')
        assert resp.headers['Cache-Control'] == 'no-cache'
        assert resp.headers['Last-Modified'].endswith(' GMT')


def test_get_needs_json_accept(placement):
    resp = placement.get('/allocations/%s' % _new(),
                         headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


# -- GET /resource_providers/{uuid}/allocations ---------------------------------

def test_provider_allocations(placement, rp):
    one, two = _new(), _new()
    _put(placement, one, rp, {'VCPU': 1, 'DISK_GB': 20})
    _put(placement, two, rp, {'VCPU': 2})
    url = '/resource_providers/%s/allocations' % rp
    body = placement.get(url, microversion='1.27').json()
    assert body == {
        'resource_provider_generation': setup.generation(placement, rp),
        'allocations': {one: {'resources': {'VCPU': 1, 'DISK_GB': 20}},
                        two: {'resources': {'VCPU': 2}}}}
    body = placement.get(url, microversion='1.28').json()
    assert body['allocations'][one]['consumer_generation'] == 1


def test_provider_allocations_empty_and_unknown(placement, rp):
    body = placement.get('/resource_providers/%s/allocations' % rp).json()
    assert body == {'allocations': {}, 'resource_provider_generation': 0}
    missing = _new()
    resp = placement.get('/resource_providers/%s/allocations' % missing)
    assert resp.status_code == 404
    assert "Resource provider '%s' not found" % missing in _detail(resp)


# -- PUT: microversion shapes ---------------------------------------------------

def _listish(rp, resources, **extra):
    body = {'allocations': [{'resource_provider': {'uuid': rp},
                             'resources': resources}]}
    body.update(extra)
    return body


def test_put_1_0_list_makes_incomplete_consumer(placement, rp):
    consumer = _new()
    resp = placement.put('/allocations/%s' % consumer,
                         json=_listish(rp, {'VCPU': 1}), microversion='1.7')
    assert resp.status_code == 204
    assert resp.content == b''
    assert 'Last-Modified' not in resp.headers
    body = placement.get('/allocations/%s' % consumer,
                         microversion='1.38').json()
    assert body['project_id'] == ZERO and body['user_id'] == ZERO
    assert body['consumer_type'] == 'unknown'


def test_incomplete_ids_come_from_config(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'p.sqlite')
    with placement_fixtures.placement_client(
            url, placement__incomplete_consumer_project_id='lost-project',
            placement__incomplete_consumer_user_id='lost-user') as client:
        rp = setup.compute(client, VCPU=4)
        consumer = _new()
        assert client.put('/allocations/%s' % consumer,
                          json=_listish(rp, {'VCPU': 1}),
                          microversion='1.0').status_code == 204
        body = client.get('/allocations/%s' % consumer).json()
        assert (body['project_id'], body['user_id']) == ('lost-project',
                                                         'lost-user')


def test_put_1_0_rejects_bad_lists(placement, rp):
    url = '/allocations/%s' % _new()
    for body, message in [
            ({'allocations': []}, "Failed validating 'minItems'"),
            ({'allocations': [{'resources': {'VCPU': 1}}]},
             "Failed validating 'required'"),
            (_listish(rp, {'VCPU': 0}), '0 is less than the minimum of 1'),
            (_listish(rp, {'cow': 1}), 'JSON does not validate'),
            (_listish(rp, {'VCPU': 1}, project_id='p', user_id='u'),
             'Additional properties are not allowed')]:
        resp = placement.put(url, json=body, microversion='1.7')
        assert resp.status_code == 400, body
        assert message in _detail(resp)


def test_put_1_8_requires_project_and_user(placement, rp):
    url = '/allocations/%s' % _new()
    for extra in ({}, {'project_id': 'p'}, {'user_id': 'u'}):
        resp = placement.put(url, json=_listish(rp, {'VCPU': 1}, **extra),
                             microversion='1.8')
        assert resp.status_code == 400
        assert "Failed validating 'required'" in _detail(resp)
    for extra, message in (({'project_id': '', 'user_id': 'u'}, 'minLength'),
                           ({'project_id': 'p', 'user_id': 'x' * 256},
                            'maxLength')):
        resp = placement.put(url, json=_listish(rp, {'VCPU': 1}, **extra),
                             microversion='1.8')
        assert "Failed validating '%s'" % message in _detail(resp)
    resp = placement.put(url, json=_listish(rp, {'VCPU': 1}, project_id='p',
                                            user_id='u'), microversion='1.11')
    assert resp.status_code == 204


def test_put_1_12_dict_shape(placement, rp):
    url = '/allocations/%s' % _new()
    resp = placement.put(url, json=_listish(rp, {'VCPU': 1}, project_id='p',
                                            user_id='u'), microversion='1.12')
    assert resp.status_code == 400
    body = {'allocations': {rp: {'resources': {'VCPU': 1}}},
            'project_id': 'p', 'user_id': 'u'}
    for bad, message in [
            ({'allocations': {'nice_house_friend': {'resources': {'VCPU': 1}}}},
             'does not match any of the regexes'),
            ({'allocations': {rp: {'resources': {'vcpu': 1}}}},
             'does not match any of the regexes'),
            ({'allocations': {}}, 'JSON does not validate'),
            ({'allocations': {rp: {'resources': {}}}},
             'JSON does not validate'),
            ({'bad_field': 'moo'}, 'Additional properties are not allowed'),
            ({'consumer_generation': None},
             'Additional properties are not allowed')]:
        resp = placement.put(url, json=dict(body, **bad), microversion='1.12')
        assert resp.status_code == 400, bad
        assert message in _detail(resp)
    assert placement.put(url, json=body, microversion='1.12').status_code == 204
    # What GET returns (with provider generations) can be PUT back.
    got = placement.get(url, microversion='1.12').json()
    assert placement.put(url, json=got, microversion='1.12').status_code == 204


def test_put_1_28_consumer_generations(placement, rp):
    consumer = _new()
    resp = placement.put('/allocations/%s' % consumer, microversion='1.28',
                         json={'allocations': {rp: {'resources': {'VCPU': 1}}},
                               'project_id': 'p', 'user_id': 'u'})
    assert resp.status_code == 400
    assert "'consumer_generation' is a required property" in _detail(resp)
    resp = _put(placement, consumer, rp, {'VCPU': 1}, generation=5)
    assert resp.status_code == 409
    assert _code(resp) == 'placement.concurrent_update'
    assert ('consumer generation conflict - expected null but got 5'
            in _detail(resp))
    assert setup.count(placement, 'consumers') == 0
    assert _put(placement, consumer, rp, {'VCPU': 1}).status_code == 204
    resp = _put(placement, consumer, rp, {'VCPU': 1})
    assert resp.status_code == 409
    assert ('consumer generation conflict - expected 1 but got None'
            in _detail(resp))
    resp = _put(placement, consumer, rp, {'VCPU': 1}, generation=12)
    assert 'expected 1 but got 12' in _detail(resp)
    assert _put(placement, consumer, rp, {'VCPU': 2},
                generation=1).status_code == 204
    # Before 1.28 the generation is neither needed nor checked.
    assert _put(placement, consumer, rp, {'VCPU': 3}, version='1.27',
                generation=None).status_code == 400
    resp = placement.put('/allocations/%s' % consumer, microversion='1.27',
                         json={'allocations': {rp: {'resources': {'VCPU': 3}}},
                               'project_id': 'p', 'user_id': 'u'})
    assert resp.status_code == 204
    assert placement.get('/allocations/%s' % consumer).json()[
        'consumer_generation'] == 3


def test_put_empty_allocations_from_1_28(placement, rp):
    consumer = _new()
    url = '/allocations/%s' % consumer
    empty = {'allocations': {}, 'project_id': 'p', 'user_id': 'u'}
    _put(placement, consumer, rp, {'VCPU': 1})
    assert placement.put(url, json=empty,
                         microversion='1.27').status_code == 400
    resp = placement.put(url, json=dict(empty, consumer_generation=1),
                         microversion='1.28')
    assert resp.status_code == 204
    assert placement.get(url).json() == {'allocations': {}}
    # The consumer went with its allocations: "new" again.
    assert setup.count(placement, 'consumers', uuid=consumer) == 0
    assert _put(placement, consumer, rp, {'VCPU': 1}).status_code == 204
    # Emptying a consumer that never existed is harmless.
    other = _new()
    resp = placement.put('/allocations/%s' % other, microversion='1.28',
                         json=dict(empty, consumer_generation=None))
    assert resp.status_code == 204
    assert setup.count(placement, 'consumers', uuid=other) == 0


def test_put_1_34_mappings(placement, rp):
    consumer = _new()
    mappings = {'': [rp], '_NET1': [rp]}
    resp = _put(placement, consumer, rp, {'VCPU': 1}, version='1.33',
                mappings=mappings)
    assert resp.status_code == 400
    assert 'Additional properties are not allowed' in _detail(resp)
    for bad, message in (({'alpha': 'beta'}, "'beta' is not of type 'array'"),
                         ({}, 'JSON does not validate'),
                         ({'x': ['not-a-uuid']}, 'is not a')):
        resp = _put(placement, consumer, rp, {'VCPU': 1}, version='1.34',
                    mappings=bad)
        assert resp.status_code == 400
        assert message in _detail(resp)
    assert _put(placement, consumer, rp, {'VCPU': 1}, version='1.34',
                mappings=mappings).status_code == 204


def test_put_1_38_consumer_types(placement, rp):
    consumer = _new()
    resp = _put(placement, consumer, rp, {'VCPU': 1}, version='1.38')
    assert resp.status_code == 400
    assert "'consumer_type' is a required property" in _detail(resp)
    resp = _put(placement, consumer, rp, {'VCPU': 1}, version='1.38',
                consumer_type='instance')
    assert "'instance' does not match '^[A-Z0-9_]+$'" in _detail(resp)
    resp = _put(placement, consumer, rp, {'VCPU': 1}, version='1.37',
                consumer_type='INSTANCE')
    assert 'Additional properties are not allowed' in _detail(resp)
    assert _put(placement, consumer, rp, {'VCPU': 1}, version='1.38',
                consumer_type='INSTANCE').status_code == 204
    assert _put(placement, consumer, rp, {'VCPU': 1}, version='1.38',
                generation=1, consumer_type='PONY').status_code == 204
    url = '/allocations/%s' % consumer
    assert placement.get(url).json()['consumer_type'] == 'PONY'
    # A write without a type keeps the consumer's.
    assert _put(placement, consumer, rp, {'VCPU': 2}, version='1.37',
                generation=2).status_code == 204
    assert placement.get(url).json()['consumer_type'] == 'PONY'
    assert setup.count(placement, 'consumer_types') == 2


def test_project_and_user_can_change(placement, rp):
    consumer = _new()
    _put(placement, consumer, rp, {'VCPU': 1})
    assert _put(placement, consumer, rp, {'VCPU': 1}, generation=1,
                project='other', user='someone').status_code == 204
    body = placement.get('/allocations/%s' % consumer).json()
    assert (body['project_id'], body['user_id']) == ('other', 'someone')
    assert body['consumer_generation'] == 2


def test_consumer_uuid_in_path(placement, rp):
    resp = _put(placement, 'not-a-uuid', rp, {'VCPU': 1})
    assert resp.status_code == 400
    assert 'Malformed consumer_uuid: not-a-uuid' in _detail(resp)
    consumer = _new()
    assert _put(placement, consumer.replace('-', ''), rp,
                {'VCPU': 1}).status_code == 204
    assert placement.get('/allocations/%s' % consumer).json()['allocations']


def test_put_bad_bodies(placement, rp):
    url = '/allocations/%s' % _new()
    resp = placement.put(url, body=b'{"allocations": ', microversion='1.28')
    assert resp.status_code == 400
    assert 'Malformed JSON' in _detail(resp)
    resp = placement.put(url, body=b'{}', content_type='text/plain')
    assert resp.status_code == 415
    resp = placement.put(url, headers={'Content-Type': 'application/json'})
    assert resp.status_code == 400


# -- PUT: errors against inventory -----------------------------------------------

def _assert_unchanged(placement, before):
    assert setup.snapshot(placement) == before


def test_unknown_provider_is_400(placement, rp):
    missing = _new()
    before = setup.snapshot(placement)
    body = _body(rp, {'VCPU': 1})
    body['allocations'][missing] = {'resources': {'VCPU': 1}}
    resp = placement.put('/allocations/%s' % _new(), json=body,
                         microversion='1.28')
    assert resp.status_code == 400
    assert ("Allocation for resource provider '%s' that does not exist."
            % missing) in _detail(resp)
    _assert_unchanged(placement, before)


def test_unknown_class_is_400(placement, rp):
    consumer = _new()
    before = setup.snapshot(placement)
    resp = _put(placement, consumer, rp, {'VCPU': 1, 'COWS': 12})
    assert resp.status_code == 400
    assert ('Unable to allocate inventory for consumer %s: No such resource '
            'class COWS' % consumer) in _detail(resp)
    _assert_unchanged(placement, before)


@pytest.mark.parametrize('resources, message', [
    ({'VCPU': 9}, 'The requested amount would exceed the capacity'),
    ({'VCPU': 1, 'PCI_DEVICE': 1}, "Inventory for 'PCI_DEVICE' on resource "
                                   "provider '%(rp)s' invalid."),
    ({'DISK_GB': 5}, 'would violate inventory constraints'),
    ({'DISK_GB': 60}, 'would violate inventory constraints'),
    ({'DISK_GB': 15}, 'would violate inventory constraints'),
])
def test_inventory_refuses(placement, rp, resources, message):
    before = setup.snapshot(placement)
    resp = _put(placement, _new(), rp, resources)
    assert resp.status_code == 409
    assert 'Unable to allocate inventory: ' in _detail(resp)
    assert message % {'rp': rp} in _detail(resp)
    assert _code(resp) == 'placement.undefined_code'
    _assert_unchanged(placement, before)


def test_provider_without_inventory_is_409(placement):
    bare = setup.provider(placement)
    resp = _put(placement, _new(), bare, {'DISK_GB': 10})
    assert resp.status_code == 409
    assert "Inventory for 'DISK_GB' on resource provider '%s'" % bare in \
        _detail(resp)


def test_capacity_counts_reserved_ratio_and_others(placement):
    rp = setup.provider(placement)
    setup.inventory(placement, rp, 'VCPU', 10, reserved=2,
                    allocation_ratio=1.5, max_unit=12)
    # (10 - 2) * 1.5 = 12
    assert _put(placement, _new(), rp, {'VCPU': 12}).status_code == 204
    assert _put(placement, _new(), rp, {'VCPU': 1}).status_code == 409
    assert setup.used(placement, rp, 'VCPU') == 12


def test_rewriting_own_allocation_does_not_count_it_twice(placement):
    rp = setup.compute(placement, VCPU=4)
    consumer = _new()
    assert _put(placement, consumer, rp, {'VCPU': 4}).status_code == 204
    assert _put(placement, consumer, rp, {'VCPU': 4},
                generation=1).status_code == 204
    assert setup.used(placement, rp, 'VCPU') == 4


def test_over_capacity_provider_may_shrink_not_grow(placement):
    rp = setup.compute(placement, VCPU=8)
    consumer = _new()
    _put(placement, consumer, rp, {'VCPU': 6})
    setup.inventory(placement, rp, 'VCPU', 4, max_unit=8)  # below usage
    assert _put(placement, consumer, rp, {'VCPU': 7},
                generation=1).status_code == 409
    assert _put(placement, consumer, rp, {'VCPU': 5},
                generation=1).status_code == 204
    assert _put(placement, _new(), rp, {'VCPU': 1}).status_code == 409
    assert setup.used(placement, rp, 'VCPU') == 5


def test_generations_move_only_on_success(placement, rp):
    consumer = _new()
    assert setup.generation(placement, rp) == 0
    _put(placement, consumer, rp, {'VCPU': 1})
    assert setup.generation(placement, rp) == 1
    _put(placement, consumer, rp, {'VCPU': 100}, generation=1)
    assert setup.generation(placement, rp) == 1
    assert placement.get('/allocations/%s' % consumer).json()[
        'consumer_generation'] == 1
    assert placement.delete('/allocations/%s' % consumer).status_code == 204
    assert setup.generation(placement, rp) == 1


def test_moving_away_bumps_only_the_new_provider(placement, rp):
    other = setup.compute(placement, VCPU=8)
    consumer = _new()
    _put(placement, consumer, rp, {'VCPU': 1})
    _put(placement, consumer, other, {'VCPU': 1}, generation=1)
    assert setup.generation(placement, rp) == 1
    assert setup.generation(placement, other) == 1
    assert setup.used(placement, rp, 'VCPU') == 0


def test_failed_new_consumer_leaves_nothing(placement, rp):
    before = setup.snapshot(placement)
    resp = _put(placement, _new(), rp, {'VCPU': 99}, version='1.38',
                project='fresh-project', user='fresh-user',
                consumer_type='FRESH')
    assert resp.status_code == 409
    _assert_unchanged(placement, before)


# -- POST /allocations --------------------------------------------------------

def test_post_routes(placement):
    resp = placement.get('/allocations')
    assert resp.status_code == 405
    assert resp.headers['Allow'] == 'POST'
    assert placement.post('/allocations', json={},
                          microversion='1.12').status_code == 404


def _post_entry(rp, resources, generation=None, project='proj',
                user='user', **extra):
    entry = _body(rp, resources, generation, project, user, **extra)
    if rp is None:
        entry['allocations'] = {}
    return entry


def test_post_several_consumers(placement, rp):
    other = setup.compute(placement, VCPU=8)
    one, two = _new(), _new()
    resp = placement.post('/allocations', microversion='1.28', json={
        one: _post_entry(rp, {'VCPU': 2}),
        two: _post_entry(other, {'VCPU': 3}, project='alt', user='alt')})
    assert resp.status_code == 204
    assert placement.get('/allocations/%s' % two).json()['project_id'] == 'alt'
    # Move one's allocation to two in one request, emptying one.
    resp = placement.post('/allocations', microversion='1.28', json={
        one: _post_entry(None, {}, generation=1),
        two: dict(_post_entry(other, {'VCPU': 3}, generation=1,
                              project='alt', user='alt'),
                  allocations={other: {'resources': {'VCPU': 3}},
                               rp: {'resources': {'VCPU': 2}}})})
    assert resp.status_code == 204
    assert placement.get('/allocations/%s' % one).json() == {'allocations': {}}
    assert setup.count(placement, 'consumers', uuid=one) == 0
    assert setup.used(placement, rp, 'VCPU') == 2


def test_post_1_13_shape(placement, rp):
    consumer = _new()
    entry = {'allocations': {rp: {'resources': {'VCPU': 1}}},
             'project_id': 'p', 'user_id': 'u'}
    assert placement.post('/allocations', json={consumer: entry},
                          microversion='1.13').status_code == 204
    for bad in ({}, {consumer: {'cow': 'moo'}},
                {consumer: dict(entry, allocations={rp: {'cow': 'moo'}})},
                {'not-a-uuid': entry},
                {consumer: dict(entry, consumer_generation=1)}):
        resp = placement.post('/allocations', json=bad, microversion='1.13')
        assert resp.status_code == 400, bad
    resp = placement.post('/allocations', json={consumer: entry},
                          microversion='1.28')
    assert resp.status_code == 400
    assert 'JSON does not validate' in _detail(resp)


def test_post_later_microversions(placement, rp):
    consumer = _new()
    entry = _post_entry(rp, {'VCPU': 1}, mappings={'': [rp]})
    resp = placement.post('/allocations', json={consumer: entry},
                          microversion='1.33')
    assert 'Additional properties are not allowed' in _detail(resp)
    resp = placement.post('/allocations', json={consumer: entry},
                          microversion='1.38')
    assert "'consumer_type' is a required property" in _detail(resp)
    entry['consumer_type'] = 'MIGRATION'
    assert placement.post('/allocations', json={consumer: entry},
                          microversion='1.38').status_code == 204
    assert placement.get('/allocations/%s' % consumer).json()[
        'consumer_type'] == 'MIGRATION'


def test_post_sums_one_request_against_capacity(placement):
    rp = setup.compute(placement, VCPU=2)
    before = setup.snapshot(placement)
    resp = placement.post('/allocations', microversion='1.28', json={
        _new(): _post_entry(rp, {'VCPU': 1}) for _i in range(3)})
    assert resp.status_code == 409
    assert 'The requested amount would exceed the capacity' in _detail(resp)
    _assert_unchanged(placement, before)


def test_post_errors_are_atomic(placement, rp):
    good, bad = _new(), _new()
    _put(placement, good, rp, {'VCPU': 1})
    before = setup.snapshot(placement)
    cases = [
        ({good: _post_entry(rp, {'VCPU': 2}, generation=1, project='moved'),
          bad: _post_entry(_new(), {'VCPU': 1})}, 400, 'that does not exist'),
        ({good: _post_entry(rp, {'VCPU': 2}, generation=1, project='moved'),
          bad: _post_entry(rp, {'CUSTOM_PONY': 1})}, 400,
         'Unable to allocate inventory No such resource class CUSTOM_PONY'),
        ({good: _post_entry(rp, {'VCPU': 2}, generation=1, project='moved'),
          bad: _post_entry(rp, {'VCPU': 7})}, 409,
         'The requested amount would exceed the capacity'),
        ({good: _post_entry(rp, {'VCPU': 2}, generation=1, project='moved'),
          bad: _post_entry(rp, {'VCPU': 1}, generation=3)}, 409,
         'consumer generation conflict - expected null but got 3'),
        ({bad: _post_entry(rp, {'VCPU': 1}),
          good: _post_entry(rp, {'VCPU': 2}, generation=0)}, 409,
         'consumer generation conflict - expected 1 but got 0'),
    ]
    for body, status, message in cases:
        resp = placement.post('/allocations', json=body, microversion='1.28')
        assert resp.status_code == status, resp.text
        assert message in _detail(resp)
        _assert_unchanged(placement, before)


# -- DELETE /allocations/{consumer_uuid} --------------------------------------

def test_delete(placement, rp):
    consumer = _new()
    _put(placement, consumer, rp, {'VCPU': 1, 'MEMORY_MB': 10})
    url = '/allocations/%s' % consumer
    resp = placement.delete(url)
    assert resp.status_code == 204
    assert resp.content == b''
    assert placement.get(url).json() == {'allocations': {}}
    assert setup.count(placement, 'consumers') == 0
    resp = placement.delete(url)
    assert resp.status_code == 404
    assert "No allocations for consumer '%s'" % consumer in _detail(resp)
    # The consumer is new again.
    assert _put(placement, consumer, rp, {'VCPU': 1}).status_code == 204


# -- policy -------------------------------------------------------------------

def test_non_admin_is_refused(placement, rp):
    consumer = _new()
    url = '/allocations/%s' % consumer
    for method, path, kwargs in [
            ('GET', url, {}),
            ('PUT', url, {'json': _body(rp, {'VCPU': 1})}),
            ('DELETE', url, {}),
            ('POST', '/allocations',
             {'json': {consumer: _post_entry(rp, {'VCPU': 1})}}),
            ('GET', '/resource_providers/%s/allocations' % rp, {})]:
        resp = placement.request(method, path, token='alice:proj', **kwargs)
        assert resp.status_code == 403, (method, path)


# -- lost races are retried -----------------------------------------------------

def _flaky(monkeypatch, module, name, error, failures):
    """Make ``module.name`` raise *error* on its first *failures* calls."""
    real = getattr(module, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(args)
        if len(calls) <= failures:
            raise error
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, flaky)
    return calls


@pytest.mark.parametrize('module, name, error', [
    (rp_obj, 'increment_generation',
     exception.ResourceProviderConcurrentUpdateDetected()),
    (consumer_obj, 'increment_generation',
     exception.ConsumerConcurrentUpdateDetected()),
    (consumer_obj, 'increment_generation', db_exc.DBDeadlock()),
])
def test_lost_races_are_retried(placement, rp, monkeypatch, module, name,
                                error):
    # A consumer's generation is swapped on its later writes (a new one is
    # created with its final generation).
    consumer = _new()
    assert _put(placement, consumer, rp, {'VCPU': 2}).status_code == 204
    calls = _flaky(monkeypatch, module, name, error, failures=3)
    assert _put(placement, consumer, rp, {'VCPU': 1},
                generation=1).status_code == 204
    assert len(calls) == 4
    assert setup.used(placement, rp, 'VCPU') == 1
    assert setup.generation(placement, rp) == 2
    resp = placement.get('/allocations/%s' % consumer, microversion='1.28')
    assert resp.json()['consumer_generation'] == 2


@pytest.mark.parametrize('error, message', [
    (exception.ResourceProviderConcurrentUpdateDetected(),
     'Another thread concurrently updated the resource provider data'),
    (db_exc.DBDeadlock(), 'Max retries of DB transaction exceeded'),
])
def test_retries_run_out(tmp_path, monkeypatch, error, message):
    url = 'sqlite:///%s' % (tmp_path / 'p.sqlite')
    with placement_fixtures.placement_client(
            url, placement__allocation_conflict_retry_count=2) as client:
        rp = setup.compute(client, VCPU=4)
        before = setup.snapshot(client)
        calls = _flaky(monkeypatch, rp_obj, 'increment_generation', error,
                       failures=10)
        resp = _put(client, _new(), rp, {'VCPU': 1})
        assert resp.status_code == 409
        assert _code(resp) == 'placement.concurrent_update'
        assert ('Inventory and/or allocations changed while attempting to '
                'allocate: ' + message) in _detail(resp)
        assert len(calls) == 3
        assert setup.snapshot(client) == before


def test_consumer_generation_conflicts_are_not_retried(placement, rp,
                                                       monkeypatch):
    consumer = _new()
    _put(placement, consumer, rp, {'VCPU': 1})
    calls = _flaky(monkeypatch, consumer_obj, 'prepare',
                   exception.ConsumerGenerationConflict(reason='nope'), 1)
    resp = _put(placement, consumer, rp, {'VCPU': 2}, generation=1)
    assert resp.status_code == 409
    assert 'nope' in _detail(resp)
    assert len(calls) == 1
