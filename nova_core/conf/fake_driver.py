"""[fake_driver] options: capacity and failure injection of the fake virt driver."""

from oslo_config import cfg

from nova_core.conf import groups

fake_driver_group = cfg.OptGroup(
    'fake_driver', title='Fake virt driver options',
    help='The in-memory virt driver: what capacity it reports, when it fails.')

fake_driver_opts = [
    cfg.IntOpt('vcpus', default=16, min=0,
               help='VCPUs the fake host reports.'),
    cfg.IntOpt('memory_mb', default=32768, min=0,
               help='MEMORY_MB the fake host reports.'),
    cfg.IntOpt('local_gb', default=1024, min=0,
               help='DISK_GB the fake host reports.'),
    cfg.ListOpt(
        'fail_spawn_nth',
        item_type=cfg.types.Integer(min=1),
        default=[],
        help="""
Spawns that fail on this host, counted from 1 since the service started.

Possible values:
    A list of integers: ``1,3`` fails the first and the third spawn.

Related options:
    ``fail_on_hosts`` fails every spawn on the named hosts.
"""),
    cfg.ListOpt(
        'fail_on_hosts',
        default=[],
        help="""
Hosts (``[DEFAULT] host`` values) on which every spawn fails.

Possible values:
    A list of host names; empty (default): none.
"""),
    cfg.FloatOpt(
        'spawn_seconds',
        default=0.0,
        min=0.0,
        help="""
Seconds a spawn takes, so that a test can stop or kill a compute mid-build.
"""),
    cfg.IntOpt(
        'numa_children',
        default=0,
        min=0,
        help="""
Child providers (named ``<node>_NUMA<i>``) the host reports below its root
provider, holding VCPU and MEMORY_MB split evenly; DISK_GB stays on the
root. 0 (default): everything on the root provider.
"""),
    cfg.ListOpt(
        'traits',
        default=[],
        help="""
Traits of the node's root provider, standard (``HW_CPU_X86_AVX2``) or custom
(``CUSTOM_*``, created in placement when missing).
"""),
]


def register_opts(conf):
    groups.register(conf, fake_driver_group, fake_driver_opts)


def list_opts():
    return [(fake_driver_group, fake_driver_opts)]
