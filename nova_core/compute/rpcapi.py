"""ComputeAPI: the client stub of the compute service (topic ``compute``, server = host).

Versions:

- 1.0: build_and_run_instance, terminate_instance, start_instance,
  stop_instance, reboot_instance.
- 1.1: stop_instance takes ``clean_shutdown_timeout``; a client capped at
  1.0 (``[upgrade_levels] compute = 1.0``) drops it, so that a newer
  conductor or API keeps talking to an older compute.
- 1.2: set_host_enabled: the API tells a compute its service was enabled
  or disabled, so that COMPUTE_STATUS_DISABLED follows at once.

Messages go to the compute's cell: on ``ctx.mq_connection`` when the
context is targeted at a cell, else on the service's own transport.
"""

from nova_core import rpc

TOPIC = 'compute'


class ComputeAPI(rpc.RPCAPIBase):
    """Casts to one compute host; instances are plain dicts."""

    TOPIC = TOPIC
    SERVICE_NAME = 'compute'
    LATEST = '1.2'

    def build_and_run_instance(self, ctx, instance, host, request_spec,
                               node=None, limits=None, host_list=None,
                               allocations=None):
        """Build *instance* on *host*; *host_list*: alternates left."""
        self.client(ctx, server=host).cast(
            ctx, 'build_and_run_instance', instance=instance,
            request_spec=request_spec, host_list=list(host_list or []),
            node=node, limits=limits or {}, allocations=allocations)

    def terminate_instance(self, ctx, instance, host=None):
        self.client(ctx, server=host or instance['host']).cast(
            ctx, 'terminate_instance', instance=instance)

    def start_instance(self, ctx, instance, host=None):
        self.client(ctx, server=host or instance['host']).cast(
            ctx, 'start_instance', instance=instance)

    def stop_instance(self, ctx, instance, host=None,
                      clean_shutdown_timeout=None):
        """Power off; the timeout needs 1.1 and is dropped below it."""
        kwargs = {'instance': instance}
        version = '1.0'
        if self.can_send_version('1.1'):
            version = '1.1'
            kwargs['clean_shutdown_timeout'] = clean_shutdown_timeout
        self.client(ctx, server=host or instance['host'],
                    version=version).cast(ctx, 'stop_instance', **kwargs)

    def set_host_enabled(self, ctx, host, enabled):
        """Cast: *host*'s service was enabled / disabled (1.2; a compute
        capped below it is told nothing and catches up at its next
        resource update). True if sent."""
        if not self.can_send_version('1.2'):
            return False
        self.client(ctx, server=host, version='1.2').cast(
            ctx, 'set_host_enabled', enabled=enabled)
        return True

    def reboot_instance(self, ctx, instance, reboot_type='SOFT', host=None):
        self.client(ctx, server=host or instance['host']).cast(
            ctx, 'reboot_instance', instance=instance,
            reboot_type=reboot_type)
