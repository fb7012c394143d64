"""The local image catalogue (``images`` of the API database).

An image is a dict with Glance's fields (``id`` is the image's uuid) and
``properties``, its other key/value pairs (``hw_architecture``,
``os_distro``...), kept as one JSON column: the catalogue is small and read
whole, so properties are filtered in Python by the callers.
"""

import uuid as uuidlib

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.images

# Columns a caller may set on create (besides the uuid and properties).
FIELDS = ('name', 'status', 'visibility', 'owner', 'container_format',
          'disk_format', 'min_disk', 'min_ram', 'size', 'checksum',
          'protected')


def _dict(row):
    image = base.to_dict(row, json_columns=('properties',),
                         bool_columns=('protected',))
    image.pop('id')
    image['id'] = image.pop('uuid')
    image['properties'] = image['properties'] or {}
    return image


def create(conn, name, uuid=None, status='active', visibility='public',
           owner=None, container_format='bare', disk_format='qcow2',
           min_disk=0, min_ram=0, size=None, checksum=None, protected=False,
           properties=None):
    """Add an image; ImageExists if *uuid* is taken."""
    uuid = uuid or str(uuidlib.uuid4())
    try:
        conn.execute(_T.insert().values(
            uuid=uuid, name=name, status=status, visibility=visibility,
            owner=owner, container_format=container_format,
            disk_format=disk_format, min_disk=min_disk or 0,
            min_ram=min_ram or 0, size=size, checksum=checksum,
            protected=bool(protected),
            properties=base.dumps(dict(properties or {}))))
    except db_exc.DBDuplicateEntry:
        raise exception.ImageExists(image_id=uuid) from None
    return get(conn, uuid)


def get(conn, uuid):
    """The image dict; ImageNotFound."""
    row = conn.execute(_T.select().where(_T.c.uuid == uuid)).first()
    if row is None:
        raise exception.ImageNotFound(image_id=uuid)
    return _dict(row)


def get_all(conn, project_id=None):
    """Every image (*project_id* given: only those it may see by
    visibility: public, community, and its own shared or private ones),
    oldest first."""
    query = _T.select().order_by(_T.c.id)
    if project_id is not None:
        query = query.where(sa.or_(
            _T.c.visibility.in_(('public', 'community')),
            _T.c.owner == project_id))
    return [_dict(row) for row in conn.execute(query)]


def delete(conn, uuid):
    """Remove an image; ImageNotFound."""
    if not conn.execute(_T.delete().where(_T.c.uuid == uuid)).rowcount:
        raise exception.ImageNotFound(image_id=uuid)
