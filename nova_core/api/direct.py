"""An in-process WSGI client: requests go straight into an app, no socket.

The interface mirrors the keystoneauth1 ``Adapter`` calls that API clients
make (``get/put/post/delete`` with ``json=`` and ``microversion=``); each
app's client (``PlacementDirect``, ``ComputeDirect``) names its service
type and, if it has one, the path prefix of its versioned API.

A request is the environ ``webob.Request.blank(path, method=,
base_url=)`` would make, with the client's headers, built as a plain dict
(the parts that depend only on ``host_url`` once per client), and the app
is called as ``Request.send`` calls it; the answer is kept as the status
line, the header list and the body, with no ``webob.Response`` made. For
a scheduler that sends two requests per decision the webob objects cost
more than the rest of the client.
"""

import io
import json as jsonlib
import re

import webob
import webob.compat
import webob.headers

# What makes webob read a path as a full URL (``http://host/path``).
_SCHEME = re.compile(r'^[a-z]+:', re.I)
_JSON = 'application/json'


class Response:
    """The parts of a ``requests.Response`` API clients use.

    :param status: the WSGI status line (``'204 No Content'``).
    :param headerlist: the ``[(name, value)]`` the app answered.
    :param body: the body, as bytes.
    """

    def __init__(self, status, headerlist, body):
        self.status_code = int(status.split(None, 1)[0])
        self._headerlist = headerlist
        self._headers = None
        self.content = body

    @property
    def headers(self):
        """The headers, case-insensitive (webob's ``ResponseHeaders``)."""
        if self._headers is None:
            self._headers = webob.headers.ResponseHeaders.view_list(
                self._headerlist)
        return self._headers

    @property
    def text(self):
        return self.content.decode('utf-8')

    def json(self):
        return jsonlib.loads(self.content)

    def __repr__(self):
        return '<Response [%d]>' % self.status_code


def call(app, environ):
    """Call WSGI *app* with *environ* as ``webob.Request.send`` does: the
    status line, the header list and the body (a :class:`Response`)."""
    captured = []
    output = []

    def start_response(status, headers, exc_info=None):
        if exc_info is not None:
            raise exc_info[1].with_traceback(exc_info[2])
        captured[:] = [status, headers]
        return output.append
    app_iter = app(environ, start_response)
    if output or not captured:
        try:
            output.extend(app_iter)
        finally:
            close = getattr(app_iter, 'close', None)
            if close is not None:
                close()
        app_iter = output
    status, headers = captured
    headers = list(headers)
    return Response(status, headers, _body(app_iter, headers))


def _body(app_iter, headerlist):
    # As webob.Response.body reads an app_iter: a one-item list is the
    # body; anything else is joined (and closed), and a Content-Length
    # the app did not send is added to the headers.
    if isinstance(app_iter, list) and len(app_iter) == 1:
        return app_iter[0]
    try:
        body = b''.join(app_iter)
    finally:
        close = getattr(app_iter, 'close', None)
        if close is not None:
            close()
    if body:
        headers = webob.headers.ResponseHeaders.view_list(headerlist)
        length = headers.get('Content-Length')
        length = int(length) if length else None
        if length is None:
            headers['Content-Length'] = str(len(body))
        elif length != len(body):
            raise AssertionError(
                'Content-Length is different from actual app_iter length '
                '(%r!=%r)' % (length, len(body)))
    return body


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
        self._base = None

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
        env = self.environ(method, self.full_path(url))
        env['REMOTE_ADDR'] = '127.0.0.1'
        env['HTTP_ACCEPT'] = _JSON
        auth = self.token if token is None else token
        if auth:
            env['HTTP_X_AUTH_TOKEN'] = auth
        if self.roles is not None:
            env['HTTP_X_ROLES'] = ','.join(self.roles)
        version = microversion or self.microversion
        if version:
            env['HTTP_OPENSTACK_API_VERSION'] = '%s %s' % (
                self.service_type, version)
        if json is not None:
            _set_body(env, jsonlib.dumps(json).encode('utf-8'), _JSON)
        elif body is not None:
            _set_body(env, body if isinstance(body, bytes) else body.encode(),
                      content_type or _JSON)
        if headers:
            environ_headers = webob.headers.EnvironHeaders(env)
            for name, value in headers.items():
                if value is None:
                    environ_headers.pop(name, None)
                else:
                    environ_headers[name] = value
        return call(self.app, env)

    def environ(self, method, path):
        """The environ of ``webob.Request.blank(path, method=method,
        base_url=self.host_url)``."""
        if _SCHEME.search(path):
            # A full URL: webob's own reading of it.
            return webob.Request.blank(path, method=method,
                                       base_url=self.host_url).environ
        if self._base is None:
            base = webob.Request.blank('/', base_url=self.host_url).environ
            base.pop('wsgi.input')
            self._base = base
        env = self._base.copy()
        path_info, _sep, query_string = path.partition('?')
        env['REQUEST_METHOD'] = method
        env['PATH_INFO'] = webob.compat.url_unquote(path_info)
        env['QUERY_STRING'] = query_string
        env['wsgi.input'] = io.BytesIO()
        return env

    def get(self, url, **kwargs):
        return self.request('GET', url, **kwargs)

    def put(self, url, **kwargs):
        return self.request('PUT', url, **kwargs)

    def post(self, url, **kwargs):
        return self.request('POST', url, **kwargs)

    def delete(self, url, **kwargs):
        return self.request('DELETE', url, **kwargs)


def _set_body(env, data, content_type):
    # As ``req.body = data; req.content_type = content_type`` on a new
    # request.
    env['CONTENT_LENGTH'] = str(len(data))
    env['wsgi.input'] = io.BytesIO(data)
    env['webob.is_body_seekable'] = True
    env['CONTENT_TYPE'] = str(content_type)
