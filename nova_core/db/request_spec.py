"""request_specs rows of the API database: how an instance asked to be placed."""

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.request_specs


def save(conn, spec):
    """Create or replace the spec of ``spec['instance_uuid']``; returns it."""
    instance_uuid = spec['instance_uuid']
    text = base.dumps(spec)
    result = conn.execute(_T.update().where(
        _T.c.instance_uuid == instance_uuid).values(spec=text))
    if result.rowcount == 0:
        conn.execute(_T.insert().values(instance_uuid=instance_uuid,
                                        spec=text))
    return get_by_instance_uuid(conn, instance_uuid)


def get_by_instance_uuid(conn, instance_uuid):
    """The request spec dict as saved (SPEC "request_spec")."""
    text = conn.execute(_T.select().with_only_columns(_T.c.spec).where(
        _T.c.instance_uuid == instance_uuid)).scalar()
    if text is None:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
    return base.json_load(text)


def delete(conn, instance_uuid):
    result = conn.execute(
        _T.delete().where(_T.c.instance_uuid == instance_uuid))
    if result.rowcount == 0:
        raise exception.RequestSpecNotFound(instance_uuid=instance_uuid)
