"""``nova-core-manage`` db, api_db and cell_v2 commands (cells v2 set-up).

Exit codes follow Nova's nova-manage documentation; each command's
docstring lists its own. Any unexpected error exits 255 (after the reason).
"""

import sys
import uuid

from nova_core import context as nc_context
from nova_core.db import cell_mapping
from nova_core.db import cells as cells_mod
from nova_core.db import compute_node
from nova_core.db import engine as db_engine
from nova_core.db import host_discovery
from nova_core.db import host_mapping
from nova_core.db import instance as instance_db
from nova_core.db import instance_mapping
from nova_core.db import migration
from nova_core import exception
from nova_core import rpc

CATEGORIES = ('db', 'api_db', 'cell_v2')
UNEXPECTED = 255


def _mask(url, verbose):
    """*url* with its password hidden unless *verbose*."""
    if verbose or not url:
        return url
    return db_engine.masked_url(url)


def _table(headers, rows):
    widths = [max(len(str(v)) for v in col) for col in zip(headers, *rows)]
    line = '+' + '+'.join('-' * (w + 2) for w in widths) + '+'
    fmt = '| ' + ' | '.join('%%-%ds' % w for w in widths) + ' |'
    out = [line, fmt % tuple(headers), line]
    out += [fmt % tuple(str(v) for v in row) for row in rows]
    out.append(line)
    return '\n'.join(out)


class _Commands:
    """The state one command needs: conf, context, the databases."""

    def __init__(self, conf):
        self.conf = conf
        self.args = conf.category
        self.cells = cells_mod.CellDatabases(conf)
        self.ctx = nc_context.get_admin_context(db=self.cells, config=conf)

    def arg(self, name, default=None):
        return getattr(self.args, name, default)

    def api_reader(self):
        migration.check_schema(self.cells.api, 'api')
        return self.cells.api.reader(self.ctx)

    def api_writer(self):
        migration.check_schema(self.cells.api, 'api')
        return self.cells.api.writer(self.ctx)

    def default_transport_url(self):
        rpc.register_opts(self.conf)
        return self.conf.transport_url

    def transport_url(self):
        """--transport-url, else [DEFAULT] transport_url; None (said why)
        if neither is set."""
        url = self.arg('cell_transport_url') or self.default_transport_url()
        if not url:
            print('Must specify --transport-url if [DEFAULT]/transport_url '
                  'is not set in the configuration file.')
        return url

    def default_database_connection(self):
        return self.conf.database.connection or self.cells.local.url


# -- db / api_db -------------------------------------------------------------

def db_sync(cmd):
    """Upgrade this cell's database and cell0's if mapped: 0 ok, 1 cell0
    cannot be accessed."""
    revision = migration.sync(cmd.cells.local, 'main')
    print('cell database at revision %s' % revision)
    try:
        api_ready = migration.version(cmd.cells.api) is not None
    except Exception:  # no API database configured or reachable
        api_ready = False
    if not api_ready:
        return 0
    with cmd.cells.api.reader(cmd.ctx) as conn:
        try:
            cell0 = cell_mapping.get_by_uuid(conn, cell_mapping.CELL0_UUID)
        except exception.CellMappingNotFound:
            return 0
    try:
        migration.sync(cmd.cells.cell_database(cell0), 'main')
    except Exception as exc:
        print('cell0 database could not be synced: %s' % exc)
        return 1
    print('cell0 database at revision %s' % revision)
    return 0


def db_version(cmd):
    print(migration.version(cmd.cells.local) or 'empty')
    return 0


def api_db_sync(cmd):
    print('API database at revision %s'
          % migration.sync(cmd.cells.api, 'api'))
    return 0


def api_db_version(cmd):
    print(migration.version(cmd.cells.api) or 'empty')
    return 0


# -- cell_v2 -----------------------------------------------------------------

def _map_cell0(cmd, database_connection=None):
    """The cell0 mapping, created if missing; (mapping, created)."""
    with cmd.api_writer() as conn:
        try:
            return cell_mapping.get_by_uuid(
                conn, cell_mapping.CELL0_UUID), False
        except exception.CellMappingNotFound:
            pass
        return cell_mapping.create(
            conn, cell_mapping.CELL0_UUID, cell_mapping.CELL0_NAME,
            'none:///', database_connection or cells_mod.cell0_url(
                cmd.conf)), True


def map_cell0(cmd):
    """Create the cell0 mapping: 0 created or already there."""
    _mapping, created = _map_cell0(cmd, cmd.arg('database_connection'))
    if not created:
        print('Cell0 is already setup')
    return 0


def _duplicate(conn, transport_url, database_connection, skip_uuid=None):
    return [m for m in cell_mapping.get_all(conn)
            if m['uuid'] != skip_uuid
            and m['transport_url'] == transport_url
            and m['database_connection'] == database_connection]


def create_cell(cmd):
    """0 created, 1 transport URL or database connection missing or
    invalid, 2 another cell has both the same."""
    transport_url = cmd.transport_url()
    if not transport_url:
        return 1
    connection = (cmd.arg('database_connection')
                  or cmd.conf.database.connection)
    if not connection:
        print('Must specify --database_connection if [database]/connection '
              'is not set in the configuration file.')
        return 1
    problem = _invalid_urls(transport_url, connection)
    if problem:
        print(problem)
        return 1
    with cmd.api_writer() as conn:
        if _duplicate(conn, transport_url, connection):
            print('The specified transport_url and database_connection '
                  'combination already exists for another cell mapping.')
            return 2
        mapping = cell_mapping.create(
            conn, str(uuid.uuid4()), cmd.arg('cell_name'), transport_url,
            connection,
            disabled=bool(cmd.arg('disabled')))
    if cmd.arg('verbose'):
        print(mapping['uuid'])
    return 0


def _invalid_urls(transport_url, database_connection):
    """Why the URLs cannot be used, or None."""
    if '://' not in transport_url:
        return 'Invalid transport URL %s' % _mask(transport_url, False)
    problem = db_engine.url_problem(database_connection)
    if problem:
        return 'Invalid database connection: %s' % problem
    return None


def _print_new_hosts(new, verbose):
    if verbose:
        for mapping in new:
            print('Mapped host %s to cell %s' % (mapping['host'],
                                                 mapping['cell_uuid']))
        if not new:
            print('No new hosts found to map')


def discover_hosts(cmd):
    """Map unmapped compute hosts: 0 ok, 1 with --strict when no new host
    was mapped, 2 another discovery raced on a host (run it again)."""
    migration.check_schema(cmd.cells.api, 'api')
    try:
        new = host_discovery.discover_hosts(
            cmd.ctx, cmd.cells, cell_uuid=cmd.arg('cell_uuid'),
            by_service=bool(cmd.arg('by_service')))
    except exception.CellMappingNotFound as exc:
        print(exc)
        return 1
    except exception.HostMappingExists as exc:
        print(exc)
        return 2
    _print_new_hosts(new, cmd.arg('verbose'))
    if cmd.arg('strict') and not new:
        return 1
    return 0


def list_cells(cmd):
    """List the cells (credentials hidden unless --verbose): 0."""
    verbose = cmd.arg('verbose')
    with cmd.api_reader() as conn:
        mappings = cell_mapping.get_all(conn)
    mappings.sort(key=lambda m: (m['name'] or '', m['uuid']))
    print(_table(
        ['Name', 'UUID', 'Transport URL', 'Database Connection', 'Disabled'],
        [[m['name'] or '', m['uuid'], _mask(m['transport_url'], verbose),
          _mask(m['database_connection'], verbose), m['disabled']]
         for m in mappings]))
    return 0


def list_hosts(cmd):
    """List host mappings (of --cell_uuid): 0 ok, 1 no such cell."""
    cell_uuid = cmd.arg('cell_uuid')
    with cmd.api_reader() as conn:
        if cell_uuid:
            try:
                cell_mapping.get_by_uuid(conn, cell_uuid)
            except exception.CellMappingNotFound:
                print('Cell with uuid %s was not found.' % cell_uuid)
                return 1
        hosts = host_mapping.get_all(conn, cell_uuid=cell_uuid)
    print(_table(['Cell Name', 'Cell UUID', 'Hostname'],
                 [[h['cell_name'] or '', h['cell_uuid'], h['host']]
                  for h in hosts]))
    return 0


def update_cell(cmd):
    """0 updated, 1 no such cell, 2 invalid URL, 3 another cell has the
    same transport URL and database connection, 4 --enable with
    --disable, 5 cell0 cannot be enabled or disabled."""
    cell_uuid = cmd.arg('cell_uuid')
    if cmd.arg('enable') and cmd.arg('disable'):
        print('Cell cannot be disabled and enabled at the same time.')
        return 4
    with cmd.api_writer() as conn:
        try:
            mapping = cell_mapping.get_by_uuid(conn, cell_uuid)
        except exception.CellMappingNotFound:
            print('Cell with uuid %s was not found.' % cell_uuid)
            return 1
        if (cmd.arg('enable') or cmd.arg('disable')) and \
                cell_mapping.is_cell0(mapping):
            print('Cell0 cannot be disabled or enabled.')
            return 5
        values = _update_values(cmd, mapping)
        transport_url = values.get('transport_url', mapping['transport_url'])
        connection = values.get('database_connection',
                                mapping['database_connection'])
        problem = (None if cell_mapping.is_cell0(mapping)
                   else _invalid_urls(transport_url, connection))
        if problem:
            print(problem)
            return 2
        if _duplicate(conn, transport_url, connection, skip_uuid=cell_uuid):
            print('The specified transport_url and database_connection '
                  'combination already exists for another cell mapping.')
            return 3
        cell_mapping.update(conn, cell_uuid, values)
    return 0


def _update_values(cmd, mapping):
    values = {}
    for name, arg in (('name', 'cell_name'),
                      ('transport_url', 'cell_transport_url'),
                      ('database_connection', 'database_connection')):
        if cmd.arg(arg):
            values[name] = cmd.arg(arg)
    if cmd.arg('enable'):
        values['disabled'] = False
    if cmd.arg('disable'):
        values['disabled'] = True
    return values


def delete_cell(cmd):
    """0 deleted, 1 no such cell, 2 hosts mapped to it (without --force),
    3 live instances in it, 4 instance mappings of deleted instances
    (without --force)."""
    cell_uuid = cmd.arg('cell_uuid')
    force = cmd.arg('force')
    with cmd.api_reader() as conn:
        try:
            mapping = cell_mapping.get_by_uuid(conn, cell_uuid)
        except exception.CellMappingNotFound:
            print('Cell with uuid %s was not found.' % cell_uuid)
            return 1
        hosts = host_mapping.get_all(conn, cell_uuid=cell_uuid)
        mappings = instance_mapping.get_by_cell(conn, cell_uuid)
    if hosts and not force:
        print('There are existing hosts mapped to cell with uuid %s.'
              % cell_uuid)
        return 2
    if mappings:
        with cells_mod.target_cell(cmd.ctx, mapping) as cctx:
            with cctx.db_connection.reader(cctx) as conn:
                live = instance_db.get_all(conn, {'uuid': [
                    m['instance_uuid'] for m in mappings]})
        if live:
            print('There are instances in cell with uuid %s.' % cell_uuid)
            return 3
        if not force:
            print('There are instance mappings to cell with uuid %s, but '
                  'all instances have been deleted in the cell.' % cell_uuid)
            return 4
    with cmd.api_writer() as conn:
        host_mapping.delete_by_cell(conn, cell_uuid)
        instance_mapping.delete_by_cell(conn, cell_uuid)
        cell_mapping.delete(conn, cell_uuid)
    _unmark_nodes(cmd, mapping, hosts)
    return 0


def _unmark_nodes(cmd, mapping, hosts):
    """Let the deleted cell's nodes be discovered again if it comes back."""
    if not hosts:
        return
    try:
        with cells_mod.target_cell(cmd.ctx, mapping) as cctx:
            with cctx.db_connection.writer(cctx) as conn:
                for node in compute_node.get_all(conn):
                    compute_node.update(conn, node['uuid'], {'mapped': False})
    except Exception as exc:  # the cell database may be gone for good
        print('Warning: compute nodes of the deleted cell were not '
              'unmarked: %s' % exc)


def simple_cell_setup(cmd):
    """Map cell0, create cell1 from the configuration, discover hosts:
    0 done (or already done), 1 transport URL missing or no compute host
    found to map."""
    transport_url = cmd.transport_url()
    if not transport_url:
        return 1
    with cmd.api_reader() as conn:
        existing = [m for m in cell_mapping.get_all(conn)
                    if not cell_mapping.is_cell0(m)]
    if existing:
        print('Already setup, nothing to do.')
        return 0
    _map_cell0(cmd)
    connection = cmd.default_database_connection()
    with cmd.api_writer() as conn:
        cell1 = cell_mapping.create(conn, str(uuid.uuid4()), 'cell1',
                                    transport_url, connection)
    migration.sync(cmd.cells.cell_database(cell1), 'main')
    new = host_discovery.discover_hosts(cmd.ctx, cmd.cells,
                                        cell_uuid=cell1['uuid'])
    if not new:
        print('No hosts found to map to cell, exiting.')
        return 1
    return 0


def verify_instance(cmd):
    """0 mapped to a cell, 1 not mapped, 2 mapping without a cell, 3 the
    instance is deleted but still mapped, 4 the instance is gone from its
    cell (archived) but still mapped."""
    instance_uuid = cmd.arg('uuid')
    quiet = cmd.arg('quiet')

    def say(text):
        if not quiet:
            print(text)

    with cmd.api_reader() as conn:
        try:
            mapping = instance_mapping.get_by_instance_uuid(conn,
                                                            instance_uuid)
        except exception.InstanceMappingNotFound:
            say('Instance %s is not mapped to a cell.' % instance_uuid)
            return 1
        if mapping['cell_uuid'] is None:
            say('Instance %s is not mapped to a cell (it is being built or '
                'was never scheduled).' % instance_uuid)
            return 2
        cell = cell_mapping.get_by_uuid(conn, mapping['cell_uuid'])
    with cells_mod.target_cell(cmd.ctx, cell) as cctx:
        with cctx.db_connection.reader(cctx) as conn:
            try:
                instance = instance_db.get_by_uuid(conn, instance_uuid,
                                                   include_deleted=True)
            except exception.InstanceNotFound:
                say('The instance %s has been archived but is still mapped '
                    'to cell %s.' % (instance_uuid, cell['uuid']))
                return 4
    if instance['deleted']:
        say('The instance %s is deleted but still mapped to cell %s.'
            % (instance_uuid, cell['uuid']))
        return 3
    say('Instance %s is in cell: %s (%s)' % (instance_uuid, cell['name'],
                                             cell['uuid']))
    return 0


COMMANDS = {
    ('db', 'sync'): db_sync, ('db', 'version'): db_version,
    ('api_db', 'sync'): api_db_sync, ('api_db', 'version'): api_db_version,
    ('cell_v2', 'map_cell0'): map_cell0,
    ('cell_v2', 'create_cell'): create_cell,
    ('cell_v2', 'discover_hosts'): discover_hosts,
    ('cell_v2', 'list_cells'): list_cells,
    ('cell_v2', 'list_hosts'): list_hosts,
    ('cell_v2', 'update_cell'): update_cell,
    ('cell_v2', 'delete_cell'): delete_cell,
    ('cell_v2', 'simple_cell_setup'): simple_cell_setup,
    ('cell_v2', 'verify_instance'): verify_instance,
}


def add_parsers(subparsers):
    """Add the db, api_db and cell_v2 categories to nova-core-manage."""
    for name, what in (('db', 'this cell\'s database (and cell0)'),
                       ('api_db', 'the API database')):
        parser = subparsers.add_parser(name, help='schema of %s' % what)
        sub = parser.add_subparsers(dest='action', required=True)
        sub.add_parser('sync', help='create or upgrade the schema')
        sub.add_parser('version', help='print the schema revision')
    cell_v2 = subparsers.add_parser('cell_v2', help='cells v2 set-up')
    sub = cell_v2.add_subparsers(dest='action', required=True)
    _add_cell_v2(sub)


def _add_cell_v2(sub):
    # --transport-url is stored as cell_transport_url: oslo.config refuses
    # a sub-command argument named like a registered option
    # ([DEFAULT] transport_url) with DuplicateOptError.
    parser = sub.add_parser('map_cell0', help='create the cell0 mapping')
    parser.add_argument('--database_connection')
    parser = sub.add_parser('create_cell', help='add a cell mapping')
    parser.add_argument('--name', dest='cell_name')
    parser.add_argument('--transport-url', dest='cell_transport_url')
    parser.add_argument('--database_connection')
    parser.add_argument('--disabled', action='store_true')
    parser.add_argument('--verbose', action='store_true')
    parser = sub.add_parser('discover_hosts', help='map new compute hosts')
    parser.add_argument('--cell_uuid')
    parser.add_argument('--verbose', action='store_true')
    parser.add_argument('--strict', action='store_true')
    parser.add_argument('--by-service', dest='by_service',
                        action='store_true')
    parser = sub.add_parser('list_cells', help='list the cell mappings')
    parser.add_argument('--verbose', action='store_true')
    parser = sub.add_parser('list_hosts', help='list the host mappings')
    parser.add_argument('--cell_uuid')
    parser = sub.add_parser('update_cell', help='change a cell mapping')
    parser.add_argument('--cell_uuid', required=True)
    parser.add_argument('--name', dest='cell_name')
    parser.add_argument('--transport-url', dest='cell_transport_url')
    parser.add_argument('--database_connection')
    parser.add_argument('--disable', action='store_true')
    parser.add_argument('--enable', action='store_true')
    parser = sub.add_parser('delete_cell', help='delete a cell mapping')
    parser.add_argument('--cell_uuid', required=True)
    parser.add_argument('--force', action='store_true')
    parser = sub.add_parser('simple_cell_setup',
                            help='cell0 + cell1 + host discovery')
    parser.add_argument('--transport-url', dest='cell_transport_url')
    parser = sub.add_parser('verify_instance',
                            help='check an instance\'s cell mapping')
    parser.add_argument('--uuid', required=True)
    parser.add_argument('--quiet', action='store_true')


def run(conf):
    """Run the db / api_db / cell_v2 command *conf* names; its exit code."""
    key = (conf.category.name, conf.category.action)
    cmd = _Commands(conf)
    try:
        return COMMANDS[key](cmd)
    except Exception as exc:  # an operator tool: say what failed
        print('nova-core-manage %s failed: %s' % (' '.join(key), exc),
              file=sys.stderr)
        return UNEXPECTED
    finally:
        cmd.cells.dispose()
