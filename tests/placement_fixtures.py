"""Building placement apps and clients for tests."""

import contextlib

from oslo_config import cfg
import sqlalchemy as sa

from nova_core import conf as nova_conf
from nova_core.placement.db import api as db_api
from nova_core.placement.db import models
from nova_core.placement import deploy
from nova_core.placement import direct


def make_conf(url, sync=True, **overrides):
    """A ConfigOpts for a noauth2 placement on *url*.

    *overrides* are ``group__option=value`` (``DEFAULT`` options without
    the group).
    """
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('auth_strategy', 'noauth2', group='api')
    conf.set_override('connection', url, group='placement_database')
    conf.set_override('sync_on_startup', sync, group='placement_database')
    for key, value in overrides.items():
        group, _sep, name = key.rpartition('__')
        conf.set_override(name, value, group=group or None)
    return conf


@contextlib.contextmanager
def placement_client(url, sync=True, token='admin', **overrides):
    conf = make_conf(url, sync=sync, **overrides)
    app = deploy.make_app(conf)
    try:
        yield direct.PlacementDirect(app=app, token=token)
    finally:
        app.database.dispose()


def migrate(url):
    """Create the schema (and standard classes / traits) on *url*."""
    conf = make_conf(url, sync=True)
    database = db_api.PlacementDatabase(conf)
    deploy.prepare_database(conf, database)
    database.dispose()


# Child tables first, so that foreign keys never point at deleted rows.
_DATA_TABLES = ('allocations', 'inventories', 'resource_provider_traits',
                'resource_provider_aggregates', 'consumers', 'projects',
                'users', 'consumer_types', 'placement_aggregates')


def truncate(url):
    """Empty every table but keep the standard resource classes and traits."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in _DATA_TABLES:
            conn.execute(models.metadata.tables[table].delete())
        providers = models.metadata.tables['resource_providers']
        conn.execute(providers.update().values(root_provider_id=None,
                                               parent_provider_id=None))
        conn.execute(providers.delete())
        # autoescape: a backslash ESCAPE literal is not portable (MySQL
        # reads it as an escape of the closing quote).
        traits = models.metadata.tables['traits']
        conn.execute(traits.delete().where(
            traits.c.name.startswith('CUSTOM_', autoescape=True)))
        conn.execute(sa.text('DELETE FROM resource_classes WHERE id >= 10000'))
    engine.dispose()
