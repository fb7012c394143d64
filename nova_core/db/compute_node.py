"""compute_nodes of a cell database: one row per hypervisor node."""

import uuid as uuidlib

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import base
from nova_core.db import main_models
from nova_core import exception

_T = main_models.compute_nodes
_COLUMNS = set(_T.c.keys()) - {'id', 'deleted', 'deleted_at', 'created_at'}


def _dict(row):
    node = base.to_dict(row, json_columns=('stats',))
    node['mapped'] = bool(node['mapped'])
    return node


def _values(values):
    unknown = set(values) - _COLUMNS
    if unknown:
        raise exception.Invalid('no compute node field(s) %s'
                                % ', '.join(sorted(unknown)))
    row = dict(values)
    if 'stats' in row:
        row['stats'] = base.dumps(row['stats'])
    if 'mapped' in row:
        row['mapped'] = int(bool(row['mapped']))
    if 'updated_at' in row:
        row['updated_at'] = base.parse_time(row['updated_at'])
    return row


def create(conn, values):
    """Add a node (``host`` and ``hypervisor_hostname`` required; a new
    uuid unless given); ComputeNodeExists."""
    row = _values(values)
    row.setdefault('uuid', str(uuidlib.uuid4()))
    try:
        conn.execute(_T.insert().values(**row))
    except db_exc.DBDuplicateEntry:
        raise exception.ComputeNodeExists(host=row.get('host'),
                                          node=row.get('hypervisor_hostname'))
    return get_by_uuid(conn, row['uuid'])


def _one(conn, where, host, node):
    row = conn.execute(_T.select().where(where, _T.c.deleted == 0)).first()
    if row is None:
        raise exception.ComputeNodeNotFound(host=host, node=node)
    return _dict(row)


def get_by_host_and_nodename(conn, host, nodename):
    return _one(conn, sa.and_(_T.c.host == host,
                              _T.c.hypervisor_hostname == nodename),
                host, nodename)


def get_by_uuid(conn, uuid):
    return _one(conn, _T.c.uuid == uuid, '?', uuid)


def get_by_id(conn, node_id):
    return _one(conn, _T.c.id == node_id, '?', node_id)


def get_all(conn, host=None, mapped=None):
    """Live nodes (of *host*; only unmapped ones with ``mapped=False``)."""
    query = _T.select().where(_T.c.deleted == 0).order_by(_T.c.id)
    if host is not None:
        query = query.where(_T.c.host == host)
    if mapped is not None:
        query = query.where(_T.c.mapped == int(bool(mapped)))
    return [_dict(row) for row in conn.execute(query)]


def update(conn, uuid, values):
    row = _values(values)
    row.setdefault('updated_at', base.utcnow())
    result = conn.execute(_T.update().where(
        _T.c.uuid == uuid, _T.c.deleted == 0).values(**row))
    if result.rowcount == 0:
        raise exception.ComputeNodeNotFound(host='?', node=uuid)
    return get_by_uuid(conn, uuid)


def mark_mapped(conn, uuids):
    """Flag nodes as mapped by host discovery."""
    if uuids:
        conn.execute(_T.update().where(_T.c.uuid.in_(list(uuids))).values(
            mapped=1))


def delete(conn, uuid):
    """Soft-delete the node."""
    now = base.utcnow()
    result = conn.execute(_T.update().where(
        _T.c.uuid == uuid, _T.c.deleted == 0).values(
            deleted=_T.c.id, deleted_at=now, updated_at=now))
    if result.rowcount == 0:
        raise exception.ComputeNodeNotFound(host='?', node=uuid)


def get_changed_since(conn, since=None, after_id=None):
    """Nodes created, updated or deleted at or after *since* (a naive UTC
    datetime or ISO text: the rows' own timestamps) or with an id above
    *after_id*, deleted ones included (``deleted`` true), in id order.

    Every write of this module sets ``updated_at`` (an insert sets
    ``created_at``, a delete ``deleted_at`` and ``updated_at``), so an
    incremental reader that re-reads a window before its previous read
    (by the database's clock) misses nothing written by a clock within
    that window. With
    neither argument, every row.
    """
    return [_dict(row) for row in conn.execute(
        base.changed_since(_T, _T.select(), since, after_id))]


def get_change_marks(conn, since=None, after_id=None):
    """:func:`get_changed_since` as change marks only (base.change_marks)."""
    return base.change_marks(conn, _T, since, after_id)


def get_by_ids(conn, ids):
    """The nodes of *ids* (deleted ones included), in id order."""
    return [_dict(row) for row in base.rows_by_ids(conn, _T, ids)]
