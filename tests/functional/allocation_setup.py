"""Providers with inventory, and looks into the tables, for allocation tests.

Providers are created through the API; inventories are written as rows, so
that the allocation tests depend only on the provider API and the code
under test.
"""

from oslo_utils import uuidutils
import sqlalchemy as sa

from nova_core.placement.db import models

# The tables an allocation write may change.
WRITTEN_TABLES = ('allocations', 'consumers', 'projects', 'users',
                  'consumer_types', 'resource_providers', 'inventories')


def _table(name):
    return models.metadata.tables[name]


def provider(client, name=None, uuid=None, parent=None):
    """POST a provider; returns its uuid."""
    uuid = uuid or uuidutils.generate_uuid()
    body = {'name': name or 'rp-%s' % uuid, 'uuid': uuid}
    if parent:
        body['parent_provider_uuid'] = parent
    resp = client.post('/resource_providers', json=body, microversion='1.20')
    assert resp.status_code == 200, resp.text
    return uuid


def inventory(client, rp_uuid, rc_name, total, reserved=0, min_unit=1,
              max_unit=None, step_size=1, allocation_ratio=1.0):
    """Insert (or replace) an inventory row; the generation is not bumped."""
    with client.app.database.engine.begin() as conn:
        rp_id = conn.execute(sa.select(_table('resource_providers').c.id)
                             .where(_table('resource_providers').c.uuid ==
                                    rp_uuid)).scalar_one()
        rc_id = conn.execute(sa.select(_table('resource_classes').c.id)
                             .where(_table('resource_classes').c.name ==
                                    rc_name)).scalar_one()
        inv = _table('inventories')
        conn.execute(inv.delete().where(inv.c.resource_provider_id == rp_id,
                                        inv.c.resource_class_id == rc_id))
        conn.execute(inv.insert().values(
            resource_provider_id=rp_id, resource_class_id=rc_id,
            total=total, reserved=reserved, min_unit=min_unit,
            max_unit=total if max_unit is None else max_unit,
            step_size=step_size, allocation_ratio=allocation_ratio))


def compute(client, name=None, **totals):
    """A provider with ``{class: total}`` inventories; returns its uuid."""
    uuid = provider(client, name)
    for rc_name, total in totals.items():
        inventory(client, uuid, rc_name, total)
    return uuid


def generation(client, rp_uuid):
    resp = client.get('/resource_providers/%s' % rp_uuid)
    assert resp.status_code == 200, resp.text
    return resp.json()['generation']


def used(client, rp_uuid, rc_name):
    """Sum of the allocations of *rc_name* against a provider."""
    alloc = _table('allocations')
    query = (sa.select(sa.func.coalesce(sa.func.sum(alloc.c.used), 0))
             .select_from(alloc.join(
                 _table('resource_providers'),
                 alloc.c.resource_provider_id ==
                 _table('resource_providers').c.id).join(
                 _table('resource_classes'),
                 alloc.c.resource_class_id == _table('resource_classes').c.id))
             .where(_table('resource_providers').c.uuid == rp_uuid,
                    _table('resource_classes').c.name == rc_name))
    with client.app.database.engine.connect() as conn:
        return int(conn.execute(query).scalar())


def count(client, table, **where):
    """Rows of *table* whose columns equal *where*."""
    table = _table(table)
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with client.app.database.engine.connect() as conn:
        return conn.execute(query).scalar()


def snapshot(client):
    """Every row of the tables an allocation write touches, comparable."""
    result = {}
    with client.app.database.engine.connect() as conn:
        for name in WRITTEN_TABLES:
            table = _table(name)
            result[name] = sorted(
                tuple(str(value) for value in row)
                for row in conn.execute(sa.select(table)))
    return result
