"""[filter_scheduler] options: which filters and weighers run, and how."""

from oslo_config import cfg

from nova_core.conf import groups

filter_scheduler_group = cfg.OptGroup(
    'filter_scheduler', title='Filter scheduler options',
    help="""
Filters and weighers are plugins (entry point namespaces
``nova_core.scheduler.filters`` and ``nova_core.scheduler.weighers``),
selected by name; the names and options are Nova's, so that a nova.conf
section keeps working.""")

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
        help='Multiplier of the CPU weigher (positive spreads, negative stacks).'),
    cfg.FloatOpt(
        'disk_weight_multiplier',
        default=1.0,
        help='Multiplier of the disk weigher (positive spreads, negative stacks).'),
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
