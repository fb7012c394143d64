"""[placement] options: behaviour of the placement service."""

from oslo_config import cfg

from nova_core.conf import groups

placement_group = cfg.OptGroup(
    'placement', title='Placement service options',
    help='Options that change how the placement service answers.')

MISSING_CONSUMER_ID = '00000000-0000-0000-0000-000000000000'

placement_opts = [
    cfg.BoolOpt(
        'randomize_allocation_candidates',
        default=False,
        help="""
Shuffle allocation candidates before ``limit`` is applied.

When a ``GET /allocation_candidates`` request carries ``limit``, the answer is
otherwise the first candidates in a stable order, so that schedulers running
in parallel tend to pick the same hosts. With this option the candidates
returned are a random sample of all that fit, which spreads claims out.

Possible values:
    True, False (default).

Related options:
    ``max_allocation_candidates``.
"""),
    cfg.IntOpt(
        'max_allocation_candidates',
        default=-1,
        min=-1,
        help="""
Upper bound on the allocation candidates computed for one request.

Protects the service from queries whose combinatorics explode (wide provider
trees, many granular groups). When the bound is hit, the candidates returned
are the first ones found under ``allocation_candidates_generation_strategy``.

Possible values:
    -1 (default): no bound; a positive integer: the bound.

Related options:
    ``allocation_candidates_generation_strategy``, ``randomize_allocation_candidates``.
"""),
    cfg.StrOpt(
        'allocation_candidates_generation_strategy',
        default='depth-first',
        choices=[
            ('depth-first', 'Exhaust the combinations of one root provider '
                            'before moving to the next.'),
            ('breadth-first', 'Take candidates from every root provider in '
                              'turn, so that a bounded answer covers many '
                              'roots.'),
        ],
        help="""
Order in which candidates are generated when ``max_allocation_candidates``
cuts the answer short.

Possible values:
    depth-first (default), breadth-first.

Related options:
    ``max_allocation_candidates``.
"""),
    cfg.StrOpt(
        'incomplete_consumer_project_id',
        default=MISSING_CONSUMER_ID,
        help="""
Project id recorded for consumers whose allocations were written before
microversion 1.8 (which made project_id and user_id required).

Possible values:
    A project id; the default is the all-zero UUID.

Related options:
    ``incomplete_consumer_user_id``.
"""),
    cfg.StrOpt(
        'incomplete_consumer_user_id',
        default=MISSING_CONSUMER_ID,
        help="""
User id recorded for consumers whose allocations were written before
microversion 1.8.

Possible values:
    A user id; the default is the all-zero UUID.

Related options:
    ``incomplete_consumer_project_id``.
"""),
    cfg.IntOpt(
        'allocation_conflict_retry_count',
        default=10,
        min=0,
        help="""
How many times an allocation write is retried when a concurrent write to one
of the same resource providers changed its generation underneath it.

Allocation writes do not carry provider generations from the client, so such a
conflict is internal and is retried; when the retries run out the client gets
``409 placement.concurrent_update``. Consumer generation conflicts are never
retried: they are the client's to resolve.

Possible values:
    0 or a positive integer (default 10).
"""),
]


def register_opts(conf):
    groups.register(conf, placement_group, placement_opts)


def list_opts():
    return [(placement_group, placement_opts)]
