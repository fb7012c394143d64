"""Host aggregates (+ hosts, metadata) of the API database."""

import uuid as uuidlib

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.aggregates
_HOSTS = api_models.aggregate_hosts
_META = api_models.aggregate_metadata


def create(conn, name, uuid=None, metadata=None):
    uuid = uuid or str(uuidlib.uuid4())
    try:
        conn.execute(_T.insert().values(uuid=uuid, name=name))
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateExists(name=name)
    if metadata:
        update_metadata(conn, uuid, metadata)
    return get(conn, uuid)


def _dict(conn, row):
    agg = base.to_dict(row)
    agg['hosts'] = sorted(conn.execute(sa.select(_HOSTS.c.host).where(
        _HOSTS.c.aggregate_id == agg['id'])).scalars())
    agg['metadata'] = {r.key: r.value for r in conn.execute(
        sa.select(_META.c.key, _META.c.value).where(
            _META.c.aggregate_id == agg['id']))}
    agg['availability_zone'] = agg['metadata'].get('availability_zone')
    return agg


def _agg_id(conn, uuid):
    found = conn.execute(sa.select(_T.c.id).where(_T.c.uuid == uuid)).scalar()
    if found is None:
        raise exception.AggregateNotFound(aggregate_id=uuid)
    return found


def get(conn, uuid):
    """``{id, uuid, name, hosts, metadata, availability_zone, ...}``."""
    row = conn.execute(_T.select().where(_T.c.uuid == uuid)).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=uuid)
    return _dict(conn, row)


def get_by_id(conn, aggregate_id):
    row = conn.execute(_T.select().where(_T.c.id == aggregate_id)).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return _dict(conn, row)


def get_all(conn):
    return [_dict(conn, row)
            for row in conn.execute(_T.select().order_by(_T.c.id))]


def get_by_host(conn, host, key=None):
    """The aggregates *host* is in (having metadata *key* if given)."""
    query = _T.select().join(_HOSTS, _HOSTS.c.aggregate_id == _T.c.id).where(
        _HOSTS.c.host == host).order_by(_T.c.id)
    aggs = [_dict(conn, row) for row in conn.execute(query)]
    return [a for a in aggs if key is None or key in a['metadata']]


def add_host(conn, uuid, host):
    agg_id = _agg_id(conn, uuid)
    present = conn.execute(sa.select(_HOSTS.c.id).where(
        _HOSTS.c.aggregate_id == agg_id, _HOSTS.c.host == host)).first()
    if present is None:  # adding a member again changes nothing
        conn.execute(_HOSTS.insert().values(aggregate_id=agg_id, host=host))
    return get(conn, uuid)


def remove_host(conn, uuid, host):
    agg_id = _agg_id(conn, uuid)
    conn.execute(_HOSTS.delete().where(_HOSTS.c.aggregate_id == agg_id,
                                       _HOSTS.c.host == host))
    return get(conn, uuid)


def rename(conn, uuid, name):
    """Give the aggregate a new name; AggregateExists if another has it."""
    agg_id = _agg_id(conn, uuid)
    try:
        conn.execute(_T.update().where(_T.c.id == agg_id).values(
            name=name, updated_at=base.utcnow()))
    except db_exc.DBDuplicateEntry:
        raise exception.AggregateExists(name=name)
    return get(conn, uuid)


def update_metadata(conn, uuid, metadata):
    """Set keys; a None value removes the key."""
    agg_id = _agg_id(conn, uuid)
    for key, value in metadata.items():
        conn.execute(_META.delete().where(_META.c.aggregate_id == agg_id,
                                          _META.c.key == key))
        if value is not None:
            conn.execute(_META.insert().values(aggregate_id=agg_id, key=key,
                                               value=str(value)))
    return get(conn, uuid)


def delete(conn, uuid):
    agg_id = _agg_id(conn, uuid)
    conn.execute(_HOSTS.delete().where(_HOSTS.c.aggregate_id == agg_id))
    conn.execute(_META.delete().where(_META.c.aggregate_id == agg_id))
    conn.execute(_T.delete().where(_T.c.id == agg_id))
