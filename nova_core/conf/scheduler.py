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
    cfg.BoolOpt(
        'query_placement_for_availability_zone',
        default=True,
        help="""
Turn the requested availability zone into a placement constraint before
the allocation candidates query: only providers in the host aggregates
whose ``availability_zone`` metadata names the zone are returned. For the
default zone (``[DEFAULT] default_availability_zone``, "nova"), which no
aggregate names, providers in the aggregates of other zones are excluded.

Possible values:
    True (default); False: placement is not asked to narrow by zone (use
    AvailabilityZoneFilter then).

Related options:
    Host aggregates must be mirrored as placement aggregates of the same
    uuid on the compute nodes' providers.
"""),
    cfg.BoolOpt(
        'query_placement_for_image_type_support',
        default=False,
        help="""
Ask placement only for compute nodes able to boot the image's disk format:
the request requires the trait ``COMPUTE_IMAGE_TYPE_<FORMAT>`` (from the
image's ``disk_format``, e.g. ``COMPUTE_IMAGE_TYPE_QCOW2``) on the root
provider. Volume-backed requests are not constrained.

Possible values:
    False (default); True, when every compute reports its image type traits.
"""),
    cfg.BoolOpt(
        'limit_tenants_to_placement_aggregate',
        default=False,
        help="""
Send a project's instances only to the host aggregates that name it in a
``filter_tenant_id`` metadata key (``filter_tenant_id``,
``filter_tenant_id2``... for several projects; a value may also be a
comma-separated list). A project no aggregate names may use any host,
unless ``placement_aggregate_required_for_tenants`` is set.

Possible values:
    False (default); True.

Related options:
    ``placement_aggregate_required_for_tenants``.
"""),
    cfg.BoolOpt(
        'placement_aggregate_required_for_tenants',
        default=False,
        help="""
With ``limit_tenants_to_placement_aggregate``, refuse to schedule the
instances of a project that no aggregate names (no valid host), instead of
letting it use any host.

Possible values:
    False (default); True.
"""),
    cfg.BoolOpt(
        'enable_isolated_aggregate_filtering',
        default=False,
        help="""
Keep requests away from host aggregates reserved for traits they do not
ask for: an aggregate with metadata ``trait:<NAME>=required`` only takes
requests whose flavor or image requires ``<NAME>``; others are sent
elsewhere (``member_of=!in:`` in the placement query).

Possible values:
    False (default); True.
"""),
    cfg.IntOpt(
        'host_state_full_refresh_interval',
        default=300,
        min=0,
        help="""
Seconds between two full reads of a cell's compute nodes, services and
instance summaries by the scheduler's host manager. Between them, each
request reads only the rows created, updated or deleted since the last
read (less ``host_state_refresh_margin``); the full read is the backstop
for a change a writer's clock or a slow commit hid from the incremental
reads.

Possible values:
    A number of seconds (default 300); 0: a full read on every request
    (the behaviour before the incremental cache).
"""),
    cfg.FloatOpt(
        'host_state_refresh_interval',
        default=1.0,
        min=0,
        help="""
Seconds the host manager uses a cell's cached compute nodes, services and
instance counts without reading the cell's database again; after that the
next request reads what changed. A compute node placement offers that the
cache does not know yet makes it read at once. Placement's figures
(capacity, usage) are fresh on every request whatever this value.

Possible values:
    A number of seconds (default 1.0); 0: read the changes on every
    request.

Related options:
    ``host_state_full_refresh_interval``, ``host_state_refresh_margin``.
"""),
    cfg.FloatOpt(
        'host_state_refresh_margin',
        default=5.0,
        min=0,
        help="""
Seconds before the start of its previous read (by the database's clock,
or the newest timestamp seen in the table if later) that the host
manager's next incremental read goes back to: rows written meanwhile with
an older timestamp (clocks of the writing hosts a little behind the
database's, or a transaction committed late, or a database storing whole
seconds) are still seen. Rows changed within this window are read again
(their change marks only) by the next reads.

Related options:
    ``host_state_full_refresh_interval``.
"""),
]


def register_opts(conf):
    groups.register(conf, scheduler_group, scheduler_opts)


def list_opts():
    return [(scheduler_group, scheduler_opts)]
