"""instance_faults of a cell database: why an instance went wrong."""

import json

import sqlalchemy as sa

from nova_core.db import base
from nova_core.db import main_models

_T = main_models.instance_faults
# TEXT on MySQL holds 64 KiB; longer details are cut, never refused.
_MAX_DETAILS = 65000
_MAX_MESSAGE = 255


def create(conn, instance_uuid, code, message, details=None, host=None):
    """Record a fault; *details* is text, or a JSON-able value stored as
    JSON (the NoValidHost explanation). Returns the fault dict."""
    if details is not None and not isinstance(details, str):
        details = json.dumps(details, sort_keys=True)
    if details is not None:
        details = details[:_MAX_DETAILS]
    fault_id = base.insert_id(conn.execute(_T.insert().values(
        instance_uuid=instance_uuid, code=code,
        message=(message or '')[:_MAX_MESSAGE], details=details, host=host)))
    return base.to_dict(conn.execute(
        _T.select().where(_T.c.id == fault_id)).first())


def get_latest_for_instance(conn, instance_uuid):
    """The newest fault dict ``{id, instance_uuid, code, message, details,
    host, created_at, updated_at}``, or None."""
    row = conn.execute(_T.select().where(
        _T.c.instance_uuid == instance_uuid).order_by(
            _T.c.id.desc()).limit(1)).first()
    return base.to_dict(row) if row is not None else None


def get_by_instance_uuids(conn, instance_uuids):
    """``{instance_uuid: [faults, newest first]}``."""
    result = {uuid: [] for uuid in instance_uuids}
    if instance_uuids:
        for row in conn.execute(_T.select().where(
                _T.c.instance_uuid.in_(list(instance_uuids))).order_by(
                    _T.c.id.desc())):
            result[row.instance_uuid].append(base.to_dict(row))
    return result


def count(conn, instance_uuid):
    return conn.execute(sa.select(sa.func.count()).select_from(_T).where(
        _T.c.instance_uuid == instance_uuid)).scalar()
