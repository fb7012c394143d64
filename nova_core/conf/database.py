"""[database] and [api_database] options: the cell and API databases.

The same options as ``[placement_database]`` (oslo.db's names, so that an
operator's nova.conf keeps working): ``[database]`` is the cell database a
conductor or scheduler of one cell uses (in Nova's words the "main"
database); ``[api_database]`` is the API database with the cell mappings.
A compute service registers neither group: it holds no database
credentials and reaches the database only through the conductor.
"""

import copy

from oslo_config import cfg

from nova_core.conf import groups
from nova_core.conf import placement_database

database_group = cfg.OptGroup(
    'database', title='Cell database options',
    help="""
The database of this service's cell (instances, compute nodes, services,
migrations). Unset on the embedded default: ``cell1.sqlite`` under
``[DEFAULT] state_path``. Compute services never read this group.""")

api_database_group = cfg.OptGroup(
    'api_database', title='API database options',
    help="""
The API database: cell and host mappings, build requests, request specs,
flavors, server groups, aggregates, quotas. Unset on the embedded default:
``nova_core_api.sqlite`` under ``[DEFAULT] state_path``.""")

_CONNECTION_HELP = """
SQLAlchemy URL of the %(what)s.

Possible values:
    ``mysql+pymysql://user:password@host/%(name)s?charset=utf8mb4``,
    ``postgresql+psycopg2://user:password@host/%(name)s``,
    ``sqlite:////path/to/%(name)s.sqlite``. Unset (default): the embedded
    default, a SQLite file ``%(file)s`` under ``[DEFAULT] state_path``.

Related options:
    ``[DEFAULT] state_path``; ``nova-core-manage %(sync)s``.
"""


def _opts(what, name, file_name, sync):
    """placement_database's option list, with this group's connection help."""
    opts = []
    for opt in placement_database.placement_db_opts:
        opt = copy.deepcopy(opt)
        if opt.name == 'connection':
            opt.help = _CONNECTION_HELP % {'what': what, 'name': name,
                                           'file': file_name, 'sync': sync}
        elif opt.name == 'sync_on_startup':
            opt.help = ('Create or upgrade the %s schema when the service '
                        'starts (always done on the embedded default).'
                        % what)
        opts.append(opt)
    return opts


DEFAULT_CELL_FILE = 'cell1.sqlite'
DEFAULT_API_FILE = 'nova_core_api.sqlite'

database_opts = _opts('cell database', 'nova_cell1', DEFAULT_CELL_FILE,
                      'db sync')
api_database_opts = _opts('API database', 'nova_api', DEFAULT_API_FILE,
                          'api_db sync')


def register_opts(conf):
    groups.register(conf, database_group, database_opts)
    groups.register(conf, api_database_group, api_database_opts)


def list_opts():
    return [(database_group, database_opts),
            (api_database_group, api_database_opts)]
