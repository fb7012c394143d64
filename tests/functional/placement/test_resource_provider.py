"""The /resource_providers API: create, show, update, delete, microversion by microversion."""

import pytest

from tests.functional import provider_setup as setup

RP = '6a4f6b3a-1e8d-4c55-9c5e-000000000001'
RP2 = '6a4f6b3a-1e8d-4c55-9c5e-000000000002'
RP3 = '6a4f6b3a-1e8d-4c55-9c5e-000000000003'
MISSING = 'd67370b5-4dc0-470d-a4fa-85e8e89abc6c'


def _url(uuid):
    return '/resource_providers/%s' % uuid


def _error(resp):
    return resp.json()['errors'][0]


def _parent_of(placement, uuid):
    body = placement.get(_url(uuid)).json()
    return body['parent_provider_uuid'], body['root_provider_uuid']


# -- POST ---------------------------------------------------------------------

def test_post_before_1_20_is_201_with_location_only(placement):
    resp = placement.post('/resource_providers', microversion='1.19',
                          json={'name': 'rp', 'uuid': RP})
    assert resp.status_code == 201
    assert resp.headers['Location'].endswith(_url(RP))
    assert 'Content-Type' not in resp.headers
    assert 'Last-Modified' not in resp.headers
    assert resp.content == b''


def test_post_from_1_20_returns_the_provider(placement):
    resp = placement.post('/resource_providers', json={'name': 'rp',
                                                       'uuid': RP})
    assert resp.status_code == 200
    assert resp.headers['Location'].endswith(_url(RP))
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert 'Last-Modified' in resp.headers
    body = resp.json()
    assert body['uuid'] == RP and body['name'] == 'rp'
    assert body['generation'] == 0
    assert body['parent_provider_uuid'] is None
    assert body['root_provider_uuid'] == RP


def test_post_without_uuid_generates_one(placement):
    resp = placement.post('/resource_providers', json={'name': 'rp'})
    assert resp.status_code == 200
    uuid = resp.json()['uuid']
    assert resp.headers['Location'].endswith(_url(uuid))
    assert placement.get(_url(uuid)).status_code == 200


def test_post_undashed_uuid_is_stored_dashed(placement):
    resp = placement.post('/resource_providers', json={
        'name': 'rp', 'uuid': RP.replace('-', '')})
    assert resp.json()['uuid'] == RP
    resp = placement.post('/resource_providers', json={
        'name': 'other', 'uuid': RP.replace('-', '')})
    assert resp.status_code == 409
    assert ('Conflicting resource provider uuid: %s already exists' % RP
            in _error(resp)['detail'])


def test_post_duplicate_name(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.post('/resource_providers', json={'name': 'rp',
                                                       'uuid': RP2})
    assert resp.status_code == 409
    error = _error(resp)
    assert 'Conflicting resource provider name: rp already exists' in \
        error['detail']
    assert error['code'] == 'placement.duplicate_name'
    assert setup.count(placement, 'resource_providers') == 1


def test_post_duplicate_uuid(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.post('/resource_providers', json={'name': 'other',
                                                       'uuid': RP})
    assert resp.status_code == 409
    assert _error(resp)['code'] == 'placement.duplicate_name'
    assert 'uuid: %s' % RP in _error(resp)['detail']


@pytest.mark.parametrize('body, message', [
    ({'name': 'rp', 'uuid': 'not a uuid'}, "Failed validating 'format'"),
    ({'name': 'x' * 201}, "Failed validating 'maxLength'"),
    ({'uuid': RP}, "'name' is a required property"),
    ({'name': 'rp', 'extra': 1}, 'Additional properties are not allowed'),
    ({'name': 5}, "5 is not of type 'string'"),
    ({'name': 'rp', 'parent_provider_uuid': 'nope'},
     "Failed validating 'format'"),
    ({'name': 'rp', 'root_provider_uuid': RP},
     'Additional properties are not allowed'),
])
def test_post_invalid_body(placement, body, message):
    resp = placement.post('/resource_providers', json=body)
    assert resp.status_code == 400
    assert 'JSON does not validate' in _error(resp)['detail']
    assert message in _error(resp)['detail']
    assert setup.count(placement, 'resource_providers') == 0


def test_post_malformed_json(placement):
    resp = placement.post('/resource_providers', body='{"name": }')
    assert resp.status_code == 400
    assert 'Malformed JSON' in _error(resp)['detail']


def test_post_needs_json(placement):
    resp = placement.post('/resource_providers', body='name=rp',
                          content_type='text/plain')
    assert resp.status_code == 415


def test_post_parent_before_1_14_is_refused(placement):
    setup.provider(placement, 'parent', RP)
    resp = placement.post('/resource_providers', microversion='1.13',
                          json={'name': 'child', 'parent_provider_uuid': RP})
    assert resp.status_code == 400
    assert 'Additional properties are not allowed' in _error(resp)['detail']


def test_post_child(placement):
    setup.provider(placement, 'parent', RP)
    setup.provider(placement, 'child', RP2, parent=RP)
    setup.provider(placement, 'grandchild', RP3, parent=RP2)
    assert _parent_of(placement, RP3) == (RP2, RP)


def test_post_null_parent_is_a_root(placement):
    resp = placement.post('/resource_providers', json={
        'name': 'rp', 'uuid': RP, 'parent_provider_uuid': None})
    assert resp.status_code == 200
    assert resp.json()['root_provider_uuid'] == RP


def test_post_missing_parent(placement):
    resp = placement.post('/resource_providers', json={
        'name': 'child', 'uuid': RP2, 'parent_provider_uuid': RP})
    assert resp.status_code == 400
    assert ('Unable to create resource provider "child", %s: Object action '
            'create failed because: parent provider UUID does not exist.'
            % RP2) in _error(resp)['detail']
    assert setup.count(placement, 'resource_providers') == 0


def test_post_self_parent(placement):
    resp = placement.post('/resource_providers', json={
        'name': 'child', 'uuid': RP, 'parent_provider_uuid': RP})
    assert resp.status_code == 400
    assert 'parent provider UUID cannot be same as UUID' in \
        _error(resp)['detail']


def test_post_needs_admin(placement):
    resp = placement.post('/resource_providers', json={'name': 'rp'},
                          token='alice:project1')
    assert resp.status_code == 403
    assert setup.count(placement, 'resource_providers') == 0


# -- GET one --------------------------------------------------------------------

@pytest.mark.parametrize('version, rels', [
    ('1.0', ['self', 'inventories', 'usages']),
    ('1.1', ['self', 'inventories', 'usages', 'aggregates']),
    ('1.5', ['self', 'inventories', 'usages', 'aggregates']),
    ('1.6', ['self', 'inventories', 'usages', 'aggregates', 'traits']),
    ('1.10', ['self', 'inventories', 'usages', 'aggregates', 'traits']),
    ('1.11', ['self', 'inventories', 'usages', 'aggregates', 'traits',
              'allocations']),
])
def test_links_per_microversion(placement, version, rels):
    setup.provider(placement, 'rp', RP)
    for resp in (placement.get(_url(RP), microversion=version),
                 placement.get('/resource_providers', microversion=version)):
        body = resp.json()
        links = (body['links'] if 'links' in body
                 else body['resource_providers'][0]['links'])
        assert [link['rel'] for link in links] == rels
        for link in links[1:]:
            assert link['href'] == '%s/%s' % (_url(RP), link['rel'])
        assert links[0]['href'] == _url(RP)


def test_tree_fields_from_1_14(placement):
    setup.provider(placement, 'rp', RP)
    body = placement.get(_url(RP), microversion='1.13').json()
    assert sorted(body) == ['generation', 'links', 'name', 'uuid']
    body = placement.get(_url(RP), microversion='1.14').json()
    assert body['root_provider_uuid'] == RP
    assert body['parent_provider_uuid'] is None


def test_get_last_modified_from_1_15(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.get(_url(RP), microversion='1.14')
    assert 'Last-Modified' not in resp.headers
    assert 'Cache-Control' not in resp.headers
    resp = placement.get(_url(RP), microversion='1.15')
    assert resp.headers['Last-Modified'].endswith(' GMT')
    assert resp.headers['Cache-Control'] == 'no-cache'


def test_get_missing(placement):
    resp = placement.get(_url(MISSING))
    assert resp.status_code == 404
    assert 'No resource provider with uuid %s found' % MISSING in \
        _error(resp)['detail']
    assert placement.get('/resource_providers/random').status_code == 404


def test_get_only_json(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.get(_url(RP), headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


def test_get_needs_admin(placement):
    setup.provider(placement, 'rp', RP)
    assert placement.get(_url(RP), token='bob:p').status_code == 403
    assert placement.get('/resource_providers',
                         token='bob:p').status_code == 403


# -- PUT ------------------------------------------------------------------------

def test_rename(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.put(_url(RP), json={'name': 'new name'})
    assert resp.status_code == 200
    assert resp.json()['name'] == 'new name'
    assert resp.json()['generation'] == 0
    assert 'Location' not in resp.headers
    assert resp.headers['Last-Modified'].endswith(' GMT')
    assert placement.get(_url(RP)).json()['name'] == 'new name'


def test_rename_to_taken_name(placement):
    setup.provider(placement, 'rp', RP)
    setup.provider(placement, 'other', RP2)
    resp = placement.put(_url(RP2), json={'name': 'rp'})
    assert resp.status_code == 409
    assert _error(resp)['code'] == 'placement.duplicate_name'
    assert 'Conflicting resource provider rp already exists' in \
        _error(resp)['detail']
    assert placement.get(_url(RP2)).json()['name'] == 'other'


def test_put_missing_is_404_before_validation(placement):
    resp = placement.put(_url(MISSING), json={'bad': 1})
    assert resp.status_code == 404


@pytest.mark.parametrize('body', [
    {'badfield': 'x'}, {'name': 'x', 'uuid': RP2}, {},
    {'name': 'x' * 201}, {'name': 'x', 'root_provider_uuid': RP2}])
def test_put_invalid_body(placement, body):
    setup.provider(placement, 'rp', RP)
    resp = placement.put(_url(RP), json=body)
    assert resp.status_code == 400
    assert 'JSON does not validate' in _error(resp)['detail']
    assert placement.get(_url(RP)).json()['name'] == 'rp'


def test_put_parent_before_1_14_is_refused(placement):
    setup.provider(placement, 'parent', RP)
    setup.provider(placement, 'rp', RP2)
    resp = placement.put(_url(RP2), microversion='1.13', json={
        'name': 'rp', 'parent_provider_uuid': RP})
    assert resp.status_code == 400
    assert _parent_of(placement, RP2) == (None, RP2)


def test_put_sets_a_parent_on_a_root_with_its_subtree(placement):
    setup.provider(placement, 'parent', RP)
    setup.provider(placement, 'rp', RP2)
    setup.provider(placement, 'rp child', RP3, parent=RP2)
    resp = placement.put(_url(RP2), microversion='1.14', json={
        'name': 'rp', 'parent_provider_uuid': RP})
    assert resp.status_code == 200
    assert resp.json()['root_provider_uuid'] == RP
    assert _parent_of(placement, RP3) == (RP2, RP)


def test_put_same_parent_again_is_fine_before_1_37(placement):
    setup.provider(placement, 'parent', RP)
    setup.provider(placement, 'rp', RP2, parent=RP)
    resp = placement.put(_url(RP2), microversion='1.14', json={
        'name': 'rp', 'parent_provider_uuid': RP})
    assert resp.status_code == 200


def test_put_without_parent_keeps_the_parent(placement):
    setup.provider(placement, 'parent', RP)
    setup.provider(placement, 'rp', RP2, parent=RP)
    assert placement.put(_url(RP2), json={'name': 'x'}).status_code == 200
    assert _parent_of(placement, RP2) == (RP, RP)


def test_put_missing_parent(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.put(_url(RP), json={'name': 'rp',
                                         'parent_provider_uuid': MISSING})
    assert resp.status_code == 400
    assert ('Unable to save resource provider %s: Object action create '
            'failed because: parent provider UUID does not exist.'
            % RP) in _error(resp)['detail']


@pytest.mark.parametrize('version', ['1.14', '1.36'])
def test_reparent_refused_before_1_37(placement, version):
    setup.provider(placement, 'a', RP)
    setup.provider(placement, 'b', RP2)
    setup.provider(placement, 'child', RP3, parent=RP)
    resp = placement.put(_url(RP3), microversion=version, json={
        'name': 'child', 'parent_provider_uuid': RP2})
    assert resp.status_code == 400
    assert 're-parenting a provider is not currently allowed' in \
        _error(resp)['detail']
    resp = placement.put(_url(RP3), microversion=version, json={
        'name': 'child', 'parent_provider_uuid': None})
    assert resp.status_code == 400
    assert 'un-parenting a provider is not currently allowed' in \
        _error(resp)['detail']
    assert _parent_of(placement, RP3) == (RP, RP)


def test_reparent_moves_the_subtree_from_1_37(placement):
    setup.provider(placement, 'a', RP)
    setup.provider(placement, 'b', RP2)
    setup.provider(placement, 'child', RP3, parent=RP)
    grandchild = setup.provider(placement, 'grandchild', parent=RP3)
    resp = placement.put(_url(RP3), microversion='1.37', json={
        'name': 'child', 'parent_provider_uuid': RP2})
    assert resp.status_code == 200
    assert _parent_of(placement, RP3) == (RP2, RP2)
    assert _parent_of(placement, grandchild) == (RP3, RP2)
    assert setup.listed(placement, 'in_tree=%s' % RP) == ['a']


def test_unparent_makes_a_new_root_from_1_37(placement):
    setup.provider(placement, 'a', RP)
    setup.provider(placement, 'child', RP3, parent=RP)
    grandchild = setup.provider(placement, 'grandchild', parent=RP3)
    resp = placement.put(_url(RP3), microversion='1.37', json={
        'name': 'child', 'parent_provider_uuid': None})
    assert resp.status_code == 200
    assert resp.json()['root_provider_uuid'] == RP3
    assert _parent_of(placement, grandchild) == (RP3, RP3)


@pytest.mark.parametrize('target', ['self', 'child', 'grandchild'])
def test_reparent_into_own_subtree_is_a_loop(placement, target):
    setup.provider(placement, 'a', RP)
    uuids = {'self': RP, 'child': setup.provider(placement, 'c', parent=RP)}
    uuids['grandchild'] = setup.provider(placement, 'g',
                                         parent=uuids['child'])
    resp = placement.put(_url(RP), json={
        'name': 'a', 'parent_provider_uuid': uuids[target]})
    assert resp.status_code == 400
    assert 'creating loop in the provider tree is not allowed.' in \
        _error(resp)['detail']
    assert _parent_of(placement, RP) == (None, RP)
    assert _parent_of(placement, uuids['grandchild']) == (uuids['child'], RP)


# -- DELETE ---------------------------------------------------------------------

def test_delete(placement):
    setup.provider(placement, 'rp', RP)
    resp = placement.delete(_url(RP))
    assert resp.status_code == 204
    assert 'Content-Type' not in resp.headers
    assert placement.get(_url(RP)).status_code == 404


def test_delete_missing(placement):
    resp = placement.delete(_url(MISSING))
    assert resp.status_code == 404
    assert ('No resource provider with uuid %s found for delete' % MISSING
            in _error(resp)['detail'])


def test_delete_parent_is_refused(placement):
    setup.provider(placement, 'parent', RP)
    setup.provider(placement, 'child', RP2, parent=RP)
    resp = placement.delete(_url(RP))
    assert resp.status_code == 409
    error = _error(resp)
    assert error['code'] == 'placement.resource_provider.cannot_delete_parent'
    assert ('Unable to delete parent resource provider %s: It has child '
            'resource providers.' % RP) in error['detail']
    assert setup.generation(placement, RP) == 0
    assert placement.delete(_url(RP2)).status_code == 204
    assert placement.delete(_url(RP)).status_code == 204


def test_delete_in_use_is_refused(placement):
    setup.provider(placement, 'rp', RP)
    setup.inventory(placement, RP, 'VCPU', 8)
    setup.usage(placement, RP, 'VCPU', 1)
    resp = placement.delete(_url(RP))
    assert resp.status_code == 409
    error = _error(resp)
    assert error['code'] == 'placement.resource_provider.inuse'
    assert ('Unable to delete resource provider %s: Resource provider has '
            'allocations.' % RP) in error['detail']
    # Nothing half-done: the inventory and the generation are as they were.
    assert setup.count(placement, 'inventories') == 1
    assert setup.generation(placement, RP) == 0


def test_delete_removes_inventory_traits_and_aggregate_links(placement):
    setup.provider(placement, 'rp', RP)
    setup.inventory(placement, RP, 'VCPU', 8)
    setup.traits(placement, RP, ['HW_CPU_X86_AVX', 'CUSTOM_GOLD'])
    setup.aggregates(placement, RP, [RP3])
    assert placement.delete(_url(RP)).status_code == 204
    for table in ('inventories', 'resource_provider_traits',
                  'resource_provider_aggregates', 'resource_providers'):
        assert setup.count(placement, table) == 0
    # The aggregate and the custom trait outlive their last member.
    assert setup.count(placement, 'placement_aggregates', uuid=RP3) == 1
    assert placement.get('/traits/CUSTOM_GOLD').status_code == 204


def test_delete_needs_admin(placement):
    setup.provider(placement, 'rp', RP)
    assert placement.delete(_url(RP), token='bob:p').status_code == 403
    assert placement.get(_url(RP)).status_code == 200


def test_methods_not_allowed(placement):
    resp = placement.delete('/resource_providers')
    assert resp.status_code == 405
    assert set(resp.headers['Allow'].split(', ')) == {'GET', 'POST'}
    resp = placement.post(_url(RP), json={})
    assert resp.status_code == 405
    assert set(resp.headers['Allow'].split(', ')) == {'GET', 'PUT', 'DELETE'}


def test_parent_errors_carry_upstream_s_object_action_wording(placement):
    """Clients print these texts: upstream's "Object action ..." prefix."""
    missing = '00000000-0000-0000-0000-00000000abcd'
    resp = placement.post('/resource_providers', json={
        'name': 'orphan', 'parent_provider_uuid': missing})
    assert resp.status_code == 400
    assert ('Object action create failed because: parent provider UUID '
            'does not exist.') in resp.text
    resp = placement.post('/resource_providers', json={'name': 'top'})
    top = resp.json()['uuid']
    resp = placement.put('/resource_providers/%s' % top, json={
        'name': 'top', 'parent_provider_uuid': missing})
    assert 'Object action create failed because: parent provider' in resp.text
    child = placement.post('/resource_providers', json={
        'name': 'child', 'parent_provider_uuid': top}).json()['uuid']
    resp = placement.put('/resource_providers/%s' % top, json={
        'name': 'top', 'parent_provider_uuid': child})
    assert ('Object action update failed because: creating loop in the '
            'provider tree is not allowed.') in resp.text
