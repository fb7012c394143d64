"""openstacksdk, unchanged, against the compute API served over HTTP at
our maximum microversion (2.90): what the SDK and OSC parse must parse.

The SDK authenticates as a deployment without keystone does
(``admin_token`` with the endpoint given).
"""

import socketserver
import threading
from wsgiref import simple_server

import openstack
import pytest

from nova_core.api.compute import microversions as mv
from tests.functional.compute_api import test_servers as helpers


class _Server(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope='module')
def sdk(shared):
    """``(openstack connection at the max version, direct admin client)``."""
    cloud, api = shared
    app = api.app
    httpd = simple_server.make_server('127.0.0.1', 0, app,
                                      server_class=_Server,
                                      handler_class=_QuietHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    conn = openstack.connect(
        auth_type='admin_token',
        auth={'endpoint': 'http://127.0.0.1:%d/v2.1' % httpd.server_port,
              'token': 'admin'},
        compute_api_version=mv.MAX_VERSION, identity_api_version='3',
        load_yaml_config=False, load_envvars=False)
    try:
        yield conn, api
    finally:
        conn.close()
        httpd.shutdown()
        httpd.server_close()


def test_server_lifecycle_and_actions(sdk):
    conn, api = sdk
    uuid = helpers._boot(api, name='sdk-vm')
    helpers._wait(api, uuid)
    server = conn.compute.get_server(uuid)
    assert server.name == 'sdk-vm' and server.status == 'ACTIVE'
    assert server.flavor.original_name == 'm1.tiny'
    assert server.hostname == 'sdk-vm'
    assert server.is_locked is False and server.tags == []
    assert server.server_groups == []
    listed = {s.id: s for s in conn.compute.servers(details=True)}
    assert listed[uuid].compute_host
    updated = conn.compute.update_server(uuid, hostname='renamed-host',
                                         description='described')
    assert (updated.hostname, updated.description) == (
        'renamed-host', 'described')
    conn.compute.stop_server(uuid)
    conn.compute.wait_for_server(server, status='SHUTOFF', wait=30)
    actions = list(conn.compute.server_actions(uuid))
    assert [a.action for a in actions] == ['stop', 'create']
    create = conn.compute.get_server_action(actions[-1].request_id, uuid)
    assert create.events and all(e.result == 'Success'
                                 for e in create.events)
    assert {e.event for e in create.events} >= {
        'compute_build_and_run_instance'}
    assert conn.compute.get_server(uuid).status == 'SHUTOFF'
    conn.compute.delete_server(uuid)
    conn.compute.wait_for_delete(server, wait=30)
    assert [a.action for a in conn.compute.server_actions(uuid)] == [
        'delete', 'stop', 'create']


def test_list_paging_and_filters(sdk):
    conn, api = sdk
    uuids = [helpers._boot(api, name='sdk-page-%d' % i) for i in range(3)]
    for uuid in uuids:
        helpers._wait(api, uuid)
    names = [s.name for s in conn.compute.servers(
        name='^sdk-page-', sort_key='display_name', sort_dir='asc',
        limit=1, paginated=True)]
    assert names == ['sdk-page-0', 'sdk-page-1', 'sdk-page-2']
    found = list(conn.compute.servers(
        name='^sdk-page-', changes_since='2000-01-01T00:00:00Z',
        status='ACTIVE', all_projects=True))
    assert len(found) == 3
    for uuid in uuids:
        conn.compute.delete_server(uuid)
