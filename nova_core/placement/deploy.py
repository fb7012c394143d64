"""Assembling the placement WSGI app from its configuration.

``make_app(conf)`` is the ``nova_core.api.apps`` entry point named
``placement``: it prepares the database, builds the policy enforcer and
wraps the router in its middleware.
"""

import logging

from nova_core.api import auth
from nova_core.api import microversion
from nova_core.api import pipeline
from nova_core.api import policy
from nova_core.api import router
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


def make_app(conf, database=None):
    """The placement WSGI application for *conf*.

    *database* may be given to share one ``PlacementDatabase`` (tests,
    embedding); by default the app opens its own.
    """
    # Configuration mistakes are found before anything touches a database:
    # a refused start must not leave a new SQLite file or a migration behind.
    auth_middleware = pipeline.auth_middleware(conf)
    authorizer = policy.Authorizer(
        policy.make_enforcer(conf, policies.list_rules()))
    if database is None:
        database = db_api.PlacementDatabase(conf)
        prepare_database(conf, database)

    app = router.Router(routes.ROUTES, errors.TABLE)
    # The pipeline is built inside-out; a request meets the layers in the
    # reverse order of this list: the edge (pipeline.edge_layers), then
    # authentication, the context made from what it established, and
    # microversion negotiation last, just outside the router, so that
    # every answer of the API proper carries the version header.
    layers = [
        lambda a: microversion.MicroversionMiddleware(
            a, microversions.SERVICE_TYPE, microversions.MIN_VERSION,
            microversions.MAX_VERSION, errors.json_formatter),
        lambda a: auth.ContextMiddleware(
            a, db=database, authorizer=authorizer, config=conf),
        auth_middleware,
    ] + pipeline.edge_layers(conf, errors.json_formatter,
                             microversions.SERVICE_TYPE)
    app = pipeline.wrap(app, layers)
    app.database = database
    return app
