"""The image plugin contract: where servers' images are looked up.

A plugin (entry point namespace ``nova_core.image``, selected by
``[image] backend``) is a subclass of :class:`ImageBackend`, built with
``(conf, database)``: the configuration and the API database (the
embedded ``local`` plugin keeps its catalogue there; a plugin talking to
Glance would ignore it). Images are plain dicts::

    {'id', 'name', 'status', 'visibility', 'owner', 'protected',
     'min_ram', 'min_disk', 'disk_format', 'container_format', 'size',
     'checksum', 'created_at', 'updated_at', 'properties': {...}}

``properties`` holds everything else (``hw_architecture``,
``img_hv_type``...): what the scheduler's image filters read.

For the all-in-one and operators' scripts::

    images = nova_core.image.load(conf, cells.api)
    nova_core.image.ensure_image(ctx, images, 'cirros', min_ram=64)
"""

from nova_core import exception
from nova_core import loading

# Glance's visibilities.
VISIBILITIES = ('public', 'private', 'shared', 'community')


def is_admin(ctx):
    """Whether *ctx* sees every image (Glance's default ``role:admin``)."""
    return bool(ctx.is_admin or 'admin' in (ctx.roles or ()))


def visible(ctx, image):
    """Whether *ctx* may see *image*, by Glance's visibility rules: public
    and community images are everybody's, shared and private ones their
    owner's (there are no image members here), admins see all."""
    if is_admin(ctx) or image['visibility'] in ('public', 'community'):
        return True
    return image.get('owner') is not None and \
        image.get('owner') == ctx.project_id


class ImageBackend:
    """Images as the compute API and the image API see them.

    :param conf: the service's configuration.
    :param database: the API database (``nova_core.db.engine.Database``).
    """

    def __init__(self, conf, database):
        self.conf = conf
        self.database = database

    def get(self, ctx, image_id):
        """The image *image_id* if *ctx* may see it; ImageNotFound."""
        raise NotImplementedError()

    def list(self, ctx):
        """The images *ctx* may see, oldest first (the caller filters,
        sorts and pages)."""
        raise NotImplementedError()

    def create(self, ctx, name, **fields):
        """Register an image (metadata only; no data is uploaded).

        *fields*: any of ``id``, ``status`` (default ``active``),
        ``visibility`` (``public``), ``owner`` (the caller's project),
        ``container_format``, ``disk_format``, ``min_ram``, ``min_disk``,
        ``size``, ``checksum``, ``protected``, ``properties``.
        ImageExists if the id is taken.
        """
        raise NotImplementedError()

    def delete(self, ctx, image_id):
        """Remove an image; ImageNotFound, ImageProtected."""
        raise NotImplementedError()


def load(conf, database, extensions=None):
    """The ``[image] backend`` plugin, built for *conf* and *database*."""
    return loading.load_image_backend(conf.image.backend, ImageBackend,
                                      conf, database, extensions=extensions)


def ensure_image(ctx, images, name, **fields):
    """The visible image named *name*, registered with *fields* first if
    there is none (seeding a fresh deployment: safe to call on every
    start)."""
    for image in images.list(ctx):
        if image.get('name') == name:
            return image
    return images.create(ctx, name, **fields)


def check_fits(image, flavor):
    """Raise unless *flavor* is big enough for *image*, as Nova checks a
    boot request: memory against ``min_ram``; a flavor with a root disk
    against the image's size and ``min_disk`` (a flavor with no root disk
    boots from whatever the image needs)."""
    if int(image.get('min_ram') or 0) > int(flavor.get('memory_mb') or 0):
        raise exception.FlavorMemoryTooSmall()
    root_gb = int(flavor.get('root_gb') or 0)
    if not root_gb:
        return
    gib = 1024 ** 3
    if int(image.get('size') or 0) > root_gb * gib:
        raise exception.FlavorDiskSmallerThanImage(
            flavor_size=root_gb * gib, image_size=int(image['size']))
    if int(image.get('min_disk') or 0) > root_gb:
        raise exception.FlavorDiskSmallerThanMinDisk(
            flavor_size=root_gb * gib,
            image_min_disk=int(image['min_disk']) * gib)
