"""Several apps on one server: [wsgi] apps parsing, dispatch and SCRIPT_NAME,
loading by entry-point name; and the all-in-one's identity stand-in."""

import json

import pytest
import webob

from nova_core.api import noauth_identity
from nova_core.api import urlmap
from nova_core import exception
from nova_core import loading


def _echo(name):
    def app(environ, start_response):
        body = json.dumps({'app': name, 'script': environ['SCRIPT_NAME'],
                           'path': environ['PATH_INFO']}).encode()
        start_response('200 OK', [('Content-Type', 'application/json')])
        return [body]
    return app


def _get(app, path, script=''):
    req = webob.Request.blank(path)
    req.script_name = script
    resp = req.get_response(app)
    return resp.status_int, resp.json


def test_parse_mounts_normalises_paths():
    assert urlmap.parse_mounts(['compute:/', ' placement : /placement/ ']) \
        == [('compute', ''), ('placement', '/placement')]


@pytest.mark.parametrize('values, why', [
    (['compute'], 'is not NAME:/PATH'),
    (['compute:placement'], 'is not NAME:/PATH'),
    ([':/x'], 'is not NAME:/PATH'),
    (['a:/x', 'b:/x/'], 'a and b are both mounted at /x'),
])
def test_parse_mounts_refuses_bad_entries(values, why):
    with pytest.raises(exception.ConfigurationError, match=why):
        urlmap.parse_mounts(values)


def test_longest_prefix_wins_and_moves_to_script_name():
    app = urlmap.URLMap({'': _echo('compute'),
                         '/placement': _echo('placement'),
                         '/placement/deep': _echo('deep')})
    assert _get(app, '/v2.1/servers') == (200, {
        'app': 'compute', 'script': '', 'path': '/v2.1/servers'})
    assert _get(app, '/placement') == (200, {
        'app': 'placement', 'script': '/placement', 'path': ''})
    assert _get(app, '/placement/traits') == (200, {
        'app': 'placement', 'script': '/placement', 'path': '/traits'})
    assert _get(app, '/placement/deep/x') == (200, {
        'app': 'deep', 'script': '/placement/deep', 'path': '/x'})
    # Whole segments only.
    assert _get(app, '/placementx')[1]['app'] == 'compute'
    # Under a server's own mount point (mod_wsgi's WSGIScriptAlias).
    assert _get(app, '/placement/traits', script='/cloud') == (200, {
        'app': 'placement', 'script': '/cloud/placement', 'path': '/traits'})


def test_nothing_mounted_at_the_path_is_a_json_404():
    app = urlmap.URLMap({'/placement': _echo('placement')})
    status, body = _get(app, '/compute')
    assert status == 404
    assert body['error']['code'] == 404


def test_assemble_loads_apps_by_entry_point_name():
    built = {}

    def make_placement(conf):
        built['placement'] = conf
        return _echo('placement')

    extensions = [loading.extension('placement', make_placement)]
    app = urlmap.assemble('CONF', [('compute', ''), ('placement', '/p')],
                          built={'compute': _echo('compute')},
                          extensions=extensions)
    assert built == {'placement': 'CONF'}
    assert _get(app, '/p/x')[1]['app'] == 'placement'
    assert _get(app, '/x')[1]['app'] == 'compute'


def test_assemble_names_a_missing_app():
    with pytest.raises(exception.PluginLoadError, match='nova_core.api.apps'):
        urlmap.assemble('CONF', [('nope', '/')], extensions=[])


def test_the_real_entry_points_are_installed():
    names = loading.installed_names(loading.APPS)
    assert {'compute', 'placement', 'image'} <= set(names)


def _call(app, method, url, body=None, headers=None):
    req = webob.Request.blank(url, method=method, headers=headers or {})
    if body is not None:
        req.json_body = body
    return req.get_response(app)


def test_noauth_identity_discovery_tokens_and_nothing_else():
    catalog = [noauth_identity.catalog_entry(
        'compute', 'nova', 'http://cloud:8774/v2.1')]
    app = urlmap.URLMap({'/identity': noauth_identity.make_app(catalog)})
    resp = _call(app, 'GET', 'http://cloud:8774/identity/v3')
    assert resp.status_int == 200
    version = resp.json['version']
    assert version['id'].startswith('v3.')
    assert version['links'] == [{'rel': 'self',
                                 'href': 'http://cloud:8774/identity/v3/'}]
    resp = _call(app, 'GET', 'http://cloud:8774/identity')
    assert resp.status_int == 300
    assert [v['id'] for v in resp.json['versions']['values']] == [
        version['id']]

    login = {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'alice', 'domain': {'name': 'Default'},
            'password': 'anything'}}},
        'scope': {'project': {'name': 'demo',
                              'domain': {'name': 'Default'}}}}}
    resp = _call(app, 'POST', 'http://cloud:8774/identity/v3/auth/tokens',
                 body=login)
    assert resp.status_int == 201
    # noauth2's token: user:project.
    assert resp.headers['X-Subject-Token'] == 'alice:demo'
    token = resp.json['token']
    assert (token['user']['name'], token['project']['name']) == (
        'alice', 'demo')
    assert 'admin' not in {r['name'] for r in token['roles']}
    assert [(e['type'], e['endpoints'][0]['url']) for e in
            token['catalog']] == [('compute', 'http://cloud:8774/v2.1')]
    resp = _call(app, 'GET', 'http://cloud:8774/identity/v3/auth/tokens',
                 headers={'X-Subject-Token': 'admin:admin'})
    assert resp.status_int == 200
    assert 'admin' in {r['name'] for r in resp.json['token']['roles']}

    resp = _call(app, 'POST', 'http://cloud:8774/identity/v3/auth/tokens',
                 body={'auth': {}})
    assert resp.status_int == 400
    resp = _call(app, 'GET', 'http://cloud:8774/identity/v3/projects')
    assert resp.status_int == 404
