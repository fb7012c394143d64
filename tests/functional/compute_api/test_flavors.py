"""Flavors and their extra specs through the compute API."""

import pytest

from tests import cloud as cloud_mod

MEMBER = ('member', 'reader')


def test_list_and_detail(api):
    resp = api.get('/flavors')
    assert resp.status_code == 200, resp.text
    names = {f['name'] for f in resp.json()['flavors']}
    assert set(cloud_mod.FLAVORS) <= names
    first = resp.json()['flavors'][0]
    assert set(first) == {'id', 'name', 'links'}
    detail = api.get('/flavors/detail').json()['flavors']
    tiny = next(f for f in detail if f['name'] == 'm1.tiny')
    assert tiny['ram'] == 512 and tiny['vcpus'] == 1 and tiny['disk'] == 1
    assert tiny['swap'] == ''      # before 2.75
    assert tiny['os-flavor-access:is_public'] is True
    assert 'extra_specs' not in tiny and 'description' not in tiny
    tiny = next(f for f in api.get('/flavors/detail', microversion='2.75')
                .json()['flavors'] if f['name'] == 'm1.tiny')
    assert tiny['swap'] == 0
    assert tiny['extra_specs'] == {}
    assert 'description' in tiny


def test_show_and_not_found(api):
    resp = api.get('/flavors/m1.small')
    assert resp.status_code == 200
    assert resp.json()['flavor']['ram'] == 2048
    resp = api.get('/flavors/nope')
    assert resp.status_code == 404
    assert resp.json() == {'itemNotFound': {
        'code': 404, 'message': 'Flavor nope could not be found.'}}


def test_create_delete(api):
    body = {'flavor': {'name': 'api.test', 'ram': 1024, 'vcpus': 2,
                       'disk': 10, 'id': 'api-test',
                       'description': 'for tests'}}
    resp = api.post('/flavors', json=body, microversion='2.55')
    assert resp.status_code == 200, resp.text
    flavor = resp.json()['flavor']
    assert flavor['id'] == 'api-test' and flavor['description'] == (
        'for tests')
    resp = api.post('/flavors', json=body, microversion='2.55')
    assert resp.status_code == 409
    assert 'conflictingRequest' in resp.json()
    # No description before 2.55.
    resp = api.post('/flavors', json=body)
    assert resp.status_code == 400, resp.text
    assert api.delete('/flavors/api-test').status_code == 202
    assert api.get('/flavors/api-test').status_code == 404
    assert api.delete('/flavors/api-test').status_code == 404


@pytest.mark.parametrize('flavor', [
    {'ram': 1, 'vcpus': 1, 'disk': 1},                      # no name
    {'name': 'x', 'ram': 0, 'vcpus': 1, 'disk': 1},         # ram 0
    {'name': 'x', 'ram': 1, 'vcpus': 'many', 'disk': 1},
    {'name': 'x', 'ram': 1, 'vcpus': 1, 'disk': -1},
    {'name': ' x', 'ram': 1, 'vcpus': 1, 'disk': 1},
    {'name': 'x', 'ram': 1, 'vcpus': 1, 'disk': 1, 'bogus': 1},
])
def test_create_bad_input(api, flavor):
    resp = api.post('/flavors', json={'flavor': flavor})
    assert resp.status_code == 400, resp.text
    assert 'Invalid input for field/attribute' in (
        resp.json()['badRequest']['message'])


def test_create_bad_json(api):
    resp = api.post('/flavors', body='{"flavor": ')
    assert resp.status_code == 400
    assert resp.json()['badRequest']['message'] == 'Malformed request body'


def test_create_needs_admin(api):
    user = api.as_user('alice:proj-a', roles=MEMBER)
    resp = user.post('/flavors', json={'flavor': {
        'name': 'mine', 'ram': 1, 'vcpus': 1, 'disk': 1}})
    assert resp.status_code == 403
    assert 'os_compute_api:os-flavor-manage:create' in (
        resp.json()['forbidden']['message'])
    assert user.get('/flavors').status_code == 200


def test_extra_specs(api):
    url = '/flavors/m1.medium/os-extra_specs'
    assert api.get(url).json() == {'extra_specs': {}}
    resp = api.post(url, json={'extra_specs': {'hw:cpu_policy': 'shared',
                                               'quota:n': 5}})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {'extra_specs': {'hw:cpu_policy': 'shared',
                                           'quota:n': '5'}}
    resp = api.put(url + '/hw:cpu_policy',
                   json={'hw:cpu_policy': 'dedicated'})
    assert resp.status_code == 200 and resp.json() == {
        'hw:cpu_policy': 'dedicated'}
    assert api.put(url + '/hw:cpu_policy',
                   json={'other': 'x'}).status_code == 400
    assert api.get(url + '/hw:cpu_policy').json() == {
        'hw:cpu_policy': 'dedicated'}
    flavor = api.get('/flavors/m1.medium', microversion='2.61').json()
    assert flavor['flavor']['extra_specs'] == {'hw:cpu_policy': 'dedicated',
                                               'quota:n': '5'}
    assert api.delete(url + '/quota:n').status_code == 200
    assert api.get(url + '/quota:n').status_code == 404
    assert api.delete(url + '/quota:n').status_code == 404
    assert api.get('/flavors/nope/os-extra_specs').status_code == 404
    user = api.as_user('bob:proj-b', roles=MEMBER)
    assert user.post(url, json={'extra_specs': {'a': 'b'}}).status_code == (
        403)
    assert user.get(url).status_code == 200


def test_strict_query_from_275(api):
    assert api.get('/flavors?foo=bar').status_code == 200
    resp = api.get('/flavors?foo=bar', microversion='2.75')
    assert resp.status_code == 400, resp.text
    assert 'foo' in resp.json()['badRequest']['message']


def test_paging(api):
    ids = [f['id'] for f in api.get('/flavors').json()['flavors']]
    resp = api.get('/flavors?limit=2').json()
    assert [f['id'] for f in resp['flavors']] == ids[:2]
    assert 'flavors_links' in resp
    resp = api.get('/flavors?marker=%s' % ids[1]).json()
    assert [f['id'] for f in resp['flavors']] == ids[2:]
    assert api.get('/flavors?limit=x').status_code == 400
    assert api.get('/flavors?marker=nope').status_code == 400


@pytest.mark.parametrize('specs, message', [
    ({'hw:cpu_policy': 'sideways'}, "value 'sideways' of extra spec "
     "'hw:cpu_policy' must be one of dedicated, shared, mixed."),
    ({'hw:numa_nodes': '0'}, 'must be at least 1'),
    ({'hw:numa_nodes': 'two'}, 'must be an integer'),
    ({'hw:no_such_thing': '1'}, "Validation failed; extra spec "
     "'hw:no_such_thing' does not appear to be a valid extra spec."),
    ({'resources:VCPU': '-1'}, 'must be at least 0'),
    ({'resources1:vcpu': '1'}, 'does not appear to be a valid extra spec'),
    ({'trait:HW_CPU_X86_AVX': 'wanted'}, 'must be one of required, '
     'forbidden'),
    ({'hw_rng:allowed': 'perhaps'}, 'must be a boolean'),
])
def test_extra_specs_validated_from_2_86(api, specs, message):
    url = '/flavors/m1.small/os-extra_specs'
    resp = api.post(url, json={'extra_specs': specs}, microversion='2.86')
    assert resp.status_code == 400, resp.text
    assert message in resp.json()['badRequest']['message']
    [(key, value)] = specs.items()
    resp = api.put('%s/%s' % (url, key), json=specs, microversion='2.86')
    assert resp.status_code == 400, resp.text
    # Before 2.86 Nova takes them as they are.
    assert api.post(url, json={'extra_specs': specs},
                    microversion='2.85').status_code == 200
    assert api.delete('%s/%s' % (url, key)).status_code == 200


def test_valid_and_unknown_namespace_extra_specs_at_2_86(api):
    url = '/flavors/m1.small/os-extra_specs'
    specs = {'hw:cpu_policy': 'dedicated', 'hw:numa_cpus.0': '0-1,^1',
             'hw:numa_mem.0': '512', 'hw:mem_page_size': '2MB',
             'resources:CUSTOM_GPU': '1', 'resources_g1:VCPU': '2',
             'trait1:HW_CPU_X86_AVX': 'required', 'group_policy': 'isolate',
             'aggregate_instance_extra_specs:ssd': 'true',
             'capabilities:cpu_info:arch': 'x86_64', 'my:own': 'anything',
             'plain': 'x'}
    resp = api.post(url, json={'extra_specs': specs}, microversion='2.86')
    assert resp.status_code == 200, resp.text
    for key in specs:
        assert api.delete('%s/%s' % (url, key)).status_code == 200
