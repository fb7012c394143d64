"""cell_mappings rows of the API database: where each cell's DB and MQ are."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

CELL0_UUID = '00000000-0000-0000-0000-000000000000'
CELL0_NAME = 'cell0'

_T = api_models.cell_mappings
_UPDATABLE = ('name', 'transport_url', 'database_connection', 'disabled')


def _dict(row):
    return base.to_dict(row, bool_columns=('disabled',))


def is_cell0(mapping):
    return mapping['uuid'] == CELL0_UUID


def create(conn, uuid, name, transport_url, database_connection,
           disabled=False):
    """Add a cell mapping; CellExists if the uuid is taken."""
    try:
        conn.execute(_T.insert().values(
            uuid=uuid, name=name, transport_url=transport_url,
            database_connection=database_connection, disabled=disabled))
    except db_exc.DBDuplicateEntry:
        raise exception.CellExists(name=name, uuid=uuid)
    return get_by_uuid(conn, uuid)


def get_by_uuid(conn, uuid):
    row = conn.execute(_T.select().where(_T.c.uuid == uuid)).first()
    if row is None:
        raise exception.CellMappingNotFound(uuid=uuid)
    return _dict(row)


def get_by_id(conn, cell_id):
    row = conn.execute(_T.select().where(_T.c.id == cell_id)).first()
    if row is None:
        raise exception.CellMappingNotFound(uuid='id %s' % cell_id)
    return _dict(row)


def get_by_name(conn, name):
    """The first cell (by id) named *name*; names need not be unique."""
    row = conn.execute(
        _T.select().where(_T.c.name == name).order_by(_T.c.id)).first()
    if row is None:
        raise exception.CellMappingNotFound(uuid='named %s' % name)
    return _dict(row)


def get_all(conn, include_disabled=True):
    """Every cell mapping, cell0 first, then in creation order."""
    query = _T.select()
    if not include_disabled:
        query = query.where(_T.c.disabled == sa.false())
    rows = conn.execute(query.order_by(_T.c.id)).all()
    cells = [_dict(row) for row in rows]
    cells.sort(key=lambda cell: not is_cell0(cell))
    return cells


def id_for_uuid(conn, uuid):
    """The row id of cell *uuid* (CellMappingNotFound)."""
    cell_id = conn.execute(
        sa.select(_T.c.id).where(_T.c.uuid == uuid)).scalar()
    if cell_id is None:
        raise exception.CellMappingNotFound(uuid=uuid)
    return cell_id


def update(conn, uuid, values):
    """Change name, transport_url, database_connection or disabled."""
    unknown = set(values) - set(_UPDATABLE)
    if unknown:
        raise exception.Invalid('cannot update %s of a cell mapping'
                                % ', '.join(sorted(unknown)))
    if values:
        result = conn.execute(
            _T.update().where(_T.c.uuid == uuid).values(**values))
        if result.rowcount == 0:
            raise exception.CellMappingNotFound(uuid=uuid)
    return get_by_uuid(conn, uuid)


def delete(conn, uuid):
    result = conn.execute(_T.delete().where(_T.c.uuid == uuid))
    if result.rowcount == 0:
        raise exception.CellMappingNotFound(uuid=uuid)
