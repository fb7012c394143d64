"""migrations rows of a cell database (records of moves, not schema changes;
``migration.py`` is the schema)."""

import uuid as uuidlib

from nova_core.db import base
from nova_core.db import main_models
from nova_core import exception

_T = main_models.migrations
_BOOLS = ('hidden', 'cross_cell_move')
_COLUMNS = set(_T.c.keys()) - {'id', 'deleted', 'deleted_at', 'created_at',
                               'updated_at'}


def _dict(row):
    return base.to_dict(row, bool_columns=_BOOLS)


def _values(values):
    unknown = set(values) - _COLUMNS
    if unknown:
        raise exception.Invalid('no migration field(s) %s'
                                % ', '.join(sorted(unknown)))
    return dict(values)


def create(conn, values):
    """Add a migration record (``instance_uuid`` required); returns it."""
    row = _values(values)
    row.setdefault('uuid', str(uuidlib.uuid4()))
    migration_id = base.insert_id(conn.execute(_T.insert().values(**row)))
    return get(conn, migration_id)


def get(conn, migration_id):
    row = conn.execute(_T.select().where(_T.c.id == migration_id)).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=migration_id)
    return _dict(row)


def get_by_uuid(conn, uuid):
    row = conn.execute(_T.select().where(_T.c.uuid == uuid)).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=uuid)
    return _dict(row)


def update(conn, migration_id, values):
    row = dict(_values(values), updated_at=base.utcnow())
    result = conn.execute(_T.update().where(_T.c.id == migration_id).values(
        **row))
    if result.rowcount == 0:
        raise exception.MigrationNotFound(migration_id=migration_id)
    return get(conn, migration_id)


def get_by_instance(conn, instance_uuid, status=None):
    """The instance's migrations, oldest first (of *status* if given)."""
    query = _T.select().where(_T.c.instance_uuid == instance_uuid).order_by(
        _T.c.id)
    if status is not None:
        query = query.where(_T.c.status == status)
    return [_dict(row) for row in conn.execute(query)]
