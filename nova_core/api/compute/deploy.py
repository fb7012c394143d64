"""Assembling the compute API WSGI app (v2.1 with microversions).

``make_app(conf, servers=...)`` builds the app around a ``ServersAPI``
(its cells, conductor and compute RPC clients and placement client are
wired by the caller: ``nova_core.wsgi.compute`` for WSGI servers and the
``nova_core.api.apps`` entry point, ``tests.cloud`` in tests).

URL layout, as Nova's paste pipeline::

    /                   version list, no token
    /v2.1, /v2.1/       the v2.1 version document, no token
    /v2.1/[{project}/]… the API: token, context, microversion, router
"""

import logging

import webob.dec
import webob.exc

from nova_core.api import auth
from nova_core.api.compute import aggregates_api
from nova_core.api.compute import errors
from nova_core.api.compute import hosts_api
from nova_core.api.compute.handlers import common
from nova_core.api.compute.handlers import versions
from nova_core.api.compute import microversions as mv
from nova_core.api.compute import policies
from nova_core.api.compute import routes
from nova_core.api.compute import server_ops
from nova_core.api import fault
from nova_core.api import microversion
from nova_core.api import pipeline
from nova_core.api import policy
from nova_core.api import router
from nova_core.api import wsgi
from nova_core import exception

LOG = logging.getLogger(__name__)

ENV_URL_PROJECT = 'nova_core.url_project_id'
VARY = '%s, %s' % (microversion.HEADER, mv.LEGACY_HEADER)


class Services:
    """What the handlers call: the servers library and the cells."""

    def __init__(self, servers, scheduler=None):
        self.servers = servers
        self.cells = servers.cells
        self.server_ops = server_ops.ServerOps(servers)
        self.hosts = hosts_api.HostsAPI(servers.conf, servers.cells,
                                        servers.placement,
                                        compute_api=servers.compute_api)
        self.aggregates = aggregates_api.AggregatesAPI(
            servers.conf, servers.cells, servers.placement, self.hosts,
            scheduler=scheduler)


class ProjectIdInURL:
    """Take the optional project id off ``/{project_id}/servers``.

    Nova accepts both forms. A first segment that is not one of the API's
    collections is the project id; it must be the caller's (400 otherwise,
    Nova's "Malformed request URL"). It is kept in the environ so that
    links in responses use the form the client used.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        parts = req.path_info.split('/')
        if len(parts) > 2 and parts[1] and parts[1] not in routes.COLLECTIONS:
            project_id = parts[1]
            ctx = req.environ.get(wsgi.ENV_CONTEXT)
            if ctx is not None and ctx.project_id and \
                    project_id != ctx.project_id:
                return fault.prepare(fault.http_error(
                    400, "Malformed request URL: URL's project_id '%s' "
                    "doesn't match Context's project_id '%s'"
                    % (project_id, ctx.project_id)), req.environ)
            req.environ[ENV_URL_PROJECT] = project_id
            req.script_name += '/' + project_id
            req.path_info = '/' + '/'.join(parts[2:])
            # Links are built from the versioned base, not the project.
            req.environ['nova_core.compute.base_script'] = (
                req.script_name[:-len(project_id) - 1])
        return self.application


class LegacyVersionHeader:
    """Nova also answers with ``X-OpenStack-Nova-API-Version`` and varies
    on both headers."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        resp = req.get_response(self.application)
        version = req.environ.get(wsgi.ENV_MICROVERSION)
        if version is not None:
            resp.headers[mv.LEGACY_HEADER] = str(version)
        resp.headers['Vary'] = VARY
        return resp


class Mount:
    """``/`` to the version list; ``/v2.1...`` to the API (404 otherwise)."""

    def __init__(self, root_app, api_app):
        self.root_app = root_app
        self.api_app = api_app

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        req.environ[fault.ENV_ERROR_FORMATTER] = errors.json_formatter
        path = req.path_info
        if path in ('', '/'):
            return self.root_app
        if path == '/v2.1' or path.startswith('/v2.1/'):
            req.path_info_pop()
            return self.api_app
        return fault.prepare(webob.exc.HTTPNotFound(), req.environ)


def make_app(conf, servers=None, scheduler=None):
    """The compute API WSGI application for *conf*.

    :param servers: the ``ServersAPI`` the handlers use (required: its RPC
        clients live in rooms this package does not import).
    :param scheduler: the scheduler's rpcapi, told when host aggregates
        change (None: schedulers see changes when their cache expires).
    """
    if servers is None:
        raise exception.ConfigurationError(
            reason='the compute API needs a ServersAPI: build the app with '
                   'nova_core.wsgi.compute.make_app(conf)')
    auth_middleware = pipeline.auth_middleware(conf)
    authorizer = policy.Authorizer(
        policy.make_enforcer(conf, policies.list_rules()))
    services = Services(servers, scheduler)

    # The API proper, inside-out (a request meets the layers in the reverse
    # order of the list):
    #  - authentication, then the context made from what it established;
    #  - the project id in the URL is checked against the context;
    #  - microversion negotiation (with Nova's legacy header stamped on the
    #    answers) just outside the router.
    api = router.Router(routes.ROUTES, errors.TABLE)
    layers = [
        ProjectIdInURL,
        lambda a: microversion.MicroversionMiddleware(
            a, mv.SERVICE_TYPE, mv.MIN_VERSION, mv.MAX_VERSION,
            errors.json_formatter, legacy_header=mv.LEGACY_HEADER),
        LegacyVersionHeader,
        lambda a: auth.ContextMiddleware(
            a, db=services.cells, authorizer=authorizer, config=conf),
        auth_middleware,
    ]
    api = pipeline.wrap(api, layers)
    root = router.Router({'': {'GET': versions.versions},
                          '/': {'GET': versions.versions}}, errors.TABLE)

    # Around everything: the services for the handlers, then the edge
    # (CORS, the fault wrapper giving a JSON computeFault for anything that
    # escapes, the request log, proxy headers).
    def with_services(application):
        def middleware(environ, start_response):
            environ[common.ENV_SERVICES] = services
            return application(environ, start_response)
        return middleware

    app = pipeline.wrap(Mount(root, api), [with_services] + (
        pipeline.edge_layers(conf, errors.json_formatter, mv.SERVICE_TYPE)))
    app.services = services
    return app
