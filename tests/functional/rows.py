"""Rows written straight into a test client's placement database.

For data that a test needs but that is not what it tests: providers, and
allocations with their consumers, projects, users and consumer types.
"""

from oslo_utils import uuidutils
import sqlalchemy as sa

from nova_core import context
from nova_core.placement.db import models
from nova_core.placement.objects import resource_provider as rp_obj


def _table(name):
    return models.metadata.tables[name]


def provider(client, name=None, uuid=None, parent=None):
    """Create a provider through the objects layer; returns its uuid."""
    uuid = uuid or uuidutils.generate_uuid()
    ctx = context.get_admin_context(db=client.app.database)
    rp_obj.create(ctx, uuid, name or 'rp-%s' % uuid, parent)
    return uuid


def _id_of(conn, table, column, value):
    """Id of the row of *table* whose *column* is *value*, made if missing."""
    table = _table(table)
    found = conn.execute(sa.select(table.c.id).where(
        table.c[column] == value)).scalar()
    if found is None:
        found = conn.execute(table.insert().values(
            {column: value})).inserted_primary_key[0]
    return found


def allocate(client, rp_uuid, resources, consumer=None, project='p1',
             user='u1', consumer_type=None):
    """Allocate ``{class: amount}`` of provider *rp_uuid* to *consumer*.

    Creates the consumer (and its project, user and type) if needed; the
    provider's generation is left alone. Returns the consumer's uuid.
    """
    consumer = consumer or uuidutils.generate_uuid()
    with client.app.database.engine.begin() as conn:
        rp_id = conn.execute(sa.select(_table('resource_providers').c.id)
                             .where(_table('resource_providers').c.uuid ==
                                    rp_uuid)).scalar_one()
        consumers = _table('consumers')
        if conn.execute(sa.select(consumers.c.id).where(
                consumers.c.uuid == consumer)).first() is None:
            type_id = consumer_type and _id_of(
                conn, 'consumer_types', 'name', consumer_type)
            conn.execute(consumers.insert().values(
                uuid=consumer, generation=1, consumer_type_id=type_id,
                project_id=_id_of(conn, 'projects', 'external_id', project),
                user_id=_id_of(conn, 'users', 'external_id', user)))
        classes = _table('resource_classes')
        for name, amount in resources.items():
            rc_id = conn.execute(sa.select(classes.c.id).where(
                classes.c.name == name)).scalar_one()
            conn.execute(_table('allocations').insert().values(
                resource_provider_id=rp_id, resource_class_id=rc_id,
                consumer_id=consumer, used=amount))
    return consumer
