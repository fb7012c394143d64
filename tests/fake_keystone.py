"""A tiny Keystone v3 for testing ``[api] auth_strategy = keystone``.

It serves only what keystonemiddleware's auth_token uses: version discovery,
``POST /v3/auth/tokens`` for the service's own password login and
``GET /v3/auth/tokens`` to validate the tokens of callers. Tokens are
registered by the test with :meth:`FakeKeystone.add_token`::

    with FakeKeystone() as keystone:
        keystone.add_token('tok', roles=['admin'], project_id='p1')
        conf = keystone.authtoken_options()   # for [keystone_authtoken]
"""

import json
import threading
import uuid
from wsgiref import simple_server

SERVICE_USER = 'placement'
SERVICE_PASSWORD = 'service-secret'
_EXPIRES = '2999-12-31T23:59:59.000000Z'
_ISSUED = '2020-01-01T00:00:00.000000Z'
_DOMAIN = {'id': 'default', 'name': 'Default'}


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


class FakeKeystone:
    """Serves on 127.0.0.1 in a thread; use as a context manager."""

    def __init__(self):
        self.tokens = {}
        self.validations = []
        self._server = simple_server.make_server(
            '127.0.0.1', 0, self.app, handler_class=_QuietHandler)
        self.url = 'http://127.0.0.1:%d' % self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='fake-keystone', daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def authtoken_options(self):
        """``[keystone_authtoken]`` options that point at this Keystone."""
        return {
            'auth_type': 'password',
            'auth_url': self.url + '/v3',
            'www_authenticate_uri': self.url + '/v3',
            'username': SERVICE_USER,
            'password': SERVICE_PASSWORD,
            'user_domain_name': 'Default',
            'project_name': 'service',
            'project_domain_name': 'Default',
            'http_request_max_retries': '0',
        }

    def add_token(self, token, roles, project_id=None, user_id='alice',
                  system=False):
        """Make *token* valid for a user with *roles* in a project or system."""
        body = {
            'methods': ['password'],
            'user': {'id': user_id, 'name': user_id, 'domain': _DOMAIN,
                     'password_expires_at': None},
            'audit_ids': [uuid.uuid4().hex[:22]],
            'expires_at': _EXPIRES,
            'issued_at': _ISSUED,
            'roles': [{'id': 'role-' + r, 'name': r} for r in roles],
            'catalog': self._catalog(),
        }
        if system:
            body['system'] = {'all': True}
        else:
            body['project'] = {'id': project_id or 'project-' + user_id,
                               'name': project_id or 'project-' + user_id,
                               'domain': _DOMAIN}
            body['is_domain'] = False
        self.tokens[token] = {'token': body}

    # -- the WSGI app -----------------------------------------------------------

    def _catalog(self):
        endpoints = [{'id': 'identity-' + interface, 'interface': interface,
                      'region': 'RegionOne', 'region_id': 'RegionOne',
                      'url': self.url + '/v3'}
                     for interface in ('public', 'internal', 'admin')]
        return [{'id': 'identity', 'type': 'identity', 'name': 'keystone',
                 'endpoints': endpoints}]

    def _version(self):
        return {'id': 'v3.14', 'status': 'stable',
                'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': self.url + '/v3/'}],
                'media-types': [{
                    'base': 'application/json',
                    'type': 'application/vnd.openstack.identity-v3+json'}]}

    def app(self, environ, start_response):
        path = environ['PATH_INFO'].rstrip('/')
        method = environ['REQUEST_METHOD']
        if method == 'GET' and path == '':
            return _reply(start_response, 300,
                          {'versions': {'values': [self._version()]}})
        if method == 'GET' and path == '/v3':
            return _reply(start_response, 200, {'version': self._version()})
        if path == '/v3/auth/tokens' and method == 'POST':
            return self._login(environ, start_response)
        if path == '/v3/auth/tokens' and method in ('GET', 'HEAD'):
            return self._validate(environ, start_response)
        return _reply(start_response, 404, {'error': {'code': 404}})

    def _login(self, environ, start_response):
        length = int(environ.get('CONTENT_LENGTH') or 0)
        request = json.loads(environ['wsgi.input'].read(length) or b'{}')
        user = request['auth']['identity']['password']['user']
        if (user.get('name'), user.get('password')) != (SERVICE_USER,
                                                         SERVICE_PASSWORD):
            return _reply(start_response, 401, {'error': {'code': 401}})
        token = 'service-' + uuid.uuid4().hex
        self.add_token(token, ['service', 'admin'], project_id='service',
                       user_id=SERVICE_USER)
        return _reply(start_response, 201, self.tokens[token],
                      [('X-Subject-Token', token)])

    def _validate(self, environ, start_response):
        caller = environ.get('HTTP_X_AUTH_TOKEN')
        subject = environ.get('HTTP_X_SUBJECT_TOKEN')
        self.validations.append(subject)
        if not caller or not caller.startswith('service-') or \
                caller not in self.tokens:
            return _reply(start_response, 401, {'error': {'code': 401}})
        if subject not in self.tokens:
            return _reply(start_response, 404, {'error': {'code': 404}})
        return _reply(start_response, 200, self.tokens[subject],
                      [('X-Subject-Token', subject)])


def _reply(start_response, status, body, headers=()):
    data = json.dumps(body).encode()
    reasons = {200: 'OK', 201: 'Created', 300: 'Multiple Choices',
               401: 'Unauthorized', 404: 'Not Found'}
    start_response('%d %s' % (status, reasons[status]),
                   [('Content-Type', 'application/json'),
                    ('Content-Length', str(len(data)))] + list(headers))
    return [data]
