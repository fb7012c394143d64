"""``nova-core-manage image``: the local image catalogue without SQL.

    nova-core-manage image create --name cirros [--id UUID]
        [--property hw_architecture=x86_64 ...] [--min-ram MB] [--min-disk GB]
        [--disk-format qcow2] [--container-format bare] [--size BYTES]
        [--public | --private | --shared | --community] [--owner PROJECT]
        [--protected]
    nova-core-manage image list
    nova-core-manage image delete IMAGE     (an id, or a unique name)

Images are registered through the ``[image] backend`` plugin, so the
command works for any plugin that can create images. Exit codes: 0
success, 1 the command failed (the reason is printed), 2 bad usage.
"""

import sys

from oslo_utils import uuidutils

from nova_core import context as nc_context
from nova_core.db import cells as cells_mod
from nova_core.db import migration
from nova_core import exception
from nova_core import image

CATEGORY = 'image'
_COLUMNS = ('id', 'name', 'status', 'visibility', 'min_ram', 'min_disk',
            'disk_format')


def add_parsers(subparsers):
    """Add the ``image`` category to nova-core-manage."""
    parser = subparsers.add_parser(CATEGORY, help='the image catalogue')
    sub = parser.add_subparsers(dest='action', required=True)
    create = sub.add_parser('create', help='register an image (metadata '
                            'only: it is active at once)')
    create.add_argument('--name', dest='image_name', required=True)
    create.add_argument('--id', dest='image_id')
    create.add_argument('--property', dest='image_properties',
                        action='append', default=[], metavar='KEY=VALUE')
    create.add_argument('--min-ram', dest='min_ram', type=int, default=0)
    create.add_argument('--min-disk', dest='min_disk', type=int, default=0)
    create.add_argument('--size', dest='image_size', type=int)
    create.add_argument('--disk-format', dest='disk_format',
                        default='qcow2')
    create.add_argument('--container-format', dest='container_format',
                        default='bare')
    create.add_argument('--owner', dest='image_owner')
    create.add_argument('--protected', dest='image_protected',
                        action='store_true')
    visibility = create.add_mutually_exclusive_group()
    for name in image.VISIBILITIES:
        visibility.add_argument('--' + name, dest='image_visibility',
                                action='store_const', const=name)
    sub.add_parser('list', help='list every image')
    delete = sub.add_parser('delete', help='delete an image')
    delete.add_argument('image_ref', metavar='IMAGE', help='id or name')


def _properties(pairs):
    properties = {}
    for pair in pairs:
        key, sep, value = pair.partition('=')
        if not sep or not key.strip():
            raise exception.Invalid('--property needs KEY=VALUE, not %r'
                                    % pair)
        properties[key.strip()] = value
    return properties


def _create(ctx, images, args):
    for name in ('min_ram', 'min_disk', 'image_size'):
        if (getattr(args, name) or 0) < 0:
            raise exception.Invalid('%s must not be negative' % name)
    fields = dict(
        properties=_properties(args.image_properties),
        min_ram=args.min_ram, min_disk=args.min_disk, size=args.image_size,
        disk_format=args.disk_format, container_format=args.container_format,
        visibility=args.image_visibility or 'public',
        owner=args.image_owner, protected=args.image_protected)
    if args.image_id:
        if not uuidutils.is_uuid_like(args.image_id):
            raise exception.Invalid('--id %s is not a uuid' % args.image_id)
        fields['id'] = args.image_id
    made = images.create(ctx, args.image_name, **fields)
    print(made['id'])


def _list(ctx, images, args):
    rows = [[img.get(col) for col in _COLUMNS] for img in images.list(ctx)]
    widths = [max(len(str(v)) for v in col) for col in zip(_COLUMNS, *rows)]
    fmt = '  '.join('%%-%ds' % w for w in widths)
    print(fmt % _COLUMNS)
    for row in rows:
        print(fmt % tuple('' if v is None else v for v in row))


def _delete(ctx, images, args):
    ref = args.image_ref
    matches = [img for img in images.list(ctx)
               if ref in (img['id'], img.get('name'))]
    ids = {img['id'] for img in matches}
    if len(ids) > 1:
        raise exception.Invalid('more than one image is named %s; give '
                                'its id' % ref)
    if not ids:
        raise exception.ImageNotFound(image_id=ref)
    images.delete(ctx, ids.pop())


_ACTIONS = {'create': _create, 'list': _list, 'delete': _delete}


def run(conf):
    """Run the ``image`` command *conf* names; its exit code."""
    action = conf.category.action
    cells = cells_mod.CellDatabases(conf)
    try:
        migration.check_schema(cells.api, 'api')
        ctx = nc_context.get_admin_context(db=cells, config=conf)
        _ACTIONS[action](ctx, image.load(conf, cells.api), conf.category)
        return 0
    except Exception as exc:  # an operator tool: say what failed
        print('nova-core-manage image %s failed: %s' % (action, exc),
              file=sys.stderr)
        return 1
    finally:
        cells.dispose()
