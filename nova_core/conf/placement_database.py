"""[placement_database] options: where placement keeps its data."""

from oslo_config import cfg

from nova_core.conf import groups

placement_db_group = cfg.OptGroup(
    'placement_database', title='Placement database options',
    help='The database of the placement service (oslo.db).')

placement_db_opts = [
    cfg.StrOpt(
        'connection',
        secret=True,
        help="""
SQLAlchemy URL of the placement database.

Possible values:
    ``mysql+pymysql://user:password@host/placement?charset=utf8mb4``,
    ``postgresql+psycopg2://user:password@host/placement``,
    ``sqlite:////path/to/placement.sqlite``. Unset (default): the embedded
    default, a SQLite file ``placement.sqlite`` under ``[DEFAULT] state_path``.

Related options:
    ``sync_on_startup``, ``[DEFAULT] state_path``.
"""),
    cfg.StrOpt(
        'connection_parameters',
        default='',
        help='Extra query parameters appended to ``connection``.'),
    cfg.BoolOpt(
        'sqlite_synchronous',
        default=True,
        help='Whether SQLite waits for data to reach the disk on commit.'),
    cfg.StrOpt(
        'slave_connection',
        secret=True,
        help='SQLAlchemy URL of a read replica (optional).'),
    cfg.StrOpt(
        'mysql_sql_mode',
        default='TRADITIONAL',
        help='SQL mode set on MySQL sessions; empty leaves the server default.'),
    cfg.IntOpt(
        'connection_recycle_time',
        default=3600,
        help='Seconds after which a pooled connection is replaced.'),
    cfg.IntOpt(
        'max_pool_size',
        default=5,
        help='Connections kept open in the pool (0: no limit).'),
    cfg.IntOpt(
        'max_retries',
        default=10,
        help='Connection attempts at start-up (-1: forever).'),
    cfg.IntOpt(
        'retry_interval',
        default=10,
        help='Seconds between connection attempts at start-up.'),
    cfg.IntOpt(
        'max_overflow',
        default=50,
        help='Connections allowed above ``max_pool_size`` under load.'),
    cfg.IntOpt(
        'connection_debug',
        default=0,
        min=0,
        max=100,
        help='SQL logging verbosity: 0 none, 50 statements, 100 everything.'),
    cfg.BoolOpt(
        'connection_trace',
        default=False,
        help='Add Python stack traces to SQL as comments.'),
    cfg.IntOpt(
        'pool_timeout',
        help='Seconds to wait for a pooled connection.'),
    cfg.BoolOpt(
        'sync_on_startup',
        default=False,
        help="""
Create or upgrade the database schema when the service starts.

Convenient for single-node deployments and the embedded default (which always
syncs its own SQLite file). Deployments with several API processes usually run
``nova-core-manage placement db sync`` once instead.

Possible values:
    True, False (default).

Related options:
    ``connection``.
"""),
]


def register_opts(conf):
    groups.register(conf, placement_db_group, placement_db_opts)


def list_opts():
    return [(placement_db_group, placement_db_opts)]
