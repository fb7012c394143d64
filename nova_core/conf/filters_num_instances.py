"""[filter_scheduler] options of NumInstancesFilter and its aggregate twin."""

from oslo_config import cfg

from nova_core.conf import filter_scheduler

num_instances_opts = [
    cfg.IntOpt(
        'max_instances_per_host',
        default=50,
        min=1,
        help="""
NumInstancesFilter passes a host while it holds fewer instances than this.

AggregateNumInstancesFilter uses the aggregate metadata key of the same
name instead, and this value when no aggregate of the host sets a valid one.
"""),
]


def register_opts(conf):
    conf.register_opts(num_instances_opts,
                       group=filter_scheduler.filter_scheduler_group.name)


def list_opts():
    return [(filter_scheduler.filter_scheduler_group, num_instances_opts)]
