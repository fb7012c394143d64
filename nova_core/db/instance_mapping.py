"""instance_mappings rows of the API database: which cell holds an instance."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core.db import cell_mapping
from nova_core import exception

_T = api_models.instance_mappings
_CELLS = api_models.cell_mappings
_BOOLS = ('queued_for_delete',)


def _select():
    """Mappings with their cell's uuid and name (None while unscheduled)."""
    return sa.select(_T, _CELLS.c.uuid.label('cell_uuid'),
                     _CELLS.c.name.label('cell_name')).outerjoin(
        _CELLS, _T.c.cell_id == _CELLS.c.id)


def create(conn, instance_uuid, project_id, user_id=None, cell_uuid=None,
           queued_for_delete=False):
    """Map an instance (to no cell yet unless *cell_uuid*)."""
    cell_id = (cell_mapping.id_for_uuid(conn, cell_uuid)
               if cell_uuid is not None else None)
    try:
        conn.execute(_T.insert().values(
            instance_uuid=instance_uuid, project_id=project_id,
            user_id=user_id, cell_id=cell_id,
            queued_for_delete=queued_for_delete))
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceMappingExists(uuid=instance_uuid)
    return get_by_instance_uuid(conn, instance_uuid)


def get_by_instance_uuid(conn, instance_uuid):
    """``{id, instance_uuid, cell_id, cell_uuid, cell_name, project_id,
    user_id, queued_for_delete, ...}``; InstanceMappingNotFound."""
    row = conn.execute(
        _select().where(_T.c.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.InstanceMappingNotFound(uuid=instance_uuid)
    return base.to_dict(row, bool_columns=_BOOLS)


def update(conn, instance_uuid, **values):
    """Set ``cell_uuid`` (None unmaps), ``queued_for_delete``, ``user_id``."""
    if 'cell_uuid' in values:
        cell_uuid = values.pop('cell_uuid')
        values['cell_id'] = (cell_mapping.id_for_uuid(conn, cell_uuid)
                             if cell_uuid is not None else None)
    unknown = set(values) - {'cell_id', 'queued_for_delete', 'user_id'}
    if unknown:
        raise exception.Invalid('cannot update %s of an instance mapping'
                                % ', '.join(sorted(unknown)))
    if values:
        result = conn.execute(_T.update().where(
            _T.c.instance_uuid == instance_uuid).values(**values))
        if result.rowcount == 0:
            raise exception.InstanceMappingNotFound(uuid=instance_uuid)
    return get_by_instance_uuid(conn, instance_uuid)


def delete(conn, instance_uuid):
    result = conn.execute(
        _T.delete().where(_T.c.instance_uuid == instance_uuid))
    if result.rowcount == 0:
        raise exception.InstanceMappingNotFound(uuid=instance_uuid)


def get_by_cell(conn, cell_uuid, limit=None):
    """The mappings of one cell, oldest first."""
    query = _select().where(_CELLS.c.uuid == cell_uuid).order_by(_T.c.id)
    if limit is not None:
        query = query.limit(limit)
    return [base.to_dict(row, bool_columns=_BOOLS)
            for row in conn.execute(query)]


def get_by_project(conn, project_id):
    query = _select().where(_T.c.project_id == project_id).order_by(_T.c.id)
    return [base.to_dict(row, bool_columns=_BOOLS)
            for row in conn.execute(query)]


def delete_by_cell(conn, cell_uuid):
    """Remove every mapping of a cell; returns how many there were."""
    cell_id = cell_mapping.id_for_uuid(conn, cell_uuid)
    return conn.execute(_T.delete().where(_T.c.cell_id == cell_id)).rowcount
