"""build_requests rows of the API database: instances not yet in a cell."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.build_requests


def _dict(row):
    return base.to_dict(row, json_columns=('instance',))


def create(conn, instance_uuid, project_id, instance):
    """Record the instance to be (a JSON-able dict) until it is scheduled."""
    try:
        conn.execute(_T.insert().values(
            instance_uuid=instance_uuid, project_id=project_id,
            instance=base.dumps(instance)))
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceExists(uuid=instance_uuid)
    return get_by_instance_uuid(conn, instance_uuid)


def get_by_instance_uuid(conn, instance_uuid):
    """``{id, instance_uuid, project_id, instance (dict), created_at, ...}``."""
    row = conn.execute(
        _T.select().where(_T.c.instance_uuid == instance_uuid)).first()
    if row is None:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)
    return _dict(row)


def update_instance(conn, instance_uuid, instance):
    """Replace the instance to be; BuildRequestNotFound if it was
    scheduled (or deleted) meanwhile."""
    result = conn.execute(_T.update().where(
        _T.c.instance_uuid == instance_uuid).values(
            instance=base.dumps(instance)))
    if result.rowcount == 0:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)
    return get_by_instance_uuid(conn, instance_uuid)


def get_all(conn, project_id=None):
    query = _T.select().order_by(_T.c.id)
    if project_id is not None:
        query = query.where(_T.c.project_id == project_id)
    return [_dict(row) for row in conn.execute(query)]


def delete(conn, instance_uuid):
    """Remove it; BuildRequestNotFound if it was gone (a delete raced)."""
    result = conn.execute(
        _T.delete().where(_T.c.instance_uuid == instance_uuid))
    if result.rowcount == 0:
        raise exception.BuildRequestNotFound(uuid=instance_uuid)


def count(conn, project_id=None):
    query = sa.select(sa.func.count()).select_from(_T)
    if project_id is not None:
        query = query.where(_T.c.project_id == project_id)
    return conn.execute(query).scalar()
