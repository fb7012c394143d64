"""host_mappings rows of the API database: which cell each compute host is in."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core.db import cell_mapping
from nova_core import exception

_T = api_models.host_mappings
_CELLS = api_models.cell_mappings


def _select():
    return sa.select(_T, _CELLS.c.uuid.label('cell_uuid'),
                     _CELLS.c.name.label('cell_name')).join(
        _CELLS, _T.c.cell_id == _CELLS.c.id)


def create(conn, host, cell_uuid):
    """Map *host* to cell *cell_uuid*; HostMappingExists if it is mapped."""
    cell_id = cell_mapping.id_for_uuid(conn, cell_uuid)
    existing = conn.execute(_select().where(_T.c.host == host)).first()
    if existing is not None:
        raise exception.HostMappingExists(name=host,
                                          cell_uuid=existing.cell_uuid)
    try:
        conn.execute(_T.insert().values(host=host, cell_id=cell_id))
    except db_exc.DBDuplicateEntry:
        # A concurrent create won; nothing more can be read in this
        # transaction on PostgreSQL.
        raise exception.HostMappingExists(name=host, cell_uuid='?')
    return get_by_host(conn, host)


def get_by_host(conn, host):
    """``{id, host, cell_id, cell_uuid, cell_name, created_at, updated_at}``."""
    row = conn.execute(_select().where(_T.c.host == host)).first()
    if row is None:
        raise exception.HostMappingNotFound(name=host)
    return base.to_dict(row)


def get_all(conn, cell_uuid=None):
    """Every host mapping (of one cell if *cell_uuid*), by host name."""
    query = _select()
    if cell_uuid is not None:
        query = query.where(_CELLS.c.uuid == cell_uuid)
    return [base.to_dict(row)
            for row in conn.execute(query.order_by(_T.c.host))]


def delete(conn, host):
    result = conn.execute(_T.delete().where(_T.c.host == host))
    if result.rowcount == 0:
        raise exception.HostMappingNotFound(name=host)


def delete_by_cell(conn, cell_uuid):
    """Remove every host mapping of a cell; returns how many there were."""
    cell_id = cell_mapping.id_for_uuid(conn, cell_uuid)
    return conn.execute(_T.delete().where(_T.c.cell_id == cell_id)).rowcount
