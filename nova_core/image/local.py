"""The ``local`` image plugin: a catalogue in the API database.

The embedded default, so that a deployment boots servers without Glance.
Images carry no data: they are registered (``nova-core-manage image
create``, ``POST /v2/images`` as an admin, or :func:`nova_core.image.
ensure_image`) with the metadata the API and the scheduler read.
"""

from nova_core.db import image as db_image
from nova_core import exception
from nova_core import image


class LocalImages(image.ImageBackend):
    """Images in the API database's ``images`` table."""

    def get(self, ctx, image_id):
        with self.database.reader(ctx) as conn:
            found = db_image.get(conn, image_id)
        if not image.visible(ctx, found):
            raise exception.ImageNotFound(image_id=image_id)
        return found

    def list(self, ctx):
        project = None if image.is_admin(ctx) else (ctx.project_id or '')
        with self.database.reader(ctx) as conn:
            return db_image.get_all(conn, project_id=project)

    def create(self, ctx, name, **fields):
        unknown = set(fields) - set(db_image.FIELDS) - {'id', 'properties'}
        if unknown:
            raise exception.Invalid('unknown image fields: %s'
                                    % ', '.join(sorted(unknown)))
        fields.setdefault('owner', ctx.project_id)
        if fields.get('visibility', 'public') not in image.VISIBILITIES:
            raise exception.Invalid('visibility must be one of %s'
                                    % ', '.join(image.VISIBILITIES))
        uuid = fields.pop('id', None)
        with self.database.writer(ctx) as conn:
            return db_image.create(conn, name, uuid=uuid, **fields)

    def delete(self, ctx, image_id):
        with self.database.writer(ctx) as conn:
            found = db_image.get(conn, image_id)
            if not image.visible(ctx, found):
                raise exception.ImageNotFound(image_id=image_id)
            if found['protected']:
                raise exception.ImageProtected(image_id=image_id)
            db_image.delete(conn, image_id)
