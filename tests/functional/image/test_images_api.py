"""GET /v2/images(/{id}) and the admin's POST / DELETE, as Glance answers."""

import jsonschema
import pytest

from tests.functional.image import conftest

UUID = '9a6a8a1c-4a5b-4f0e-8a3b-6f1b2f3c4d5e'


@pytest.fixture(scope='module')
def catalogue(tmp_path_factory):
    """A catalogue of every visibility, owned by projects p1 and p2."""
    images, client, cells = conftest.build(tmp_path_factory.mktemp('img'))
    ctx = conftest.admin_context(images)
    made = {}
    for name, visibility, owner, extra in (
            ('cirros', 'public', 'admin',
             {'min_ram': 64, 'size': 100,
              'properties': {'hw_architecture': 'x86_64'}}),
            ('ubuntu', 'public', 'admin',
             {'min_disk': 10, 'size': 300, 'disk_format': 'raw',
              'properties': {'os_distro': 'ubuntu'}}),
            ('p1-private', 'private', 'p1', {}),
            ('p1-shared', 'shared', 'p1', {}),
            ('p2-private', 'private', 'p2', {}),
            ('p2-community', 'community', 'p2', {}),
            ('hidden', 'public', 'admin',
             {'properties': {'os_hidden': 'true'}})):
        made[name] = images.create(ctx, name, visibility=visibility,
                                   owner=owner, **extra)
    yield images, client, made
    cells.dispose()


def _names(resp):
    assert resp.status_code == 200, resp.text
    return sorted(img['name'] for img in resp.json()['images'])


def test_versions_document(catalogue):
    _images, client, _made = catalogue
    root = client.get('/', token='')
    assert root.status_code == 300
    versions = root.json()['versions']
    current = [v for v in versions if v['status'] == 'CURRENT']
    assert [v['id'] for v in current] == ['v2.16']
    assert current[0]['links'] == [{'rel': 'self',
                                    'href': 'http://image.test/v2/'}]
    assert {v['id'] for v in versions} >= {'v2.0', 'v2.1', 'v2.9'}
    listed = client.get('/versions', token='')
    assert listed.status_code == 200
    assert listed.json() == root.json()


def test_token_required(catalogue):
    _images, client, _made = catalogue
    resp = client.get('/v2/images', token='')
    assert resp.status_code == 401


def test_show_image_as_glance(catalogue):
    _images, client, made = catalogue
    cirros = made['cirros']
    resp = client.as_user('someone').get('/v2/images/%s' % cirros['id'])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body['id'] == cirros['id']
    assert body['name'] == 'cirros'
    assert body['status'] == 'active'
    assert body['visibility'] == 'public'
    assert body['protected'] is False
    assert body['os_hidden'] is False
    assert body['min_ram'] == 64 and body['min_disk'] == 0
    assert body['size'] == 100
    assert body['container_format'] == 'bare'
    assert body['disk_format'] == 'qcow2'
    assert body['owner'] == 'admin'
    assert body['tags'] == []
    assert body['hw_architecture'] == 'x86_64'
    assert body['self'] == '/v2/images/%s' % cirros['id']
    assert body['file'] == '/v2/images/%s/file' % cirros['id']
    assert body['schema'] == '/v2/schemas/image'
    assert body['created_at'].endswith('Z')
    assert body['updated_at'].endswith('Z')
    assert 'checksum' in body


@pytest.mark.parametrize('path', ['/v2/images/%s' % UUID,
                                  '/v2/images/not-a-uuid',
                                  '/v2/images/%2e%2e'])
def test_unknown_image_is_404(catalogue, path):
    _images, client, _made = catalogue
    resp = client.get(path)
    assert resp.status_code == 404
    body = resp.json()
    assert body['code'] == '404 Not Found'
    assert body['title'] == 'Not Found'


def test_private_image_of_another_project_is_404(catalogue):
    _images, client, made = catalogue
    url = '/v2/images/%s' % made['p2-private']['id']
    assert client.as_user('u1:p1').get(url).status_code == 404
    assert client.as_user('u2:p2').get(url).status_code == 200
    assert client.get(url).status_code == 200  # admin
    community = '/v2/images/%s' % made['p2-community']['id']
    assert client.as_user('u1:p1').get(community).status_code == 200


def test_list_visibility_rules(catalogue):
    _images, client, _made = catalogue
    p1 = client.as_user('u1:p1')
    assert _names(p1.get('/v2/images')) == [
        'cirros', 'p1-private', 'p1-shared', 'ubuntu']
    assert _names(p1.get('/v2/images?visibility=community')) == [
        'p2-community']
    assert _names(p1.get('/v2/images?visibility=private')) == ['p1-private']
    assert _names(client.as_user('u2:p2').get('/v2/images')) == [
        'cirros', 'p2-community', 'p2-private', 'ubuntu']
    assert _names(client.get('/v2/images?visibility=all')) == [
        'cirros', 'p1-private', 'p1-shared', 'p2-community', 'p2-private',
        'ubuntu']
    assert _names(client.get('/v2/images?os_hidden=true')) == ['hidden']


@pytest.mark.parametrize('query, names', [
    ('name=cirros', ['cirros']),
    ('name=in:cirros,ubuntu', ['cirros', 'ubuntu']),
    ('name=nothing', []),
    ('status=active&visibility=public', ['cirros', 'ubuntu']),
    ('owner=p1', ['p1-private', 'p1-shared']),
    ('disk_format=raw', ['ubuntu']),
    ('os_distro=ubuntu', ['ubuntu']),
    ('hw_architecture=x86_64', ['cirros']),
    ('size_min=200', ['ubuntu']),
    ('size_max=200', ['cirros']),
    ('protected=false&owner=admin', ['cirros', 'ubuntu']),
    ('tag=x', []),
])
def test_list_filters(catalogue, query, names):
    _images, client, _made = catalogue
    assert _names(client.get('/v2/images?' + query)) == names


def test_sorting_and_paging(catalogue):
    _images, client, _made = catalogue
    resp = client.get('/v2/images?sort=name:asc')
    assert [i['name'] for i in resp.json()['images']] == [
        'cirros', 'p1-private', 'p1-shared', 'p2-community', 'p2-private',
        'ubuntu']
    old = client.get('/v2/images?sort_key=name&sort_dir=desc').json()
    assert old['images'][0]['name'] == 'ubuntu'
    default = client.get('/v2/images').json()
    assert default['first'] == '/v2/images'
    assert default['schema'] == '/v2/schemas/images'
    assert 'next' not in default
    # Newest first by default.
    assert default['images'][0]['name'] == 'p2-community'

    seen = []
    url = '/v2/images?sort=name:asc&limit=4'
    pages = 0
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.text
        body = page.json()
        assert body['first'] == '/v2/images?sort=name%3Aasc&limit=4'
        seen += [i['name'] for i in body['images']]
        url = body.get('next')
        pages += 1
    assert pages == 2
    assert seen == sorted(seen) and len(seen) == 6


@pytest.mark.parametrize('query, message', [
    ('limit=x', 'limit param must be an integer'),
    ('limit=-1', 'limit param must be positive'),
    ('marker=%s' % UUID, 'Marker %s could not be found.' % UUID),
    ('sort_key=bogus', 'Invalid sort key: bogus.'),
    ('sort_dir=up', 'Invalid sort direction: up'),
    ('sort=name:up', 'Invalid sort direction: up'),
    ('sort=name&sort_key=id', 'Old and new sorting syntax cannot be '
     'combined'),
    ('visibility=everyone', 'Invalid visibility value: everyone'),
    ('status=happy', 'Invalid status value: happy'),
    ('protected=maybe', 'Invalid value for protected: maybe'),
    ('size_min=big', 'size_min param must be an integer'),
    ('name=%ff', 'Query string is not UTF-8 encoded'),
])
def test_bad_list_queries_are_400(catalogue, query, message):
    _images, client, _made = catalogue
    resp = client.get('/v2/images?' + query)
    assert resp.status_code == 400, resp.text
    assert message in resp.json()['message']


@pytest.mark.parametrize('query', [
    'protected=maybe', 'os_hidden=2', 'size_max=x', 'limit=x',
    'sort_key=bogus', 'visibility=x', 'status=x'])
def test_bad_queries_on_an_empty_catalogue(make_images, query):
    _images, client = make_images()
    assert client.get('/v2/images?' + query).status_code == 400


def test_methods_not_served_are_405(catalogue):
    _images, client, _made = catalogue
    resp = client.put('/v2/images', json={})
    assert resp.status_code == 405
    assert set(resp.headers['Allow'].split(', ')) == {'GET', 'POST'}


def test_schemas_describe_what_the_api_answers(catalogue):
    _images, client, made = catalogue
    schema = client.get('/v2/schemas/image')
    assert schema.status_code == 200
    schema = schema.json()
    assert schema['name'] == 'image'
    listing = client.get('/v2/schemas/images').json()
    assert listing['name'] == 'images'
    shown = client.get('/v2/images/%s' % made['cirros']['id']).json()
    jsonschema.validate(shown, schema)
    jsonschema.validate(client.get('/v2/images?limit=2').json(), listing)
