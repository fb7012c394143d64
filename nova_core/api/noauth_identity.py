"""A Keystone v3 stand-in for clouds on noauth2: tokens that noauth2 reads, and a catalog.

The all-in-one has no Keystone; its APIs run noauth2, which trusts a token
``user[:project]``. The standard clients still want what Keystone gives
them: a version document to discover, a token, and a service catalog that
says where compute, image and placement are (and, by leaving them out, that
there is no block storage or network service; ``openstack availability zone
list`` asks every service in the catalog). This app answers exactly that:

- ``GET /`` (300, the version list) and ``GET /v3`` (the v3 document);
- ``POST /v3/auth/tokens`` with a password (any password, the point of
  noauth2) or token method: 201, ``X-Subject-Token: user:project`` and a
  token body with the catalog given to :func:`make_app`;
- ``GET /v3/auth/tokens`` and ``HEAD`` for the ``X-Subject-Token`` asked
  about, so that token re-validation works;
- everything else 404: a lookup that needs a real Keystone (``--project
  NAME``) fails plainly instead of pretending.

The token's roles repeat what noauth2 will decide (``admin`` for the user
named admin), for clients that show them.
"""

import json
import uuid

VERSION = {
    'id': 'v3.14',
    'status': 'stable',
    'updated': '2020-04-07T00:00:00Z',
    'media-types': [{'base': 'application/json',
                     'type': 'application/vnd.openstack.identity-v3+json'}],
}
_EXPIRES = '2999-12-31T23:59:59.000000Z'
_ISSUED = '2020-01-01T00:00:00.000000Z'
_DOMAIN = {'id': 'default', 'name': 'Default'}


def _reply(start_response, status, body=None, headers=()):
    data = json.dumps(body).encode() if body is not None else b''
    start_response(status, [('Content-Type', 'application/json'),
                            ('Content-Length', str(len(data)))] +
                   list(headers))
    return [data]


def _error(start_response, code, title, message):
    return _reply(start_response, '%d %s' % (code, title), {'error': {
        'code': code, 'title': title, 'message': message}})


def _base_url(environ):
    scheme = environ.get('wsgi.url_scheme', 'http')
    host = environ.get('HTTP_HOST') or '%s:%s' % (
        environ.get('SERVER_NAME', 'localhost'),
        environ.get('SERVER_PORT', '80'))
    return '%s://%s%s' % (scheme, host, environ.get('SCRIPT_NAME', ''))


def _version(environ):
    return dict(VERSION, links=[{'rel': 'self',
                                 'href': _base_url(environ) + '/v3/'}])


def _named(part):
    """The name (else the id) of a user or project in an auth request."""
    part = part or {}
    return part.get('name') or part.get('id')


def _credentials(body):
    """(user, project) from a v3 auth request; ValueError if unusable."""
    auth = body['auth']
    identity = auth['identity']
    methods = identity.get('methods') or []
    if 'password' in methods:
        user = _named(identity['password']['user'])
    elif 'token' in methods:
        user, _sep, _project = identity['token']['id'].partition(':')
    else:
        raise ValueError('only the password and token methods are served')
    scope = auth.get('scope') or {}
    project = _named(scope.get('project')) or user
    if not user or ':' in user or ':' in (project or ''):
        raise ValueError('user and project names may not contain ":"')
    return user, project


def _token(user, project, catalog):
    roles = ['admin', 'member', 'reader'] if user == 'admin' else [
        'member', 'reader']
    return {'token': {
        'methods': ['password'],
        'expires_at': _EXPIRES,
        'issued_at': _ISSUED,
        'audit_ids': [uuid.uuid4().hex[:22]],
        'user': {'id': user, 'name': user, 'domain': _DOMAIN,
                 'password_expires_at': None},
        'project': {'id': project, 'name': project, 'domain': _DOMAIN},
        'roles': [{'id': r, 'name': r} for r in roles],
        'is_domain': False,
        'catalog': catalog,
    }}


def catalog_entry(service_type, name, url, region='RegionOne'):
    """One service of a catalog: its public endpoint at *url*."""
    return {'type': service_type, 'name': name, 'id': uuid.uuid4().hex,
            'endpoints': [{'id': uuid.uuid4().hex, 'interface': interface,
                           'region': region, 'region_id': region,
                           'url': url}
                          for interface in ('public', 'internal', 'admin')]}


class NoAuthIdentity:
    """The WSGI app; *catalog* is a list of :func:`catalog_entry`."""

    def __init__(self, catalog):
        self.catalog = catalog

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '').rstrip('/')
        method = environ.get('REQUEST_METHOD')
        if path == '' and method in ('GET', 'HEAD'):
            return _reply(start_response, '300 Multiple Choices',
                          {'versions': {'values': [_version(environ)]}})
        if path == '/v3' and method in ('GET', 'HEAD'):
            return _reply(start_response, '200 OK',
                          {'version': _version(environ)})
        if path == '/v3/auth/tokens':
            if method == 'POST':
                return self._issue(environ, start_response)
            if method in ('GET', 'HEAD'):
                return self._validate(environ, start_response)
        return _error(start_response, 404, 'Not Found',
                      'This is not Keystone: only version discovery and '
                      'noauth2 tokens are served here.')

    def _issue(self, environ, start_response):
        try:
            size = int(environ.get('CONTENT_LENGTH') or 0)
            body = json.loads(environ['wsgi.input'].read(size) or b'{}')
            user, project = _credentials(body)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return _error(start_response, 400, 'Bad Request',
                          'Malformed authentication request: %s' % exc)
        return _reply(start_response, '201 Created',
                      _token(user, project, self.catalog),
                      headers=[('X-Subject-Token',
                                '%s:%s' % (user, project))])

    def _validate(self, environ, start_response):
        token = environ.get('HTTP_X_SUBJECT_TOKEN') or ''
        user, _sep, project = token.partition(':')
        if not user:
            return _error(start_response, 404, 'Not Found',
                          'No X-Subject-Token to validate.')
        return _reply(start_response, '200 OK',
                      _token(user, project or user, self.catalog),
                      headers=[('X-Subject-Token', token)])


def make_app(catalog):
    """The stand-in serving *catalog* (see :func:`catalog_entry`)."""
    return NoAuthIdentity(catalog)
