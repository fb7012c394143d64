"""The compute API behind keystonemiddleware: tokens validated by a Keystone
(tests.fake_keystone answers real validation responses), Nova's default
policies on the roles it returns, and project isolation."""

from oslo_config import cfg
import pytest

from nova_core.api.compute import deploy
from nova_core.api.compute import direct
from nova_core import conf as nova_conf
from tests import cloud as cloud_mod
from tests import fake_keystone
from tests import servers


@pytest.fixture(scope='module')
def keystone_api(tmp_path_factory):
    """(cloud, keystone, client): the module's cloud, with the compute API
    configured from a file for ``auth_strategy = keystone``."""
    tmp = tmp_path_factory.mktemp('keystone')
    with fake_keystone.FakeKeystone() as keystone:
        keystone.add_token('admin-token', ['admin', 'member', 'reader'],
                           project_id='ops', user_id='root')
        keystone.add_token('alice-token', ['member', 'reader'],
                           project_id='project-a', user_id='alice')
        keystone.add_token('bob-token', ['member', 'reader'],
                           project_id='project-b', user_id='bob')
        keystone.add_token('reader-token', ['reader'],
                           project_id='project-a', user_id='carol')
        cloud = cloud_mod.InProcessCloud(tmp_path_factory.mktemp('cloud'))
        cloud.start()
        try:
            path = servers.write_conf(tmp / 'nova_core.conf', {
                'api': {'auth_strategy': 'keystone'},
                'keystone_authtoken': keystone.authtoken_options()})
            conf = cfg.ConfigOpts()
            nova_conf.register_opts(conf)
            nova_conf.set_defaults(conf)
            conf(['--config-file', path], project='nova_core',
                 default_config_files=[])
            app = deploy.make_app(conf, servers=cloud.servers)
            yield cloud, keystone, direct.ComputeDirect(app, token='')
        finally:
            cloud.stop()


def _boot(client, name):
    resp = client.post('/servers', microversion='2.37', json={'server': {
        'name': name, 'flavorRef': 'm1.tiny', 'networks': 'none',
        'imageRef': cloud_mod.IMAGE['id']}})
    assert resp.status_code == 202, resp.text
    return resp.json()['server']['id']


def test_tokens_are_validated(keystone_api):
    _cloud, keystone, client = keystone_api
    assert client.get('/').status_code == 200
    assert client.as_user('').get('/servers').status_code == 401
    forged = client.as_user('forged').get('/servers')
    assert forged.status_code == 401
    assert keystone.url in forged.headers['WWW-Authenticate']
    assert client.as_user('alice-token').get('/servers').status_code == 200
    assert 'alice-token' in keystone.validations


def test_projects_see_only_their_servers(keystone_api):
    cloud, _keystone, client = keystone_api
    alice = client.as_user('alice-token')
    bob = client.as_user('bob-token')
    admin = client.as_user('admin-token')
    uuid = _boot(alice, 'alice-vm')
    cloud.wait_for([uuid])
    shown = alice.get('/servers/%s' % uuid)
    assert shown.status_code == 200
    assert shown.json()['server']['tenant_id'] == 'project-a'
    assert shown.json()['server']['user_id'] == 'alice'
    assert [s['id'] for s in alice.get('/servers').json()['servers']] == [
        uuid]
    assert bob.get('/servers').json()['servers'] == []
    assert bob.get('/servers/%s' % uuid).status_code == 404
    assert bob.delete('/servers/%s' % uuid).status_code == 404
    # all_tenants is for admins (403 for a member, as in Nova).
    assert bob.get('/servers?all_tenants=1').status_code == 403
    assert uuid not in [s['id'] for s in
                        admin.get('/servers').json()['servers']]
    assert uuid in [s['id'] for s in admin.get(
        '/servers?all_tenants=1').json()['servers']]
    assert alice.delete('/servers/%s' % uuid).status_code == 204


def test_roles_decide_what_a_caller_may_do(keystone_api):
    _cloud, _keystone, client = keystone_api
    reader = client.as_user('reader-token')
    assert reader.get('/servers').status_code == 200
    denied = reader.post('/servers', microversion='2.37', json={'server': {
        'name': 'x', 'flavorRef': 'm1.tiny', 'networks': 'none',
        'imageRef': cloud_mod.IMAGE['id']}})
    assert denied.status_code == 403, denied.text
    member = client.as_user('alice-token')
    flavor = {'flavor': {'name': 'f', 'ram': 64, 'vcpus': 1, 'disk': 1}}
    assert member.post('/flavors', json=flavor).status_code == 403
    admin = client.as_user('admin-token')
    assert admin.post('/flavors', json=flavor).status_code == 200
    assert admin.get('/os-hypervisors').status_code == 200
    assert member.get('/os-hypervisors').status_code == 403
