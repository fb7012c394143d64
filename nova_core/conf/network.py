"""[network] options: where servers' addresses come from."""

from oslo_config import cfg

from nova_core.conf import groups

network_group = cfg.OptGroup(
    'network', title='Network backend options',
    help='The network plugin that hands out addresses to servers.')

network_opts = [
    cfg.StrOpt(
        'backend',
        default='local',
        help="""
The network plugin that gives servers their addresses.

Possible values:
    The name of a plugin in the ``nova_core.network`` namespace. ``local``
    (default) hands out fixed addresses from the ranges of ``networks``,
    recording them in the API database.

Related options:
    ``networks``
"""),
    cfg.MultiStrOpt(
        'networks',
        default=['name=private,cidr=10.0.0.0/24'],
        help="""
The networks of the ``local`` network plugin, one per occurrence of the
option. The first is the default network (a server created with
``networks: auto``, or without ``networks`` before microversion 2.37, gets
one address on it).

Possible values:
    Comma-separated ``key=value`` pairs: ``name`` (shown as the key of the
    server's ``addresses``), ``cidr`` (the range, e.g. ``10.0.0.0/24``),
    optionally ``uuid`` (what clients pass as ``networks: [{"uuid": ...}]``;
    default: derived from the name, the same on every host) and
    ``gateway`` (never handed out; default: the first address of the
    range). The network and broadcast addresses are never handed out
    either. Example::

        networks = name=private,cidr=10.0.0.0/24
        networks = name=storage,cidr=192.168.50.0/24,gateway=192.168.50.254

Related options:
    ``backend``
"""),
]


def register_opts(conf):
    groups.register(conf, network_group, network_opts)


def list_opts():
    return [(network_group, network_opts)]
