"""[conductor] options: the conductor service."""

from oslo_config import cfg

from nova_core.conf import groups

conductor_group = cfg.OptGroup(
    'conductor', title='Conductor options',
    help='The conductor: builds, reschedules, and the object proxy of computes.')

conductor_opts = [
    cfg.IntOpt(
        'workers',
        default=4,
        min=1,
        help='Threads of the conductor serving RPC requests.'),
    cfg.IntOpt(
        'build_stuck_timeout',
        default=1800,
        min=0,
        help="""
Seconds without progress after which the conductor's build watchdog gives up
on a server still building, and the age after which a build request that was
never scheduled (its cast was lost) is buried in cell0.

The watchdog always fails builds whose compute service is down (no heartbeat
for ``service_down_time``), whatever this value. This timeout catches the
remaining cases: a lost RPC message, a compute that stays up but never
answers. "Progress" is the instance's last update (the compute updates the
task state as the build moves on), so a long spawn that reports progress is
not cut short. Set it well above the longest image download plus spawn of
your deployment; 0 turns the age check off (down computes are still
handled). The compute's own ``instance_build_timeout`` is the compute-side
counterpart.
"""),
    cfg.IntOpt(
        'build_watchdog_interval',
        default=60,
        min=0,
        help="""
Seconds between two runs of the build watchdog (stuck BUILD instances and
lost build requests). 0 disables the watchdog.
"""),
]


def register_opts(conf):
    groups.register(conf, conductor_group, conductor_opts)


def list_opts():
    return [(conductor_group, conductor_opts)]
