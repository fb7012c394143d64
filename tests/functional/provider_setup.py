"""Providers with inventory, usage, traits and aggregates, for filter tests.

Providers, traits and aggregates go through the API under test; inventory
and usage are written as rows, so that these tests depend only on the
provider and aggregate code, not on the inventory or allocation APIs.
"""

from oslo_utils import uuidutils
import sqlalchemy as sa

from nova_core.placement.db import models


def _table(name):
    return models.metadata.tables[name]


def provider(client, name, uuid=None, parent=None):
    """POST a provider; returns its uuid."""
    body = {'name': name, 'uuid': uuid or uuidutils.generate_uuid()}
    if parent:
        body['parent_provider_uuid'] = parent
    resp = client.post('/resource_providers', json=body)
    assert resp.status_code == 200, resp.text
    return body['uuid']


def generation(client, uuid):
    return client.get('/resource_providers/%s' % uuid).json()['generation']


def traits(client, uuid, names):
    for name in names:
        if name.startswith('CUSTOM_'):
            client.put('/traits/%s' % name)
    resp = client.put('/resource_providers/%s/traits' % uuid, json={
        'traits': list(names),
        'resource_provider_generation': generation(client, uuid)})
    assert resp.status_code == 200, resp.text


def aggregates(client, uuid, agg_uuids):
    resp = client.put('/resource_providers/%s/aggregates' % uuid, json={
        'aggregates': list(agg_uuids),
        'resource_provider_generation': generation(client, uuid)})
    assert resp.status_code == 200, resp.text


def _ids(conn, rp_uuid, rc_name):
    rp_id = conn.execute(sa.select(_table('resource_providers').c.id).where(
        _table('resource_providers').c.uuid == rp_uuid)).scalar_one()
    rc_id = conn.execute(sa.select(_table('resource_classes').c.id).where(
        _table('resource_classes').c.name == rc_name)).scalar_one()
    return rp_id, rc_id


def inventory(client, rp_uuid, rc_name, total, reserved=0, min_unit=1,
              max_unit=None, step_size=1, allocation_ratio=1.0):
    with client.app.database.engine.begin() as conn:
        rp_id, rc_id = _ids(conn, rp_uuid, rc_name)
        conn.execute(_table('inventories').insert().values(
            resource_provider_id=rp_id, resource_class_id=rc_id,
            total=total, reserved=reserved, min_unit=min_unit,
            max_unit=total if max_unit is None else max_unit,
            step_size=step_size, allocation_ratio=allocation_ratio))


def usage(client, rp_uuid, rc_name, used, consumer=None):
    """An allocation row of *used* units (no consumer record needed)."""
    with client.app.database.engine.begin() as conn:
        rp_id, rc_id = _ids(conn, rp_uuid, rc_name)
        conn.execute(_table('allocations').insert().values(
            resource_provider_id=rp_id, resource_class_id=rc_id,
            consumer_id=consumer or uuidutils.generate_uuid(), used=used))


def count(client, table, **where):
    """Rows of *table* whose columns equal *where*."""
    table = _table(table)
    query = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with client.app.database.engine.connect() as conn:
        return conn.execute(query).scalar()


def listed(client, query, microversion=None):
    """Names of the providers ``GET /resource_providers?<query>`` lists."""
    resp = client.get('/resource_providers?' + query,
                      microversion=microversion)
    assert resp.status_code == 200, resp.text
    return sorted(rp['name'] for rp in resp.json()['resource_providers'])
