"""Assembling the placement WSGI app from its configuration.

``make_app(conf)`` is the ``nova_core.api.apps`` entry point named
``placement``: it prepares the database, builds the policy enforcer and
wraps the router in its middleware.
"""

import logging

from oslo_middleware import cors
from oslo_middleware import http_proxy_to_wsgi

from nova_core.api import auth
from nova_core.api import fault
from nova_core.api import microversion
from nova_core.api import policy
from nova_core.api import requestlog
from nova_core.api import router
from nova_core import exception
from nova_core.placement.db import api as db_api
from nova_core.placement.db import change
from nova_core.placement.db import migration
from nova_core.placement import errors
from nova_core.placement import microversions
from nova_core.placement.objects import resource_class
from nova_core.placement.objects import trait
from nova_core.placement import policies
from nova_core.placement import routes

LOG = logging.getLogger(__name__)


def prepare_database(conf, database):
    """Migrate if asked to (always on the embedded default), then make sure
    the standard resource classes and traits of the installed
    os-resource-classes / os-traits exist.

    Runs under the schema lock, so that API processes starting together
    take turns.
    """
    sync = conf.placement_database.sync_on_startup or database.embedded
    with database.exclusive() as conn:
        database.use_wal(conn)
        if sync:
            migration.upgrade(conn)
            conn.commit()
        database.check_schema(conn)
        resource_class.ensure_standard(conn)
        trait.ensure_standard(conn)
        # New standard names are logged for the other API processes.
        change.flush(conn)
        conn.commit()


def _auth_middleware(conf):
    if conf.api.auth_strategy == 'noauth2':
        return auth.NoAuth2Middleware
    if conf.api.auth_strategy == 'keystone':
        return auth.keystone_middleware(conf)
    raise exception.ConfigurationError(
        reason='unknown [api] auth_strategy %r' % conf.api.auth_strategy)


def make_app(conf, database=None):
    """The placement WSGI application for *conf*.

    *database* may be given to share one ``PlacementDatabase`` (tests,
    embedding); by default the app opens its own.
    """
    # Configuration mistakes are found before anything touches a database:
    # a refused start must not leave a new SQLite file or a migration behind.
    auth_middleware = _auth_middleware(conf)
    authorizer = policy.Authorizer(
        policy.make_enforcer(conf, policies.list_rules()))
    if database is None:
        database = db_api.PlacementDatabase(conf)
        prepare_database(conf, database)

    app = router.Router(routes.ROUTES, errors.TABLE)
    # The pipeline is built inside-out; a request meets the layers in the
    # reverse order of this list:
    #  - proxy headers first, so the request log shows the real client;
    #  - the request log next, so every answer, even a 500, has a request
    #    id and one log line;
    #  - the fault wrapper inside it turns anything that escapes below into
    #    a JSON 500 (and tells the layers below how errors are formatted);
    #  - CORS before authentication: a pre-flight OPTIONS has no token;
    #  - authentication, then the context made from what it established;
    #  - microversion negotiation last, just outside the router, so that
    #    every answer of the API proper carries the version header.
    layers = [
        lambda a: microversion.MicroversionMiddleware(
            a, microversions.SERVICE_TYPE, microversions.MIN_VERSION,
            microversions.MAX_VERSION, errors.json_formatter),
        lambda a: auth.ContextMiddleware(
            a, db=database, authorizer=authorizer, config=conf),
        auth_middleware,
    ]
    if conf.cors.allowed_origin:
        layers.append(lambda a: cors.CORS(a, conf))
    layers += [
        lambda a: fault.FaultWrapper(a, errors.json_formatter),
        lambda a: requestlog.RequestLog(a, microversions.SERVICE_TYPE),
    ]
    # Only when asked for: it reads its options on every request.
    conf.register_opts(http_proxy_to_wsgi.OPTS, group='oslo_middleware')
    if conf.oslo_middleware.enable_proxy_headers_parsing:
        layers.append(lambda a: http_proxy_to_wsgi.HTTPProxyToWSGI(a, conf))
    for layer in layers:
        app = layer(app)
    app.database = database
    return app
