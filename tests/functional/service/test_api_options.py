"""What operators set in the config file changes the answers: policy, scope,
CORS and keystone authentication, each through a real config file."""

import os

from oslo_config import cfg
import pytest

from nova_core import conf as nova_conf
from nova_core.placement import deploy
from nova_core.placement import direct
from tests import fake_keystone
from tests import servers

VALID_ORIGIN = 'http://valid.example.com'


@pytest.fixture
def placement_from(tmp_path):
    """``placement_from(sections)``: an in-process client built from a file."""
    apps = []

    def build(sections, token='admin'):
        sections = {
            'api': {'auth_strategy': 'noauth2'},
            'placement_database': {
                'connection': 'sqlite:///%s' % (tmp_path / 'p.sqlite'),
                'sync_on_startup': 'true'},
            **sections}
        path = servers.write_conf(tmp_path / 'nova_core.conf', sections)
        conf = cfg.ConfigOpts()
        nova_conf.register_opts(conf)
        nova_conf.set_defaults(conf)
        conf(['--config-file', path], project='nova_core',
             default_config_files=[])
        app = deploy.make_app(conf)
        apps.append(app)
        return direct.PlacementDirect(app=app, token=token)

    yield build
    for app in apps:
        app.database.dispose()


def _policy_file(tmp_path, rules):
    path = tmp_path / 'policy.yaml'
    path.write_text(''.join('"%s": "%s"\n' % item for item in rules.items()))
    return path


def test_policy_file_overrides_a_default(placement_from, tmp_path):
    path = _policy_file(tmp_path, {'placement:resource_classes:list': '!'})
    client = placement_from({'oslo_policy': {'policy_file': str(path)}})
    assert client.get('/resource_classes').status_code == 403
    assert client.get('/traits').status_code == 200
    assert client.get('/resource_classes',
                      token='alice:p1').status_code == 403


def test_policy_file_is_reread_when_it_changes(placement_from, tmp_path):
    path = _policy_file(tmp_path, {'placement:resource_classes:list': '!'})
    client = placement_from({'oslo_policy': {'policy_file': str(path)}})
    assert client.get('/resource_classes').status_code == 403
    _policy_file(tmp_path, {'placement:resource_classes:list': '@'})
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert client.get('/resource_classes',
                      token='alice:p1').status_code == 200


@pytest.mark.parametrize('policy', [{}, {'enforce_scope': 'true'}])
def test_system_scoped_tokens_are_refused(placement_from, policy):
    # Placement's rules are project scoped. oslo.policy enforces scope by
    # default (and from 6.0 always; enforce_scope is gone there).
    client = placement_from({'oslo_policy': policy})
    assert client.get('/resource_classes').status_code == 200
    system = client.get('/resource_classes',
                        headers={'OpenStack-System-Scope': 'all'})
    assert system.status_code == 403


@pytest.mark.parametrize('enforce_new_defaults, status', [('false', 200),
                                                          ('true', 403)])
def test_enforce_new_defaults_drops_the_deprecated_rules(
        placement_from, tmp_path, enforce_new_defaults, status):
    # service_api is "role:service" and was "role:admin": the old default
    # still lets the admin in while enforce_new_defaults is false.
    path = _policy_file(tmp_path, {
        'placement:resource_classes:list': 'rule:service_api'})
    client = placement_from({'oslo_policy': {
        'policy_file': str(path),
        'enforce_new_defaults': enforce_new_defaults}})
    assert client.get('/resource_classes').status_code == status
    service = client.get('/resource_classes', token='nova:service',
                         headers={'X-Roles': 'service'})
    assert service.status_code == 200


def _preflight(client, origin, path='/resource_classes'):
    return client.request('OPTIONS', path, token='', headers={
        'Origin': origin, 'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-auth-token,openstack-api-version'})


def test_cors_answers_preflight_for_allowed_origins(placement_from):
    client = placement_from({'cors': {'allowed_origin': VALID_ORIGIN}})
    resp = _preflight(client, VALID_ORIGIN)
    assert resp.status_code == 200
    assert resp.headers['Access-Control-Allow-Origin'] == VALID_ORIGIN
    allowed = resp.headers['Access-Control-Allow-Headers'].lower()
    assert 'openstack-api-version' in allowed and 'x-auth-token' in allowed
    assert 'Access-Control-Allow-Origin' not in _preflight(
        client, 'http://other.example.com').headers
    resp = client.get('/resource_classes', headers={'Origin': VALID_ORIGIN})
    assert resp.headers['Access-Control-Allow-Origin'] == VALID_ORIGIN
    assert 'OpenStack-API-Version' in \
        resp.headers['Access-Control-Expose-Headers']


def test_no_cors_without_allowed_origin(placement_from):
    client = placement_from({})
    resp = _preflight(client, VALID_ORIGIN, path='/')
    assert resp.status_code == 405
    assert 'Access-Control-Allow-Origin' not in resp.headers
    resp = client.get('/resource_classes', headers={'Origin': VALID_ORIGIN})
    assert resp.status_code == 200
    assert 'Access-Control-Allow-Origin' not in resp.headers


@pytest.fixture
def keystone():
    with fake_keystone.FakeKeystone() as server:
        server.add_token('admin-token', ['admin', 'reader', 'member'])
        server.add_token('member-token', ['member', 'reader'])
        server.add_token('system-token', ['admin'], system=True)
        yield server


def test_keystone_validates_tokens(placement_from, keystone):
    client = placement_from({'api': {'auth_strategy': 'keystone'},
                             'keystone_authtoken': keystone.authtoken_options()})
    root = client.get('/', token='')
    assert root.status_code == 200
    assert client.get('/resource_classes',
                      token='admin-token').status_code == 200
    assert 'admin-token' in keystone.validations
    assert client.get('/resource_classes',
                      token='member-token').status_code == 403
    bad = client.get('/resource_classes', token='forged')
    assert bad.status_code == 401
    assert keystone.url in bad.headers['WWW-Authenticate']
    assert client.get('/resource_classes', token='').status_code == 401
    assert client.get('/resource_classes',
                      token='system-token').status_code == 403
