"""``nova-core-manage``: operators' command line for nova_core databases.

    nova-core-manage [--config-file FILE] [--state-dir DIR] placement db sync
    nova-core-manage [--config-file FILE] [--state-dir DIR] placement db version
    nova-core-manage ... db sync|version, api_db sync|version
    nova-core-manage ... cell_v2 map_cell0|create_cell|discover_hosts|...
    nova-core-manage ... image create|list|delete (``manage_images``)

Exit codes of placement: 0 success, 1 the command failed (the reason is
printed), 2 bad usage. The db, api_db and cell_v2 commands
(``manage_cells``) use Nova's documented codes, 255 for an unexpected error.
"""

import sys

from oslo_config import cfg

from nova_core.cmd import config
from nova_core.cmd import manage_cells
from nova_core.cmd import manage_images
from nova_core.placement.db import api as placement_db_api
from nova_core.placement.db import migration as placement_migration
from nova_core.placement import deploy as placement_deploy


def _placement_db_sync(conf):
    database = placement_db_api.PlacementDatabase(conf)
    conf.set_override('sync_on_startup', True, group='placement_database')
    placement_deploy.prepare_database(conf, database)
    with database.engine.connect() as conn:
        print('placement database at revision %s'
              % placement_migration.current_revision(conn))
    return 0


def _placement_db_version(conf):
    database = placement_db_api.PlacementDatabase(conf)
    with database.engine.connect() as conn:
        print(placement_migration.current_revision(conn) or 'empty')
    return 0


COMMANDS = {
    ('placement', 'db', 'sync'): _placement_db_sync,
    ('placement', 'db', 'version'): _placement_db_version,
}


def _add_commands(subparsers):
    placement = subparsers.add_parser('placement', help='placement service')
    placement_sub = placement.add_subparsers(dest='group', required=True)
    db = placement_sub.add_parser('db', help='placement database schema')
    db_sub = db.add_subparsers(dest='action', required=True)
    db_sub.add_parser('sync', help='create or upgrade the schema, and add '
                      'the standard resource classes and traits')
    db_sub.add_parser('version', help='print the schema revision')
    manage_cells.add_parsers(subparsers)
    manage_images.add_parsers(subparsers)


category_opt = cfg.SubCommandOpt('category', title='commands',
                                 handler=_add_commands)


def main(argv=None):
    try:
        conf = config.load(sys.argv[1:] if argv is None else argv,
                           [category_opt],
                           description='Manage nova_core databases.')
    except cfg.Error as exc:
        print('nova-core-manage: %s' % exc, file=sys.stderr)
        return 2
    if conf.category.name in manage_cells.CATEGORIES:
        try:
            config.validate(conf)
        except Exception as exc:
            print('nova-core-manage: %s' % exc, file=sys.stderr)
            return manage_cells.UNEXPECTED
        return manage_cells.run(conf)
    if conf.category.name == manage_images.CATEGORY:
        try:
            config.validate(conf)
        except Exception as exc:
            print('nova-core-manage: %s' % exc, file=sys.stderr)
            return 1
        return manage_images.run(conf)
    key = (conf.category.name, conf.category.group, conf.category.action)
    try:
        config.validate(conf)
        return COMMANDS[key](conf)
    except Exception as exc:  # an operator tool: say what failed, exit 1
        print('nova-core-manage %s failed: %s' % (' '.join(key), exc),
              file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
