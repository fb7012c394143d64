"""Bad input on every route answers a 4xx in Nova's shape, never a 500."""

import uuid as uuidlib

import pytest

from nova_core.api.compute import routes

BODIES = [None, b'{', b'[]', b'{}', b'"x"', b'{"server": 1}',
          b'{"flavor": {"name": 1}}', b'{"extra_specs": []}',
          b'{"reboot": {}}', b'\xff\xfe']
IDENTS = {'server_id': ['not-a-uuid', str(uuidlib.uuid4())],
          'flavor_id': ['nope', 'm1.tiny'], 'key': ['nokey']}


def _urls():
    for path, methods in routes.ROUTES.items():
        if path in ('', '/'):
            continue
        urls = [path]
        for name, values in IDENTS.items():
            urls = [u.replace('{%s}' % name, v) for u in urls
                    for v in values] if '{%s}' % name in path else urls
        for url in urls:
            for method in list(methods) + ['PATCH']:
                yield method, url


@pytest.mark.parametrize('version', ['2.1', 'latest'])
def test_never_500(api, version):
    for method, url in _urls():
        for body in BODIES:
            if method == 'DELETE' and url.startswith('/flavors/m1.tiny'):
                continue    # keep the flavor for the other requests
            resp = api.request(method, url, body=body, microversion=version)
            assert resp.status_code < 500, (method, url, body, resp.text)
            if resp.status_code >= 400:
                [(name, fault)] = resp.json().items()
                assert fault['code'] == resp.status_code
                assert fault['message']
    for query in ('limit=-1', 'marker=x', 'limit=%ff', 'all_tenants=x',
                  'name=(', 'status=x', 'x=y'):
        for url in ('/servers', '/servers/detail', '/flavors',
                    '/flavors/detail'):
            resp = api.get(url + '?' + query, microversion=version)
            assert resp.status_code < 500, (url, query, resp.text)
