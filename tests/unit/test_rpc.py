"""rpc.py and service.py without a broker: caps, serializer, transports, periodic tasks, signals."""

import os
import signal
import threading
import time
import uuid

import pytest
from oslo_config import cfg

from nova_core import conf as nc_conf
from nova_core import context
from nova_core import exception
from nova_core import rpc
from nova_core import service


def make_conf(**overrides):
    conf = cfg.ConfigOpts()
    nc_conf.register_opts(conf)
    rpc.register_opts(conf)
    conf([], project='nova_core_test', default_config_files=[],
         default_config_dirs=[])
    for name, value in overrides.items():
        group, _, option = name.rpartition('.')
        conf.set_override(option, value, group=group or None)
    return conf


# -- version caps --------------------------------------------------------------

def test_version_cap_unset_is_none():
    assert rpc.version_cap(make_conf(), 'compute', '1.1') is None


def test_version_cap_explicit():
    conf = make_conf(**{'upgrade_levels.compute': '1.0'})
    assert rpc.version_cap(conf, 'compute', '1.1') == '1.0'


def test_version_cap_auto():
    conf = make_conf(**{'upgrade_levels.scheduler': 'auto'})
    assert rpc.version_cap(conf, 'scheduler', '1.3') == '1.3'
    assert rpc.version_cap(conf, 'scheduler', '1.3', lambda: '1.1') == '1.1'
    assert rpc.version_cap(conf, 'scheduler', '1.3', lambda: None) == '1.3'


def test_version_cap_malformed():
    conf = make_conf(**{'upgrade_levels.conductor': 'newest'})
    with pytest.raises(exception.ConfigurationError):
        rpc.version_cap(conf, 'conductor', '1.0')


def test_version_allows():
    assert rpc.version_allows(None, '2.5')
    assert rpc.version_allows('1.1', '1.0')
    assert rpc.version_allows('1.1', '1.1')
    assert not rpc.version_allows('1.0', '1.1')
    assert not rpc.version_allows('2.0', '1.0')


def test_rpcapi_base_resolves_cap_once_and_on_reset():
    calls = []

    class API(rpc.RPCAPIBase):
        TOPIC = 't'
        SERVICE_NAME = 'compute'
        LATEST = '1.1'

    conf = make_conf(**{'upgrade_levels.compute': 'auto'})
    api = API(conf, min_version_lookup=lambda: calls.append(1) or '1.0')
    assert not api.can_send_version('1.1')
    assert api.can_send_version('1.0')
    assert len(calls) == 1
    api.reset_version_cap()
    assert api.version_cap == '1.0' and len(calls) == 2
    with pytest.raises(exception.UnsupportedRPCVersion):
        api.require_version('1.1', 'stop_instance')


# -- serializer ------------------------------------------------------------------

def test_context_serializer_sends_identity_only():
    ser = rpc.RequestContextSerializer()
    ctx = context.RequestContext(
        user_id='u', project_id='p', roles=['member'], request_id='req-1',
        db=object(), authorizer=object(), config=object(), cell_uuid='c',
        db_connection=object(), mq_connection='rabbit://x')
    wire = ser.serialize_context(ctx)
    for name in ('db', 'authorizer', 'config', 'cell_uuid', 'db_connection',
                 'mq_connection'):
        assert name not in wire
    conf = object()
    back = rpc.RequestContextSerializer(
        context.RequestContext.from_dict,
        {'config': conf}).deserialize_context(wire)
    assert isinstance(back, context.RequestContext)
    assert (back.user_id, back.project_id, back.request_id) == (
        'u', 'p', 'req-1')
    assert back.roles == ['member']
    assert back.config is conf and back.db is None
    assert back.mq_connection is None


def test_entities_pass_through():
    ser = rpc.RequestContextSerializer()
    entity = {'a': [1, 'b', None, {'c': True}]}
    assert ser.serialize_entity(None, entity) is entity
    assert ser.deserialize_entity(None, entity) is entity


# -- transports ------------------------------------------------------------------

def test_transport_default_is_embedded_fake():
    assert rpc.transport_url(make_conf()) == rpc.EMBEDDED_URL
    conf = make_conf(transport_url='rabbit://g:g@h:5672/v')
    assert rpc.transport_url(conf) == 'rabbit://g:g@h:5672/v'
    assert rpc.transport_url(conf, 'fake://x/') == 'fake://x/'


def test_transports_cached_per_url():
    conf = make_conf()
    a, b = ('fake://unit-%s/' % uuid.uuid4().hex for _ in range(2))
    try:
        assert rpc.get_transport(conf, a) is rpc.get_transport(make_conf(), a)
        assert rpc.get_transport(conf, a) is not rpc.get_transport(conf, b)
    finally:
        rpc.cleanup_transports(a)
        rpc.cleanup_transports(b)


def test_invalid_transport_url():
    with pytest.raises(exception.TransportURLInvalid) as err:
        rpc.get_transport(make_conf(), 'nosuchdriver://u:secret@h/')
    assert 'secret' not in str(err.value)


def test_distinct_fake_urls_are_separate_buses():
    conf = make_conf()
    a, b = ('fake://unit-%s/' % uuid.uuid4().hex for _ in range(2))

    class Endpoint:
        def where(self, ctx):
            return 'a'

    server = rpc.get_server(conf, 'bus', 'h', [Endpoint()],
                            transport=rpc.get_transport(conf, a))
    server.start()
    try:
        ctx = context.RequestContext(mq_connection=a)
        assert rpc.client_for(ctx, conf, 'bus').call(ctx, 'where') == 'a'
        other = context.RequestContext(mq_connection=b)
        with pytest.raises(exception.MessagingTimeout):
            rpc.client_for(other, conf, 'bus', timeout=1).call(other, 'where')
    finally:
        server.stop()
        server.wait()
        rpc.cleanup_transports(a)
        rpc.cleanup_transports(b)


def test_access_policy():
    policy = rpc.PublicMethodsPolicy()

    class Endpoint:
        pass

    narrow = Endpoint()
    narrow.rpc_methods = {'build'}
    assert policy.is_allowed(Endpoint(), 'build')
    assert not policy.is_allowed(Endpoint(), '_secret')
    assert not policy.is_allowed(Endpoint(), 'heartbeat')
    assert not policy.is_allowed(Endpoint(), 'cleanup')
    assert policy.is_allowed(narrow, 'build')
    assert not policy.is_allowed(narrow, 'delete')


# -- service ----------------------------------------------------------------------

class Manager:
    def __init__(self, conf):
        self.conf = conf
        self.events = []
        self.runs = 0
        self.failures = 0

    def init_host(self):
        self.events.append('init_host')

    @service.periodic_task(0.1, run_immediately=True)
    def tick(self, ctx):
        assert ctx.is_admin and ctx.config is self.conf
        self.runs += 1

    @service.periodic_task(0.1)
    def broken(self, ctx):
        self.failures += 1
        raise RuntimeError('periodic failure must not kill the service')

    @service.periodic_task('report_interval')
    def by_option(self, ctx):
        pass

    @service.periodic_task(0)
    def disabled(self, ctx):
        raise AssertionError('a disabled task ran')

    def periodic_tasks(self):
        return service.collect_periodic_tasks(self)

    def cleanup(self):
        self.events.append('cleanup')


def _service(manager):
    url = 'fake://unit-%s/' % uuid.uuid4().hex
    conf = manager.conf
    return service.Service(conf, 'nova-core-test', 'unit', manager,
                           host='h', transport=rpc.get_transport(conf, url))


def test_collect_periodic_tasks_reads_intervals():
    conf = make_conf(report_interval=7)
    manager = Manager(conf)
    tasks = {f.__name__: i for i, f in manager.periodic_tasks()}
    assert tasks == {'broken': 0.1, 'by_option': 7, 'disabled': 0,
                     'tick': 0.1}


def test_periodic_tasks_run_and_failures_are_not_fatal():
    manager = Manager(make_conf())
    svc = _service(manager)
    svc.start()
    deadline = time.monotonic() + 10
    while (manager.runs < 3 or manager.failures < 3) and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    svc.stop()
    assert manager.runs >= 3 and manager.failures >= 3
    assert manager.events == ['init_host', 'cleanup']
    runs = manager.runs
    time.sleep(0.3)
    assert manager.runs == runs, 'a periodic task ran after stop()'
    assert svc.wait(0)


def test_run_until_signal_stops_services():
    manager = Manager(make_conf())
    svc = _service(manager)
    previous = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    service.run_until_signal([svc])
    assert manager.events == ['init_host', 'cleanup']
    assert signal.getsignal(signal.SIGTERM) is previous
