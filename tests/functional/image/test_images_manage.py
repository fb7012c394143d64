"""Registering and deleting images: POST / DELETE /v2/images (admins), the
plugin functions the all-in-one seeds with, and loading the plugin."""

import pytest

from nova_core import exception
from nova_core import image
from nova_core import loading
from tests.functional.image import conftest

UUID = '0b3f5c8e-7d2a-4e61-9c4f-1a2b3c4d5e6f'


def test_admin_registers_and_deletes_an_image(make_images):
    _images, client = make_images()
    resp = client.post('/v2/images', json={
        'name': 'fedora', 'id': UUID, 'disk_format': 'raw',
        'container_format': 'bare', 'min_ram': 512, 'min_disk': 5,
        'visibility': 'private', 'hw_architecture': 'aarch64',
        'os_hidden': False})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert resp.headers['Location'] == 'http://image.test/v2/images/' + UUID
    assert body['id'] == UUID and body['status'] == 'active'
    assert body['hw_architecture'] == 'aarch64'
    assert body['visibility'] == 'private' and body['owner'] == 'admin'
    shown = client.get('/v2/images/' + UUID).json()
    assert shown == body
    again = client.post('/v2/images', json={'name': 'dup', 'id': UUID})
    assert again.status_code == 409
    assert client.delete('/v2/images/' + UUID).status_code == 204
    assert client.get('/v2/images/' + UUID).status_code == 404
    assert client.delete('/v2/images/' + UUID).status_code == 404


@pytest.mark.parametrize('body, status, message', [
    ({'status': 'active'}, 403, "Attribute 'status' is read-only."),
    ({'size': 3}, 403, "Attribute 'size' is read-only."),
    ({'owner': 'p'}, 403, "Attribute 'owner' is reserved."),
    ({'min_ram': -1}, 400, "Provided object does not match schema 'image'"),
    ({'min_ram': 'x'}, 400, "Provided object does not match schema 'image'"),
    ({'visibility': 'world'}, 400, "does not match schema 'image'"),
    ({'disk_format': 'floppy'}, 400, "does not match schema 'image'"),
    ({'id': 'nope'}, 400, "does not match schema 'image'"),
    ({'hw_architecture': 5}, 400, "does not match schema 'image'"),
    ({'tags': ['a']}, 400, "does not match schema 'image'"),
    ({'name': 'x' * 256}, 400, "does not match schema 'image'"),
    ([], 400, 'Malformed JSON in request body.'),
])
def test_bad_registrations(make_images, body, status, message):
    _images, client = make_images()
    resp = client.post('/v2/images', json=body)
    assert resp.status_code == status, resp.text
    assert message in resp.json()['message']
    assert client.get('/v2/images').json()['images'] == []


def test_malformed_and_untyped_bodies(make_images):
    _images, client = make_images()
    resp = client.post('/v2/images', body='{', content_type='application/json')
    assert resp.status_code == 400
    resp = client.post('/v2/images', body='x', content_type='text/plain')
    assert resp.status_code == 415


def test_only_admins_manage_images(make_images):
    images, client = make_images()
    user = client.as_user('u1:p1')
    assert user.post('/v2/images', json={'name': 'x'}).status_code == 403
    made = images.create(conftest.admin_context(images), 'c')
    assert user.delete('/v2/images/' + made['id']).status_code == 403
    assert client.get('/v2/images/' + made['id']).status_code == 200


def test_protected_image_is_not_deleted(make_images):
    images, client = make_images()
    made = images.create(conftest.admin_context(images), 'keep',
                         protected=True)
    resp = client.delete('/v2/images/' + made['id'])
    assert resp.status_code == 403
    assert 'is protected and cannot be deleted' in resp.json()['message']


def test_ensure_image_seeds_once(make_images):
    images, _client = make_images()
    ctx = conftest.admin_context(images)
    first = image.ensure_image(ctx, images, 'cirros', min_ram=64,
                               properties={'hw_architecture': 'x86_64'})
    second = image.ensure_image(ctx, images, 'cirros', min_ram=128)
    assert second == first
    assert [i['name'] for i in images.list(ctx)] == ['cirros']
    assert first['properties'] == {'hw_architecture': 'x86_64'}


def test_plugin_rejects_unknown_fields(make_images):
    images, _client = make_images()
    ctx = conftest.admin_context(images)
    with pytest.raises(exception.Invalid):
        images.create(ctx, 'x', colour='blue')
    with pytest.raises(exception.Invalid):
        images.create(ctx, 'x', visibility='world')


def test_unknown_backend_fails_at_start(tmp_path):
    with pytest.raises(exception.PluginLoadError) as info:
        conftest.build(tmp_path, {('image', 'backend'): 'glance'})
    assert 'nova_core.image' in str(info.value)
    assert 'local' in str(info.value)


def test_plugins_from_extensions_must_subclass_the_contract():
    class NotABackend:
        pass

    with pytest.raises(exception.PluginLoadError) as info:
        loading.load_image_backend(
            'x', image.ImageBackend, None, None,
            extensions=[loading.extension('x', NotABackend)])
    assert 'not a subclass' in str(info.value)


def test_check_fits():
    flavor = {'memory_mb': 512, 'root_gb': 1}
    image.check_fits({'min_ram': 512, 'min_disk': 1}, flavor)
    with pytest.raises(exception.FlavorMemoryTooSmall):
        image.check_fits({'min_ram': 1024}, flavor)
    with pytest.raises(exception.FlavorDiskSmallerThanMinDisk):
        image.check_fits({'min_disk': 2}, flavor)
    with pytest.raises(exception.FlavorDiskSmallerThanImage):
        image.check_fits({'size': 2 * 1024 ** 3}, flavor)
    # No root disk: the image decides its size.
    image.check_fits({'min_disk': 20}, {'memory_mb': 512, 'root_gb': 0})
