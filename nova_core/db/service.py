"""services of a cell database: one row per (host, binary), with heartbeats."""

import uuid as uuidlib

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import base
from nova_core.db import cell_mapping
from nova_core.db import cells as cells_mod
from nova_core.db import main_models
from nova_core import exception

_T = main_models.services
_BOOLS = ('disabled', 'forced_down')
_UPDATABLE = {'topic', 'report_count', 'disabled', 'disabled_reason',
              'last_seen_up', 'forced_down', 'version'}


def _dict(row):
    return base.to_dict(row, bool_columns=_BOOLS)


def create(conn, host, binary, topic=None, version=0, disabled=False,
           disabled_reason=None, uuid=None):
    """Add a service record; ServiceExists if (host, binary) has one."""
    uuid = uuid or str(uuidlib.uuid4())
    try:
        conn.execute(_T.insert().values(
            uuid=uuid, host=host, binary=binary, topic=topic,
            version=version, disabled=disabled,
            disabled_reason=disabled_reason))
    except db_exc.DBDuplicateEntry:
        raise exception.ServiceExists(binary=binary, host=host)
    return get_by_host_and_binary(conn, host, binary)


def _one(conn, where, service_id):
    row = conn.execute(_T.select().where(where, _T.c.deleted == 0)).first()
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    return _dict(row)


def get_by_host_and_binary(conn, host, binary):
    """``{id, uuid, host, binary, topic, report_count, disabled,
    disabled_reason, last_seen_up, forced_down, version, ...}``."""
    return _one(conn, sa.and_(_T.c.host == host, _T.c.binary == binary),
                '%s on %s' % (binary, host))


def get_by_id(conn, service_id):
    return _one(conn, _T.c.id == service_id, service_id)


def get_by_uuid(conn, uuid):
    return _one(conn, _T.c.uuid == uuid, uuid)


def get_all(conn, binary=None, host=None, include_disabled=True):
    query = _T.select().where(_T.c.deleted == 0).order_by(_T.c.id)
    if binary is not None:
        query = query.where(_T.c.binary == binary)
    if host is not None:
        query = query.where(_T.c.host == host)
    if not include_disabled:
        query = query.where(_T.c.disabled == sa.false())
    return [_dict(row) for row in conn.execute(query)]


def update(conn, service_id, values):
    unknown = set(values) - _UPDATABLE
    if unknown:
        raise exception.Invalid('cannot update %s of a service'
                                % ', '.join(sorted(unknown)))
    row = dict(values, updated_at=base.utcnow())
    if 'last_seen_up' in row:
        row['last_seen_up'] = base.parse_time(row['last_seen_up'])
    result = conn.execute(_T.update().where(
        _T.c.id == service_id, _T.c.deleted == 0).values(**row))
    if result.rowcount == 0:
        raise exception.ServiceNotFound(service_id=service_id)
    return get_by_id(conn, service_id)


def heartbeat(conn, service_id):
    """Count a report and note when it was seen; returns the service."""
    now = base.utcnow()
    result = conn.execute(_T.update().where(
        _T.c.id == service_id, _T.c.deleted == 0).values(
            report_count=_T.c.report_count + 1, last_seen_up=now,
            updated_at=now))
    if result.rowcount == 0:
        raise exception.ServiceNotFound(service_id=service_id)
    return get_by_id(conn, service_id)


def home_database(ctx, cells):
    """The database of a conductor's or scheduler's own record: its
    ``[database]`` when configured; otherwise cell0 (from the API
    database's cell mappings), where Nova's super conductor and scheduler
    keep theirs; the embedded default when there is no cell0 either."""
    if cells.conf.database.connection:
        return cells.local
    try:
        with cells.api.reader(ctx) as conn:
            mapping = cell_mapping.get_by_uuid(conn, cells_mod.CELL0_UUID)
    except exception.CellMappingNotFound:
        return cells.local
    return cells.cell_database(mapping)


def report(conn, host, binary, topic=None, version=0):
    """The heartbeat of a service that writes its own record (conductor,
    scheduler): the record is created on the first report, and again
    after an operator deleted it; returns the service."""
    try:
        found = get_by_host_and_binary(conn, host, binary)
    except exception.ServiceNotFound:
        try:
            found = create(conn, host, binary, topic=topic, version=version)
        except exception.ServiceExists:  # another worker of the same host
            found = get_by_host_and_binary(conn, host, binary)
    if found['version'] != version:
        update(conn, found['id'], {'version': version})
    return heartbeat(conn, found['id'])


def delete(conn, service_id):
    """Soft-delete the service record."""
    now = base.utcnow()
    result = conn.execute(_T.update().where(
        _T.c.id == service_id, _T.c.deleted == 0).values(
            deleted=_T.c.id, deleted_at=now))
    if result.rowcount == 0:
        raise exception.ServiceNotFound(service_id=service_id)


def min_version(conn, binary):
    """The lowest version among live *binary* services (0 if none)."""
    found = conn.execute(sa.select(sa.func.min(_T.c.version)).where(
        _T.c.binary == binary, _T.c.deleted == 0)).scalar()
    return found or 0


def get_changed_since(conn, since=None, after_id=None):
    """Services created, updated (heartbeats included) or deleted at or
    after *since* (a naive UTC datetime or ISO text: the rows' own
    timestamps) or with an id above *after_id*, deleted ones included
    (``deleted`` true), in id order. With neither argument, every row.

    ``update``, ``heartbeat`` and ``delete`` all set ``updated_at`` (the
    column's onupdate when not given), ``create`` sets ``created_at``.
    """
    return [_dict(row) for row in conn.execute(
        base.changed_since(_T, _T.select(), since, after_id))]


def get_change_marks(conn, since=None, after_id=None):
    """:func:`get_changed_since` as change marks only (base.change_marks):
    a cheap look at a re-read window full of heartbeats."""
    return base.change_marks(conn, _T, since, after_id)


def get_by_ids(conn, ids):
    """The services of *ids* (deleted ones included), in id order."""
    return [_dict(row) for row in base.rows_by_ids(conn, _T, ids)]

