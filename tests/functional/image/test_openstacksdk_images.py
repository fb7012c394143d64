"""openstacksdk's image proxy, unchanged, against the image app over HTTP:
version discovery from the root document, images found by name and id."""

import threading
from wsgiref import simple_server

from openstack import connection
from openstack import exceptions as sdk_exceptions
import pytest

from tests.functional.image import conftest


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def sdk_images(tmp_path, monkeypatch):
    """(images plugin, openstacksdk image proxy) on an app served over
    HTTP, as a cloud without keystone."""
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'):
        monkeypatch.delenv(name, raising=False)
    images, client, cells = conftest.build(tmp_path)
    server = simple_server.make_server('127.0.0.1', 0, client.app,
                                       handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = 'http://127.0.0.1:%d' % server.server_port
    # As a cloud without a catalogue names the image endpoint: unversioned,
    # the SDK discovering v2 from the root document.
    conn = connection.Connection(
        auth_type='admin_token', auth={'endpoint': url, 'token': 'admin'},
        image_endpoint_override=url)
    try:
        yield images, conn.image
    finally:
        conn.close()
        server.shutdown()
        server.server_close()
        cells.dispose()


@pytest.mark.filterwarnings('ignore::PendingDeprecationWarning:openstack')
def test_openstacksdk_finds_images(sdk_images):
    images, sdk = sdk_images
    ctx = conftest.admin_context(images)
    cirros = images.create(ctx, 'cirros', min_ram=64, properties={
        'hw_architecture': 'x86_64'})
    images.create(ctx, 'ubuntu', disk_format='raw')
    found = sdk.find_image('cirros', ignore_missing=False)
    assert found.id == cirros['id']
    assert found.min_ram == 64
    assert found.status == 'active'
    assert found.visibility == 'public'
    # Keys the SDK does not model come back as its properties.
    assert found.properties['hw_architecture'] == 'x86_64'
    assert sdk.find_image(cirros['id']).name == 'cirros'
    assert sdk.get_image(cirros['id']).name == 'cirros'
    assert sorted(i.name for i in sdk.images()) == ['cirros', 'ubuntu']
    assert [i.name for i in sdk.images(disk_format='raw')] == ['ubuntu']
    assert sdk.find_image('missing') is None
    with pytest.raises(sdk_exceptions.ResourceNotFound):
        sdk.find_image('missing', ignore_missing=False)
