"""[filter_scheduler] options: which filters and weighers run, and how."""

from oslo_config import cfg

from nova_core.conf import groups

filter_scheduler_group = cfg.OptGroup(
    'filter_scheduler', title='Filter scheduler options',
    help="""
Filters and weighers are plugins (entry point namespaces
``nova_core.scheduler.filters`` and ``nova_core.scheduler.weighers``),
selected by name; the names and options are Nova's, so that a nova.conf
section keeps working.

Every ``*_weight_multiplier`` option can be overridden per host aggregate:
aggregate metadata with the option's name as key (``ram_weight_multiplier
= -1.0``) sets the multiplier of the aggregate's hosts; a host in several
such aggregates takes the smallest value.""")

filter_scheduler_opts = [
    cfg.ListOpt(
        'enabled_filters',
        default=['ComputeFilter', 'ComputeCapabilitiesFilter',
                 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter',
                 'ServerGroupAffinityFilter'],
        help="""
Filters run, in this order, on the hosts placement offered.

Possible values:
    Names of plugins in the ``nova_core.scheduler.filters`` namespace. An
    unknown name stops the scheduler at start with a message naming it.
"""),
    cfg.MultiStrOpt(
        'available_filters',
        default=['nova.scheduler.filters.all_filters'],
        help="""
Accepted for nova.conf compatibility: every installed filter plugin is
available; ``enabled_filters`` selects among them.
"""),
    cfg.ListOpt(
        'weighers',
        default=['RAMWeigher', 'CPUWeigher', 'DiskWeigher'],
        help="""
Weighers that rank the hosts that passed the filters.

Possible values:
    Names of plugins in the ``nova_core.scheduler.weighers`` namespace.

Related options:
    ``weight_classes``, ``*_weight_multiplier``.
"""),
    cfg.ListOpt(
        'weight_classes',
        default=[],
        help="""
Nova's way of choosing weighers, accepted for nova.conf compatibility:
``nova.scheduler.weights.all_weighers`` means every installed weigher; a
dotted class name ``nova.scheduler.weights.ram.RAMWeigher`` means the plugin
named by its last part. When set, it replaces ``weighers``.
"""),
    cfg.IntOpt(
        'host_subset_size',
        default=1,
        min=1,
        help="""
The chosen host is picked at random among the best ``host_subset_size``
hosts, so that parallel schedulers spread their choices.
"""),
    cfg.BoolOpt(
        'shuffle_best_same_weighed_hosts',
        default=False,
        help='Shuffle the hosts that share the best weight before choosing.'),
    cfg.FloatOpt(
        'ram_weight_multiplier',
        default=1.0,
        help="""
Multiplier of the RAM weigher: positive spreads instances over hosts with
the most free RAM, negative stacks them.
"""),
    cfg.FloatOpt(
        'cpu_weight_multiplier',
        default=1.0,
        help="""
Multiplier of the CPU weigher: positive spreads instances over hosts with
the most free vCPUs, negative stacks them.
"""),
    cfg.FloatOpt(
        'disk_weight_multiplier',
        default=1.0,
        help="""
Multiplier of the disk weigher: positive spreads instances over hosts with
the most free disk, negative stacks them.
"""),
    cfg.FloatOpt(
        'io_ops_weight_multiplier',
        default=-1.0,
        help="""
Multiplier of IoOpsWeigher, which weighs hosts by their number of
I/O-heavy operations in progress (builds, resizes, snapshots...).

Possible values:
    Negative (default -1.0): prefer lightly loaded hosts; positive: prefer
    busy hosts; 0: ignore.

Related options:
    A host aggregate's ``io_ops_weight_multiplier`` metadata overrides it
    for its hosts.
"""),
    cfg.FloatOpt(
        'num_instances_weight_multiplier',
        default=0.0,
        help="""
Multiplier of NumInstancesWeigher, which weighs hosts by how many instances
they run.

Possible values:
    0.0 (default): ignore; positive: pack onto hosts with many instances;
    negative: spread onto hosts with few.
"""),
    cfg.FloatOpt(
        'hypervisor_version_weight_multiplier',
        default=1.0,
        help="""
Multiplier of HypervisorVersionWeigher, which weighs hosts by their
hypervisor version.

Possible values:
    Positive (default 1.0): prefer newer hypervisors; negative: prefer
    older ones; 0: ignore.
"""),
    cfg.FloatOpt(
        'build_failure_weight_multiplier',
        default=1000000.0,
        help="""
Multiplier of BuildFailureWeigher, which pushes back hosts whose recent
builds failed (the compute's ``failed_builds`` count, reset by a successful
build).

Possible values:
    A large positive number (default 1000000.0) so that a failing host loses
    against every other weigher's preference; 0 disables the weigher.
"""),
    cfg.FloatOpt(
        'cross_cell_move_weight_multiplier',
        default=1000000.0,
        help="""
Multiplier of CrossCellWeigher, which, for a move allowed to cross cells,
prefers hosts in the cell the instance lives in now.

Possible values:
    Positive (default 1000000.0): stay in the source cell when possible;
    negative: prefer other cells; 0: ignore.
"""),
    cfg.FloatOpt(
        'image_props_weight_multiplier',
        default=0.0,
        help="""
Multiplier of ImagePropertiesWeigher, which weighs hosts by how many of
their instances were booted from images whose properties equal those of the
requested image.

Possible values:
    0.0 (default): ignore; positive: pack instances of alike images (say,
    one guest OS per host, for licensing); negative: spread them.

Related options:
    ``image_props_weight_setting``.
"""),
    cfg.ListOpt(
        'image_props_weight_setting',
        default=[],
        help="""
Which image properties ImagePropertiesWeigher compares, and how much each
match counts, as ``name=weight`` pairs, e.g.
``os_distro=10,hw_machine_type=1``.

Possible values:
    Empty (default): every property of the requested image counts 1; or a
    list of pairs, in which case only the listed properties count.
    Malformed pairs are ignored with a warning.
"""),
    cfg.StrOpt(
        'image_properties_default_architecture',
        help="""
The architecture ImagePropertiesFilter assumes for an image that sets none
(``hw_architecture``), so that such images go only to hosts of that
architecture.

Possible values:
    Unset (default): an image without architecture runs anywhere; or an
    architecture name such as ``x86_64`` or ``aarch64``.
"""),
    cfg.FloatOpt(
        'soft_affinity_weight_multiplier',
        default=1.0,
        min=0.0,
        help='Multiplier of the soft-affinity server group weigher.'),
    cfg.FloatOpt(
        'soft_anti_affinity_weight_multiplier',
        default=1.0,
        min=0.0,
        help='Multiplier of the soft-anti-affinity server group weigher.'),
]


def register_opts(conf):
    groups.register(conf, filter_scheduler_group, filter_scheduler_opts)


def list_opts():
    return [(filter_scheduler_group, filter_scheduler_opts)]
