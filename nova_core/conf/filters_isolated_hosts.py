"""[filter_scheduler] options of IsolatedHostsFilter."""

from oslo_config import cfg

from nova_core.conf import filter_scheduler

isolated_hosts_opts = [
    cfg.ListOpt(
        'isolated_images',
        default=[],
        help="""
Image ids that may only run on ``isolated_hosts`` (IsolatedHostsFilter).
"""),
    cfg.ListOpt(
        'isolated_hosts',
        default=[],
        help="""
Host names reserved for ``isolated_images`` (IsolatedHostsFilter).
"""),
    cfg.BoolOpt(
        'restrict_isolated_hosts_to_isolated_images',
        default=True,
        help="""
When true, the isolated hosts take only the isolated images; when false,
they take other images too (the isolated images still run only there).
"""),
]


def register_opts(conf):
    conf.register_opts(isolated_hosts_opts,
                       group=filter_scheduler.filter_scheduler_group.name)


def list_opts():
    return [(filter_scheduler.filter_scheduler_group, isolated_hosts_opts)]
