"""An in-process placement client: requests go straight into the WSGI app.

For tests, for embedding placement in another service (the all-in-one), and
for third parties testing code that talks to placement, without a server or
a socket. The interface mirrors the keystoneauth1 ``Adapter`` calls that
placement clients make::

    with PlacementDirect(conf) as client:
        resp = client.post('/resource_providers', json={'name': 'cn1'},
                           microversion='1.20')
        assert resp.status_code == 200, resp.text
        rp = resp.json()
"""

import json as jsonlib

import webob

from nova_core.placement import deploy


class Response:
    """The parts of a ``requests.Response`` placement clients use."""

    def __init__(self, webob_response):
        self._resp = webob_response
        self.status_code = webob_response.status_code
        self.headers = webob_response.headers
        self.content = webob_response.body

    @property
    def text(self):
        return self.content.decode('utf-8')

    def json(self):
        return jsonlib.loads(self.content)

    def __repr__(self):
        return '<Response [%d]>' % self.status_code


class PlacementDirect:
    """Call a placement app in-process.

    :param conf: a ConfigOpts with nova_core's options; used to build the
        app unless *app* is given.
    :param app: an already built placement app (``deploy.make_app``).
    :param token: the ``X-Auth-Token`` sent; with noauth2, ``user[:project]``.
    :param roles: roles sent as ``X-Roles`` (default: noauth2's own rule).
    :param microversion: the default microversion ("latest" by default).
    """

    def __init__(self, conf=None, app=None, token='admin', roles=None,
                 microversion='latest'):
        if app is None:
            if conf is None:
                raise ValueError('give a conf or an app')
            app = deploy.make_app(conf)
        self.app = app
        self.token = token
        self.roles = roles
        self.microversion = microversion

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def request(self, method, url, json=None, microversion=None,
                headers=None, token=None, body=None, content_type=None):
        """Send one request; *json* is serialised, *body* sent as is."""
        req = webob.Request.blank(url, method=method)
        req.environ['REMOTE_ADDR'] = '127.0.0.1'
        req.headers['Accept'] = 'application/json'
        auth = self.token if token is None else token
        if auth:
            req.headers['X-Auth-Token'] = auth
        if self.roles is not None:
            req.headers['X-Roles'] = ','.join(self.roles)
        version = microversion or self.microversion
        if version:
            req.headers['OpenStack-API-Version'] = 'placement %s' % version
        if json is not None:
            req.body = jsonlib.dumps(json).encode('utf-8')
            req.content_type = 'application/json'
        elif body is not None:
            req.body = body if isinstance(body, bytes) else body.encode()
            req.content_type = content_type or 'application/json'
        for name, value in (headers or {}).items():
            if value is None:
                req.headers.pop(name, None)
            else:
                req.headers[name] = value
        return Response(req.get_response(self.app))

    def get(self, url, **kwargs):
        return self.request('GET', url, **kwargs)

    def put(self, url, **kwargs):
        return self.request('PUT', url, **kwargs)

    def post(self, url, **kwargs):
        return self.request('POST', url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request('DELETE', url, **kwargs)
