"""An in-process WSGI client: requests go straight into an app, no socket.

The interface mirrors the keystoneauth1 ``Adapter`` calls that API clients
make (``get/put/post/delete`` with ``json=`` and ``microversion=``); each
app's client (``PlacementDirect``, ``ComputeDirect``) names its service
type and, if it has one, the path prefix of its versioned API.
"""

import json as jsonlib

import webob


class Response:
    """The parts of a ``requests.Response`` API clients use."""

    def __init__(self, webob_response):
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


class DirectClient:
    """Call a WSGI app in-process.

    :param token: the ``X-Auth-Token`` sent; with noauth2, ``user[:project]``.
    :param roles: roles sent as ``X-Roles`` (default: noauth2's own rule).
    :param microversion: the default microversion (None: the minimum).
    :param host_url: the scheme and host of the request URLs (None:
        webob's ``http://localhost``).
    """

    #: the service type of the ``OpenStack-API-Version`` header
    service_type = None

    def __init__(self, app, token='admin', roles=None, microversion=None,
                 host_url=None):
        self.app = app
        self.token = token
        self.roles = roles
        self.microversion = microversion
        self.host_url = host_url

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def full_path(self, url):
        """The path sent for *url* (a client may add its version prefix)."""
        return url

    def request(self, method, url, json=None, microversion=None,
                headers=None, token=None, body=None, content_type=None):
        """Send one request; *json* is serialised, *body* sent as is."""
        req = webob.Request.blank(self.full_path(url), method=method,
                                  base_url=self.host_url)
        req.environ['REMOTE_ADDR'] = '127.0.0.1'
        req.headers['Accept'] = 'application/json'
        auth = self.token if token is None else token
        if auth:
            req.headers['X-Auth-Token'] = auth
        if self.roles is not None:
            req.headers['X-Roles'] = ','.join(self.roles)
        version = microversion or self.microversion
        if version:
            req.headers['OpenStack-API-Version'] = '%s %s' % (
                self.service_type, version)
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
