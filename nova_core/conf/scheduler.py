"""[scheduler] options: how the scheduler service picks hosts."""

from oslo_config import cfg

from nova_core.conf import groups

scheduler_group = cfg.OptGroup(
    'scheduler', title='Scheduler options',
    help='How the scheduler service chooses hosts (Nova\'s option names).')

scheduler_opts = [
    cfg.IntOpt(
        'max_attempts',
        default=3,
        min=1,
        help="""
How many hosts a build may be tried on: the chosen host plus
``max_attempts - 1`` alternates in the same cell, which the cell conductor
tries in turn when a build fails on a compute, without calling the
scheduler again.

Possible values:
    A positive integer (default 3). 1 disables rescheduling.
"""),
    cfg.IntOpt(
        'max_placement_results',
        default=1000,
        min=1,
        help="""
The ``limit`` of the ``GET /allocation_candidates`` query of one scheduling
request: how many candidates placement returns at most.
"""),
    cfg.IntOpt(
        'discover_hosts_in_cells_interval',
        default=-1,
        min=-1,
        help="""
Seconds between two runs of host discovery in the scheduler (what
``nova-core-manage cell_v2 discover_hosts`` does): new compute hosts of every
cell are mapped in the API database.

Possible values:
    -1 (default): never; a positive number of seconds.
"""),
    cfg.IntOpt(
        'workers',
        default=1,
        min=1,
        help='Threads of the scheduler serving RPC requests.'),
    cfg.IntOpt(
        'select_destinations_timeout',
        default=1800,
        min=1,
        help="""
Seconds a caller (the conductor) waits for the answer of
``select_destinations``: longer than ``rpc_response_timeout`` because one
call places every instance of a multi-create and claims each in placement.

Related options:
    ``[DEFAULT] rpc_response_timeout`` (every other call).
"""),
    cfg.IntOpt(
        'cell_timeout',
        default=60,
        min=1,
        help="""
Seconds to wait for one cell's database when reading every cell (host
states, listings); a cell that does not answer in time is reported as down
and left out, it never stalls the others.
"""),
]


def register_opts(conf):
    groups.register(conf, scheduler_group, scheduler_opts)


def list_opts():
    return [(scheduler_group, scheduler_opts)]
