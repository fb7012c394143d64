"""Server create looks its image up with the image plugin: Nova's 400s for
an unknown, inactive or too big image; the image's fields and properties
reach the request spec; the server shows its image as Nova does."""

import uuid as uuidlib

import pytest

from nova_core import context as nc_context
from nova_core.db import build_request as db_build_request
from nova_core.db import request_spec as db_request_spec
from tests import cloud as cloud_mod

SEEDED = cloud_mod.IMAGE['id']


@pytest.fixture(scope='module')
def images(shared):
    """Images of the module's cloud, registered through its plugin."""
    cloud, _api = shared
    ctx = nc_context.get_admin_context()
    ctx.project_id = 'admin'

    def make(name, **fields):
        return cloud.images.create(ctx, name, **fields)['id']

    return {
        'big-ram': make('big-ram', min_ram=4096),
        'big-disk': make('big-disk', min_disk=5),
        'large-file': make('large-file', size=3 * 1024 ** 3),
        'queued': make('queued', status='queued'),
        'other-private': make('other-private', visibility='private',
                              owner='other-project'),
        'x86': make('x86', min_ram=256, disk_format='raw',
                    properties={'hw_architecture': 'x86_64',
                                'img_hv_type': 'fake'}),
    }


def _create(client, image_ref, flavor='m1.tiny', **extra):
    server = {'name': 'vm', 'flavorRef': flavor, 'imageRef': image_ref,
              'networks': 'none'}
    server.update(extra)
    return client.post('/servers', json={'server': server},
                       microversion='2.37')


def _pending(cloud):
    with cloud.cells.api.reader(cloud.ctx) as conn:
        return db_build_request.count(conn)


def test_boot_from_the_seeded_image(shared):
    cloud, api = shared
    resp = _create(api, SEEDED)
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    server = api.get('/servers/%s' % uuid).json()['server']
    assert server['image'] == {'id': SEEDED, 'links': [{
        'rel': 'bookmark',
        'href': 'http://compute.test/images/%s' % SEEDED}]}
    assert api.delete('/servers/%s' % uuid).status_code == 204


def test_image_url_as_image_ref(shared):
    _cloud, api = shared
    resp = _create(api, 'http://image.test/v2/images/%s' % SEEDED)
    assert resp.status_code == 202, resp.text
    api.delete('/servers/%s' % resp.json()['server']['id'])


@pytest.mark.parametrize('name, flavor, message', [
    (None, 'm1.tiny', 'Can not find requested image'),
    ('other-private', 'm1.tiny', 'Can not find requested image'),
    ('queued', 'm1.tiny', 'Image %(id)s is not active.'),
    ('big-ram', 'm1.tiny',
     "Flavor's memory is too small for requested image."),
    ('big-disk', 'm1.tiny',
     "Flavor's disk is too small for requested image. Flavor disk is "
     "1073741824 bytes, minimum size is 5368709120 bytes."),
    ('large-file', 'm1.tiny',
     "Flavor's disk is too small for requested image. Flavor disk is "
     "1073741824 bytes, image is 3221225472 bytes."),
])
def test_unusable_images_are_400(shared, images, name, flavor, message):
    cloud, api = shared
    image_id = images[name] if name else str(uuidlib.uuid4())
    before = _pending(cloud)
    resp = _create(api.as_user('demo:demo-project', roles=['member']),
                   image_id, flavor)
    assert resp.status_code == 400, resp.text
    assert resp.json()['badRequest']['message'] == message % {'id': image_id}
    assert _pending(cloud) == before


def test_bigger_flavors_take_the_big_images(shared, images):
    _cloud, api = shared
    for name in ('big-ram', 'big-disk', 'large-file'):
        resp = _create(api, images[name], flavor='m1.medium')
        assert resp.status_code == 202, (name, resp.text)
        api.delete('/servers/%s' % resp.json()['server']['id'])


def test_the_owner_boots_its_private_image(shared, images):
    _cloud, api = shared
    owner = api.as_user('someone:other-project', roles=['member'])
    resp = _create(owner, images['other-private'])
    assert resp.status_code == 202, resp.text
    owner.delete('/servers/%s' % resp.json()['server']['id'])


def test_image_fields_and_properties_reach_the_request_spec(shared, images):
    cloud, api = shared
    resp = _create(api, images['x86'])
    assert resp.status_code == 202, resp.text
    uuid = resp.json()['server']['id']
    with cloud.cells.api.reader(cloud.ctx) as conn:
        image = db_request_spec.get_by_instance_uuid(conn, uuid)['image']
    assert image['id'] == images['x86']
    assert image['name'] == 'x86'
    assert image['disk_format'] == 'raw'
    assert image['min_ram'] == 256
    assert image['properties'] == {'hw_architecture': 'x86_64',
                                   'img_hv_type': 'fake'}
    api.delete('/servers/%s' % uuid)


def test_image_properties_filter_sees_the_image(shared):
    """An image asking for an architecture no host has: no valid host."""
    cloud, api = shared
    ctx = nc_context.get_admin_context()
    arm = cloud.images.create(ctx, 'arm', properties={
        'hw_architecture': 'aarch64'})['id']
    uuids = []
    for image_id in (arm, SEEDED):
        resp = _create(api, image_id)
        assert resp.status_code == 202, resp.text
        uuids.append(resp.json()['server']['id'])
    shown = cloud.wait_for(uuids)
    assert shown[uuids[0]]['vm_state'] == 'error'
    assert 'ImagePropertiesFilter' in shown[uuids[0]]['fault']['details'] \
        or 'ImagePropertiesFilter' in shown[uuids[0]]['fault']['message']
    assert shown[uuids[1]]['vm_state'] == 'active'
    for uuid in uuids:
        api.delete('/servers/%s' % uuid)


def test_image_checks_come_before_the_quota(shared, images):
    """A request both too big for the quota and for its flavor is told
    about the image first, as Nova does."""
    _cloud, api = shared
    resp = _create(api, images['big-ram'], min_count=500, max_count=500)
    assert resp.status_code == 400, resp.text
    assert resp.json()['badRequest']['message'] == (
        "Flavor's memory is too small for requested image.")
