"""The router: routes' answers found in one expression per method, and
handlers' answers made into responses as webob's wsgify made them."""

import itertools
import uuid

import pytest
import webob
import webob.dec
import webob.exc

from nova_core.api.compute import routes as compute_routes
from nova_core.api import fault
from nova_core.api.image import routes as image_routes
from nova_core.api import microversion
from nova_core.api import router
from nova_core.api import wsgi
from nova_core import exception
from nova_core.placement import routes as placement_routes

TABLES = {
    'placement': placement_routes.ROUTES,
    'compute': compute_routes.ROUTES,
    'image': image_routes.ROUTES,
    'overlapping': {
        '/{anything}': {'GET': 'a'},
        '/things': {'GET': 'b', 'POST': 'c'},
        '/things/{id}': {'PUT': 'd'},
        '/things/special': {'PUT': 'e', 'DELETE': 'f'},
        '/{kind}/{id}/x': {'PATCH': 'g'},
        '': {'GET': 'h'},
    },
}

METHODS = ('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS',
           'get', 'BREW')


def _urls(table):
    urls = ['', '/', '//', '/x', '/things', '/things/', '/things/special',
            '/things/1/x', '/a/b/x']
    for path in table:
        plain = path.replace('{', '').replace('}', '')
        filled = path
        while '{' in filled:
            start = filled.index('{')
            filled = filled[:start] + str(uuid.uuid4()) + filled[
                filled.index('}') + 1:]
        urls += [plain, filled, filled + '/', filled + '/more',
                 '/prefix' + filled, filled.replace('-', '%2F'),
                 filled + '\n']
    return urls


@pytest.mark.parametrize('name', sorted(TABLES))
def test_matches_what_routes_matches(name):
    table = TABLES[name]
    app = router.Router(table, None)
    checked = 0
    for method, url in itertools.product(METHODS, _urls(table)):
        environ = {'REQUEST_METHOD': method, 'PATH_INFO': url}
        expected = app._mapper.match(environ=dict(environ))
        assert app.match(dict(environ)) == expected, (method, url)
        checked += 1
    assert checked > 100


def _app(table, versions=True):
    app = router.Router(table, fault.ErrorTable(fault.category_entries()))
    if versions:
        app = microversion.MicroversionMiddleware(
            app, 'placement', '1.0', '1.9', None)
    return app


def _get(app, path='/x', method='GET', **kwargs):
    return webob.Request.blank(path, method=method, **kwargs).get_response(
        app)


def test_an_answer_of_none_text_or_bytes_is_what_wsgify_made():
    def none(req):
        return None

    def text(req):
        return 'héllo'

    def raw(req):
        return b'raw'

    for handler in (none, text, raw):
        old = webob.dec.wsgify(RequestClass=wsgi.Request)(handler)
        expected = _get(old)
        got = _get(_app({'/x': {'GET': handler}}, versions=False))
        assert (got.status, got.headerlist, got.body) == (
            expected.status, expected.headerlist, expected.body)


def test_not_found_not_allowed_and_domain_errors():
    def missing(req):
        raise exception.NotFound()

    app = _app({'/x': {'GET': missing, 'PUT': missing}})
    assert _get(app, '/nowhere').status_code == 404
    resp = _get(app, method='POST')
    assert resp.status_code == 405
    assert resp.headers['Allow'] == 'GET, PUT'
    assert _get(app).status_code == 404


def test_an_untranslated_exception_escapes():
    def broken(req):
        raise RuntimeError('bug')

    with pytest.raises(RuntimeError):
        _get(_app({'/x': {'GET': broken}}))


def test_versioned_routes_and_path_args():
    def old(req):
        return webob.Response(body=b'old ' + req.path_arg('id').encode())

    def new(req):
        return webob.Response(body=b'new ' + req.path_arg('id').encode())

    app = _app({'/x/{id}': {'GET': router.versioned(
        router.since('1.0', old, max_version='1.4'),
        router.since((1, 5), new)),
        'PUT': router.since('1.7', old, unavailable_status=405)}})
    header = 'OpenStack-API-Version'
    assert _get(app, '/x/a%20b', headers={header: 'placement 1.2'}
                ).body == b'old a b'
    assert _get(app, '/x/7', headers={header: 'placement 1.5'}
                ).body == b'new 7'
    assert _get(app, '/x/7', method='PUT',
                headers={header: 'placement 1.6'}).status_code == 405


def test_route_bounds_are_parsed_once():
    route = router.since('1.10', None, max_version=(1, 20))
    assert route.serves(microversion.Version(1, 10))
    assert route.serves(microversion.Version(1, 20))
    assert not route.serves(microversion.Version(1, 9))
    assert not route.serves(microversion.Version(1, 21))
    assert route.serves(None)
    assert route.min_version == '1.10'


def test_routes_with_other_conditions_answer_through_routes():
    app = router.Router({'/x/{id}': {'GET': 'a'}}, None)
    app._mapper.connect('/y/{id}', target='0', conditions={
        'method': ['GET'], 'function': lambda environ, result: (
            result['id'] != 'no')})
    app._mapper.create_regs()
    for url in ('/y/yes', '/y/no', '/x/1'):
        environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': url}
        assert app.match(dict(environ)) == app._mapper.match(
            environ=dict(environ))
    assert app.match({'REQUEST_METHOD': 'GET', 'PATH_INFO': '/y/yes'}) == {
        'id': 'yes', 'target': '0'}
