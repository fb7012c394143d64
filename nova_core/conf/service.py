"""[DEFAULT] options every nova_core service shares: who it is, how it reports."""

import socket

from oslo_config import cfg

from nova_core.conf import groups

service_opts = [
    cfg.StrOpt(
        'host',
        default=socket.gethostname(),
        sample_default='<current hostname>',
        help="""
The name this service is known by: the RPC server of a compute service
listens on topic ``compute.<host>``, and the service and compute node
records carry it.

Possible values:
    A name unique among the services of one binary in the deployment.
"""),
    cfg.IntOpt(
        'report_interval',
        default=10,
        min=1,
        help="""
Seconds between two heartbeats of a service (its ``services`` record).

Related options:
    ``service_down_time``: keep it several times larger than this.
"""),
    cfg.IntOpt(
        'service_down_time',
        default=60,
        min=1,
        help="""
Seconds since its last heartbeat after which a service counts as down: the
scheduler stops choosing a compute that is down.

Related options:
    ``report_interval``.
"""),
    cfg.IntOpt(
        'periodic_interval',
        default=60,
        min=1,
        help='Seconds between two runs of a service\'s periodic tasks.'),
    cfg.StrOpt(
        'default_availability_zone',
        default='nova',
        help="""
The availability zone of the compute hosts that no host aggregate with
``availability_zone`` metadata contains (os-availability-zone, os-services
and the scheduler's zone pre-filter show it).
"""),
    cfg.StrOpt(
        'internal_service_availability_zone',
        default='internal',
        help='The availability zone os-services shows for services other '
             'than nova-compute (conductor, scheduler).'),
    cfg.StrOpt(
        'my_ip',
        default='127.0.0.1',
        help='The IP address of this host, as other services should reach it.'),
]

upgrade_levels_group = cfg.OptGroup(
    'upgrade_levels', title='RPC version caps',
    help="""
Cap the RPC version a service sends to another, during a rolling upgrade:
set the cap to the version the oldest not-yet-upgraded service understands,
and the newer service talks down to it.""")

_LEVEL_HELP = """
Highest RPC version sent to the %s service.

Possible values:
    Unset (default): the newest this code knows; a version such as ``1.0``;
    ``auto``: the lowest version reported by the running %s services in
    the database this service can read (the newest when it reads none).
"""

upgrade_levels_opts = [
    cfg.StrOpt('compute', help=_LEVEL_HELP % ('compute', 'compute')),
    cfg.StrOpt('conductor', help=_LEVEL_HELP % ('conductor', 'conductor')),
    cfg.StrOpt('scheduler', help=_LEVEL_HELP % ('scheduler', 'scheduler')),
]


def register_opts(conf):
    conf.register_opts(service_opts)
    groups.register(conf, upgrade_levels_group, upgrade_levels_opts)


def list_opts():
    return [('DEFAULT', service_opts),
            (upgrade_levels_group, upgrade_levels_opts)]
