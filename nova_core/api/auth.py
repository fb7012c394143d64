"""Authentication middlewares and the request-context middleware.

``noauth2`` trusts the token as ``user[:project]`` (for tests and closed
deployments); ``keystone`` validates tokens with keystonemiddleware's
auth_token (the optional ``keystone`` extra). Either way the
:class:`ContextMiddleware` then turns the identity headers into a
``RequestContext``. The version document at the root never needs a token.
"""

import logging

import webob.exc

from nova_core.api import fault
from nova_core.api import wsgi
from nova_core import context
from nova_core import exception

try:
    from keystonemiddleware import auth_token
except ImportError:  # the optional 'keystone' extra is not installed
    auth_token = None

LOG = logging.getLogger(__name__)

_ROOT_PATHS = ('', '/')


def _is_root(environ):
    return environ.get('PATH_INFO', '') in _ROOT_PATHS


class NoAuth2Middleware:
    """Upstream's noauth2: token ``user[:project]``, roles from ``X-Roles``.

    Without ``X-Roles`` the user named ``admin`` has the admin role and
    everybody else none. ``OpenStack-System-Scope`` makes the request system
    scoped, so the token's project is not used.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        # Plain WSGI: the identity headers are set in the environ.
        if _is_root(environ):
            return self.application(environ, start_response)
        token = environ.get('HTTP_X_AUTH_TOKEN')
        if token is None:
            return fault.prepare(webob.exc.HTTPUnauthorized(), environ)(
                environ, start_response)
        user_id, _sep, project_id = token.partition(':')
        project_id = project_id or user_id
        if 'HTTP_X_ROLES' in environ:
            roles = environ['HTTP_X_ROLES'].split(',')
        elif user_id == 'admin':
            roles = ['admin']
        else:
            roles = []
        environ['HTTP_X_USER_ID'] = user_id
        if not environ.get('HTTP_OPENSTACK_SYSTEM_SCOPE'):
            environ['HTTP_X_TENANT_ID'] = project_id
        environ['HTTP_X_ROLES'] = ','.join(roles)
        return self.application(environ, start_response)


def keystone_middleware(conf):
    """A factory for keystonemiddleware auth_token that leaves the root open."""
    if auth_token is None:
        raise exception.ConfigurationError(
            reason="[api] auth_strategy = keystone needs keystonemiddleware: "
                   "pip install 'nova_core[keystone]'")

    class _AuthProtocol(auth_token.AuthProtocol):
        def __call__(self, environ, start_response):
            if _is_root(environ):
                return self._app(environ, start_response)
            return super().__call__(environ, start_response)

    def factory(application):
        # oslo_config_config hands the service's own ConfigOpts to the
        # middleware, so [keystone_authtoken] is read from the same files.
        middleware = _AuthProtocol(application, {'oslo_config_config': conf})
        _check_keystone_options(conf)
        return middleware
    return factory


def _check_keystone_options(conf):
    # Without credentials of its own the middleware cannot ask Keystone
    # about tokens and answers every request with a 500; refusing to start
    # says why where the operator is looking.
    group = conf.keystone_authtoken
    if not group.auth_section and not group.auth_type:
        raise exception.ConfigurationError(
            reason='[api] auth_strategy = keystone needs the service '
                   'credentials that validate tokens in [keystone_authtoken] '
                   '(auth_type = password, auth_url, username, password, '
                   'project_name, user_domain_name, project_domain_name, '
                   'www_authenticate_uri); or set [api] auth_strategy = '
                   'noauth2 on a test machine')


class ContextMiddleware:
    """Make the RequestContext from the identity headers.

    *context_kwargs* are the service's own attributes of every context (its
    database, its policy authorizer, its configuration).
    """

    def __init__(self, application, **context_kwargs):
        self.application = application
        self.context_kwargs = context_kwargs

    def __call__(self, environ, start_response):
        ctx = context.RequestContext.from_environ(
            environ, **self.context_kwargs)
        if ctx.user_id is None and not _is_root(environ):
            LOG.debug('Neither X_USER_ID nor X_USER found in request')
            return fault.prepare(webob.exc.HTTPUnauthorized(), environ)(
                environ, start_response)
        environ[wsgi.ENV_CONTEXT] = ctx
        return self.application(environ, start_response)
