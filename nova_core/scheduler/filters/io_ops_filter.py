"""IoOpsFilter: hosts with fewer than ``max_io_ops_per_host`` I/O-heavy ops.

``host_state.num_io_ops`` counts the host's instances that are building or
in an I/O-heavy task state (resize, migration, rebuild, snapshot, backup,
rescue, unshelve; ``host_state.IO_TASK_STATES``), plus the builds this
scheduler placed there since. The limit is ``[filter_scheduler]
max_io_ops_per_host``.
"""

from nova_core.scheduler import filters


class IoOpsFilter(filters.BaseHostFilter):
    """Hosts not too busy with I/O-heavy operations."""

    RUN_ON_REBUILD = False

    def max_io_ops(self, host_state, spec):
        """The limit that applies to *host_state*."""
        return self.conf.filter_scheduler.max_io_ops_per_host

    def host_passes(self, host_state, spec):
        return (getattr(host_state, 'num_io_ops', 0) or 0) < self.max_io_ops(
            host_state, spec)

    def why(self, host_state, spec):
        return '%d I/O-heavy operation(s) under way, max_io_ops_per_host ' \
               'is %d' % (getattr(host_state, 'num_io_ops', 0) or 0,
                          self.max_io_ops(host_state, spec))
