"""[compute] and [DEFAULT] options of the compute service (Nova's names)."""

from oslo_config import cfg

from nova_core.conf import groups

compute_group = cfg.OptGroup(
    'compute', title='Compute service options',
    help='The compute service and the virt driver it runs.')

compute_opts = [
    cfg.StrOpt(
        'driver',
        default='fake',
        deprecated_opts=[cfg.DeprecatedOpt('compute_driver', group='DEFAULT')],
        help="""
The virt driver this compute service runs.

Possible values:
    The name of a plugin in the ``nova_core.virt.drivers`` namespace:
    ``fake`` (in-memory, default), ``libvirt``. Nova's
    ``[DEFAULT] compute_driver`` is read too; ``fake.FakeDriver`` and
    ``libvirt.LibvirtDriver`` are understood as ``fake`` and ``libvirt``.
"""),
    cfg.IntOpt(
        'resource_provider_association_refresh',
        default=300,
        min=0,
        help="""
Seconds after which the resource tracker re-reads its providers' traits and
aggregates from placement, to see changes made by others (0: never).
"""),
]

# Nova keeps these in [DEFAULT]; so do we.
default_opts = [
    cfg.FloatOpt('cpu_allocation_ratio', min=0.0,
                 help='VCPU allocation ratio set on the compute node '
                      'inventory; unset: ``initial_cpu_allocation_ratio`` '
                      'when the provider is created, then left as is.'),
    cfg.FloatOpt('ram_allocation_ratio', min=0.0,
                 help='MEMORY_MB allocation ratio (see cpu_allocation_ratio).'),
    cfg.FloatOpt('disk_allocation_ratio', min=0.0,
                 help='DISK_GB allocation ratio (see cpu_allocation_ratio).'),
    cfg.FloatOpt('initial_cpu_allocation_ratio', default=4.0, min=0.0,
                 help='VCPU allocation ratio of a new compute node provider.'),
    cfg.FloatOpt('initial_ram_allocation_ratio', default=1.0, min=0.0,
                 help='MEMORY_MB allocation ratio of a new provider.'),
    cfg.FloatOpt('initial_disk_allocation_ratio', default=1.0, min=0.0,
                 help='DISK_GB allocation ratio of a new provider.'),
    cfg.IntOpt('reserved_host_cpus', default=0, min=0,
               help='VCPUs reserved for the host (inventory ``reserved``).'),
    cfg.IntOpt('reserved_host_memory_mb', default=512, min=0,
               help='MEMORY_MB reserved for the host.'),
    cfg.IntOpt('reserved_host_disk_mb', default=0, min=0,
               help='Disk reserved for the host, in MB (rounded up to GB).'),
    cfg.IntOpt(
        'instance_build_timeout',
        default=0,
        min=0,
        help="""
Seconds an instance may stay in BUILD on a compute before it is set to ERROR
(with a fault) and its allocations are removed. 0 (default): no limit.
"""),
    cfg.IntOpt(
        'update_resources_interval',
        default=0,
        min=0,
        help="""
Seconds between two runs of the resource tracker's periodic update, which
reports the host's provider tree and inventories to placement.
0 (default): every ``periodic_interval``.
"""),
    cfg.IntOpt(
        'max_concurrent_builds',
        default=10,
        min=0,
        help='Builds a compute runs at the same time (0: no limit).'),
]


def register_opts(conf):
    groups.register(conf, compute_group, compute_opts)
    conf.register_opts(default_opts)


def list_opts():
    return [(compute_group, compute_opts), ('DEFAULT', default_opts)]
