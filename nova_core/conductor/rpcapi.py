"""Client stub of the conductor: what the API, schedulers and computes send it.

Topic ``conductor``; version 1.0: schedule_and_build_instances (cast),
build_instances (cast), object_action (call). Messages go on
``ctx.mq_connection`` when the context is targeted at a cell, else on the
caller's own transport: a compute's is its cell's, so its object actions
reach its cell's conductor. ``[upgrade_levels] conductor`` caps versions.
"""

from nova_core import rpc

TOPIC = 'conductor'


class ConductorAPI(rpc.RPCAPIBase):
    """Casts and calls to the conductor; ``conf`` is the caller's."""

    TOPIC = TOPIC
    SERVICE_NAME = 'conductor'
    LATEST = '1.0'

    def schedule_and_build_instances(self, ctx, instance_uuids):
        """Cast: schedule and build servers the API left as build requests."""
        self.client(ctx).cast(ctx, 'schedule_and_build_instances',
                              instance_uuids=list(instance_uuids))

    def build_instances(self, ctx, instance, request_spec, host_list,
                        reason=None):
        """Cast from a compute whose build failed: try the next alternate."""
        self.client(ctx).cast(ctx, 'build_instances', instance=instance,
                              request_spec=request_spec,
                              host_list=list(host_list or []),
                              reason=reason)

    def object_action(self, ctx, objname, method, **kwargs):
        """Call: run a declared object operation on the cell database.

        Raises ObjectActionNotAllowed for anything the conductor does not
        declare (conductor/object_api.py).
        """
        return self.client(ctx).call(
            ctx, 'object_action', objname=objname, objmethod=method,
            kwargs=kwargs, caller_host=getattr(self.conf, 'host', None))
