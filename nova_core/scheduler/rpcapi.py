"""The scheduler's client stub: how the conductor asks for destinations.

The scheduler listens on the API-level transport (``[DEFAULT]
transport_url`` of the super-conductor and API), never on a cell's: this
stub therefore always sends on its own transport and ignores a context's
cell targeting (``ctx.mq_connection``), so that a conductor working inside
a cell still reaches the one scheduler.

Versions: 1.0 select_destinations(request_spec, instance_uuids,
return_alternates); 1.1 explain(request_spec), a dry run; 1.2
update_aggregates(), a fanout cast.
"""

from nova_core import rpc

TOPIC = 'scheduler'


class SchedulerAPI(rpc.RPCAPIBase):
    """``SchedulerAPI(conf).select_destinations(ctx, spec, uuids)``."""

    TOPIC = TOPIC
    SERVICE_NAME = 'scheduler'
    LATEST = '1.2'

    def client(self, ctxt, server=None, version='1.0', timeout=None):
        # Not rpc.client_for: a cell-targeted ctxt must not redirect us.
        return rpc.get_client(
            self.conf, {'topic': self.TOPIC, 'server': server,
                        'version': version},
            version_cap=self.version_cap,
            timeout=timeout or self._timeout,
            transport=self._transport or rpc.get_transport(self.conf))

    def select_destinations(self, ctxt, request_spec, instance_uuids,
                            return_alternates=True):
        """Per instance ``[selection, alternates...]``; NoValidHost if none.

        A call with ``[scheduler] select_destinations_timeout``: placing a
        large multi-create takes longer than an ordinary RPC answer.
        """
        timeout = self.conf.scheduler.select_destinations_timeout
        return self.client(ctxt, timeout=timeout).call(
            ctxt, 'select_destinations', request_spec=request_spec,
            instance_uuids=list(instance_uuids or []),
            return_alternates=return_alternates)

    def explain(self, ctxt, request_spec):
        """A dry run: the explanation and the ranked hosts, nothing claimed.

        Needs a scheduler speaking 1.1 (UnsupportedRPCVersion when
        ``[upgrade_levels] scheduler`` caps below it).
        """
        self.require_version('1.1', 'explain')
        timeout = self.conf.scheduler.select_destinations_timeout
        return self.client(ctxt, version='1.1', timeout=timeout).call(
            ctxt, 'explain', request_spec=request_spec)

    def update_aggregates(self, ctxt):
        """Tell every scheduler that host aggregates changed (a fanout
        cast, as Nova's): they re-read them at their next request instead
        of trusting their cache. A scheduler capped below 1.2 is not told
        and sees the change when its cache expires."""
        if not self.can_send_version('1.2'):
            return
        self.client(ctxt, version='1.2').prepare(fanout=True).cast(
            ctxt, 'update_aggregates')
