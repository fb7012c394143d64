"""A private RabbitMQ node started by the test: RPC through it, across a restart of the node."""

import threading
import time
import uuid

from nova_core import context
from nova_core import exception
from nova_core import rpc
from nova_core import service
from tests.functional.rpc.conftest import make_conf


class Manager:
    target = rpc.Target(version='1.0')

    def __init__(self):
        self.casts = []
        self.cast_seen = threading.Event()

    def echo(self, ctx, value):
        return value

    def remember(self, ctx, value):
        self.casts.append(value)
        self.cast_seen.set()


def _call_until_answered(client, ctx, deadline):
    """Call echo until an answer comes (the transport reconnects meanwhile)."""
    while True:
        try:
            return client.call(ctx, 'echo', value='after')
        except (exception.MessagingTimeout, exception.MessagingError):
            if time.monotonic() > deadline:
                raise


def test_node_vhost_round_trip_and_restart(rabbit_node):
    vhost = rabbit_node.add_vhost()
    url = rabbit_node.url(vhost)
    # Reconnect quickly: the node is down for a few seconds only.
    conf = make_conf(url, **{
        'oslo_messaging_rabbit.rabbit_retry_interval': 1,
        'oslo_messaging_rabbit.rabbit_retry_backoff': 1,
        'oslo_messaging_rabbit.rabbit_interval_max': 2})
    topic = 'test-%s' % uuid.uuid4().hex[:8]
    manager = Manager()
    svc = service.Service(conf, 'nova-core-test', topic, manager,
                          host='host1')
    svc.start()
    ctx = context.RequestContext(user_id='u', project_id='p')
    try:
        client = rpc.client_for(ctx, conf, topic, timeout=10)
        assert client.call(ctx, 'echo', value='before') == 'before'
        rpc.client_for(ctx, conf, topic, server='host1').cast(
            ctx, 'remember', value=1)
        assert manager.cast_seen.wait(10)

        rabbit_node.restart(down_seconds=2)
        # The vhost and guest's permissions live in the node's data.
        listed = rabbit_node.ctl('list_vhosts').stdout.split()
        assert vhost in listed

        short = rpc.client_for(ctx, conf, topic, timeout=5)
        assert _call_until_answered(
            short, ctx, time.monotonic() + 60) == 'after'
        manager.cast_seen.clear()
        rpc.client_for(ctx, conf, topic, server='host1').cast(
            ctx, 'remember', value=2)
        assert manager.cast_seen.wait(20)
        assert manager.casts == [1, 2]
    finally:
        svc.stop()
        rpc.cleanup_transports(url)
