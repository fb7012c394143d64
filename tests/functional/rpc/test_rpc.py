"""RPC over the in-process fake:// bus and over RabbitMQ (a fresh vhost on the shared broker)."""

import threading
import time
import uuid

import pytest

from nova_core import context
from nova_core import exception
from nova_core import rpc
from nova_core import service
from tests.functional.rpc.conftest import make_conf


class Manager:
    """An endpoint at version 1.0 (an "old" service)."""

    target = rpc.Target(version='1.0')

    def __init__(self):
        self.casts = []
        self.cast_seen = threading.Event()
        self.heartbeats = 0

    def echo(self, ctx, value):
        return {'value': value, 'user_id': ctx.user_id,
                'has_config': ctx.config is not None,
                'db': ctx.db, 'cell_uuid': ctx.cell_uuid}

    def remember(self, ctx, value):
        self.casts.append(value)
        self.cast_seen.set()

    def fail(self, ctx):
        raise exception.NoValidHost(
            reason='0 of 2 hosts passed',
            explanation={'candidates': 2, 'filters': [
                {'name': 'ComputeFilter', 'hosts_in': 2, 'hosts_out': 0}]})

    def slow(self, ctx, seconds):
        time.sleep(seconds)
        return 'done'

    def heartbeat(self, ctx):
        self.heartbeats += 1


class API(rpc.RPCAPIBase):
    """A client stub that knows 1.1 (a "new" service's rpcapi)."""

    SERVICE_NAME = 'compute'
    LATEST = '1.1'

    def __init__(self, conf, topic, **kwargs):
        super().__init__(conf, **kwargs)
        self.TOPIC = topic

    def echo(self, ctx, value, host=None):
        version = '1.1' if self.can_send_version('1.1') else '1.0'
        return self.client(ctx, server=host, version=version).call(
            ctx, 'echo', value=value)


@pytest.fixture
def running(transport_url):
    """(conf, topic, manager) with a Service serving the manager on host1."""
    conf = make_conf(transport_url, report_interval=1)
    topic = 'test-%s' % uuid.uuid4().hex[:8]
    manager = Manager()
    svc = service.Service(conf, 'nova-core-test', topic, manager,
                          host='host1')
    svc.start()
    yield conf, topic, manager
    svc.stop()


def _ctx(**kwargs):
    return context.RequestContext(user_id='u1', project_id='p1', **kwargs)


def test_call_and_cast(running):
    conf, topic, manager = running
    ctx = _ctx(db=object(), cell_uuid='c1')
    answer = rpc.client_for(ctx, conf, topic).call(ctx, 'echo', value=[1, 'a'])
    # The receiver binds its own config; the sender's db and cell stay home.
    assert answer == {'value': [1, 'a'], 'user_id': 'u1',
                      'has_config': True, 'db': None, 'cell_uuid': None}
    directed = rpc.client_for(ctx, conf, topic, server='host1')
    assert directed.call(ctx, 'echo', value=2)['value'] == 2
    directed.cast(ctx, 'remember', value='x')
    assert manager.cast_seen.wait(10)
    assert manager.casts == ['x']


def test_remote_nova_core_exception_keeps_class_and_kwargs(running,
                                                          transport_url):
    conf, topic, _manager = running
    ctx = _ctx()
    with pytest.raises(exception.NoValidHost) as err:
        rpc.client_for(ctx, conf, topic).call(ctx, 'fail')
    assert type(err.value) is exception.NoValidHost
    assert err.value.explanation == {'candidates': 2, 'filters': [
        {'name': 'ComputeFilter', 'hosts_in': 2, 'hosts_out': 0}]}
    assert err.value.kwargs['reason'] == '0 of 2 hosts passed'
    if transport_url.startswith('rabbit'):
        # The fake driver hands over the exception object itself.
        assert 'in fail' in err.value.remote_traceback




def test_service_hooks_and_private_methods_are_not_exposed(running):
    conf, topic, _manager = running
    ctx = _ctx()
    client = rpc.client_for(ctx, conf, topic, timeout=10)
    for method in ('heartbeat', '_private', 'cleanup'):
        with pytest.raises(exception.RemoteError):
            client.call(ctx, method)


def test_version_cap_talks_down_to_an_old_endpoint(running):
    conf, topic, _manager = running
    ctx = _ctx()
    # Uncapped, the new stub sends 1.1, which the 1.0 endpoint refuses.
    with pytest.raises(exception.RemoteError) as err:
        API(conf, topic).echo(ctx, 1)
    assert 'UnsupportedVersion' in str(err.value)
    conf.set_override('compute', '1.0', group='upgrade_levels')
    api = API(conf, topic)
    assert api.version_cap == '1.0'
    assert not api.can_send_version('1.1')
    assert api.echo(ctx, 5)['value'] == 5
    # Asking for more than the cap is refused before anything is sent.
    with pytest.raises(exception.UnsupportedRPCVersion):
        api.client(ctx, version='1.1').call(ctx, 'echo', value=1)
    with pytest.raises(exception.UnsupportedRPCVersion):
        api.require_version('1.1', 'echo')


def test_version_cap_auto_uses_the_lookup(running):
    conf, topic, _manager = running
    conf.set_override('compute', 'auto', group='upgrade_levels')
    api = API(conf, topic, min_version_lookup=lambda: '1.0')
    assert api.echo(_ctx(), 3)['value'] == 3
    assert API(conf, topic).version_cap == '1.1'


def test_timeout_maps_to_messaging_timeout(running):
    conf, topic, _manager = running
    ctx = _ctx()
    client = rpc.client_for(ctx, conf, topic, timeout=1)
    with pytest.raises(exception.MessagingTimeout) as err:
        client.call(ctx, 'slow', seconds=3)
    assert err.value.kwargs == {'method': 'slow', 'topic': topic}
    nobody = rpc.client_for(ctx, conf, 'nobody-%s' % topic, timeout=1)
    with pytest.raises(exception.MessagingTimeout):
        nobody.call(ctx, 'echo', value=1)


def test_heartbeat_runs(running):
    _conf, _topic, manager = running
    deadline = time.monotonic() + 10
    while manager.heartbeats < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert manager.heartbeats >= 2


def test_stop_waits_for_requests_in_flight(transport_url):
    conf = make_conf(transport_url)
    topic = 'test-%s' % uuid.uuid4().hex[:8]
    svc = service.Service(conf, 'nova-core-test', topic, Manager(),
                          host='host1')
    svc.start()
    ctx = _ctx()
    results = []
    caller = threading.Thread(target=lambda: results.append(
        rpc.client_for(ctx, conf, topic, timeout=20).call(
            ctx, 'slow', seconds=2)))
    caller.start()
    time.sleep(0.5)
    svc.stop()
    caller.join(20)
    assert results == ['done']
    assert svc.wait(0)


def test_context_mq_connection_selects_the_cell_transport(transport_url):
    """A cell-targeted context sends on the cell's bus, not the service's."""
    cell_url = transport_url
    own_url = 'fake://own-%s/' % uuid.uuid4().hex[:8]
    conf = make_conf(own_url)
    topic = 'test-%s' % uuid.uuid4().hex[:8]
    svc = service.Service(conf, 'nova-core-test', topic, Manager(),
                          host='host1',
                          transport=rpc.get_transport(conf, cell_url))
    svc.start()
    try:
        ctx = _ctx(mq_connection=cell_url)
        assert rpc.client_for(ctx, conf, topic).call(
            ctx, 'echo', value=7)['value'] == 7
        plain = _ctx()
        with pytest.raises(exception.MessagingTimeout):
            rpc.client_for(plain, conf, topic, timeout=1).call(
                plain, 'echo', value=7)
    finally:
        svc.stop()
        rpc.cleanup_transports(own_url)
