"""[filter_scheduler] options of IoOpsFilter and AggregateIoOpsFilter."""

from oslo_config import cfg

from nova_core.conf import filter_scheduler

io_ops_opts = [
    cfg.IntOpt(
        'max_io_ops_per_host',
        default=8,
        min=0,
        help="""
IoOpsFilter passes a host while it has fewer than this many I/O-heavy
operations under way (instances building, resizing, migrating, rebuilding,
snapshotting, backing up, rescuing or unshelving).

AggregateIoOpsFilter uses the aggregate metadata key of the same name
instead, and this value when no aggregate of the host sets a valid one.
"""),
]


def register_opts(conf):
    conf.register_opts(io_ops_opts,
                       group=filter_scheduler.filter_scheduler_group.name)


def list_opts():
    return [(filter_scheduler.filter_scheduler_group, io_ops_opts)]
