"""The compute manager served over the in-process transport, driven by ComputeAPI."""

import threading
import uuid as uuidlib

import pytest

from nova_core.compute import manager as compute_manager
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.compute import states
from nova_core import rpc
from nova_core.virt import fake
from tests.unit.compute import fixtures


class _Spy:
    """Records stop_instance's kwargs before the manager runs it."""

    def __init__(self):
        self.calls = []
        self.done = threading.Event()


@pytest.fixture
def cloud():
    url = 'fake://compute-test-%s/' % uuidlib.uuid4().hex
    conf = fixtures.make_conf(host='host1', transport_url=url)
    conductor = fixtures.FakeConductor()
    mgr = compute_manager.ComputeManager(
        conf, 'host1', fake.FakeDriver(conf, 'host1'), conductor,
        fixtures.FakePlacement())

    class _NoTracker:
        compute_nodes = {}
        service_id = None

        def update_available_resource(self, ctx):
            return {}

    mgr.resource_tracker = _NoTracker()
    mgr.init_host(fixtures.make_context())
    spy = _Spy()
    real_stop = mgr.stop_instance

    def stop_instance(ctx, instance, **kwargs):
        spy.calls.append(kwargs)
        try:
            return real_stop(ctx, instance, **kwargs)
        finally:
            spy.done.set()

    mgr.stop_instance = stop_instance
    server = rpc.get_server(conf, compute_rpcapi.TOPIC, 'host1', [mgr])
    server.start()
    try:
        yield conf, mgr, conductor, spy
    finally:
        server.stop()
        server.wait()
        rpc.cleanup_transports(url)


def _built(conf, mgr, conductor):
    inst = conductor.add_instance(host='host1', node='host1')
    ctx = fixtures.make_context()
    conductor.actions.append({'instance_uuid': inst['uuid'],
                              'action': 'create',
                              'request_id': ctx.request_id})
    compute_rpcapi.ComputeAPI(conf).build_and_run_instance(
        ctx, inst, 'host1', {'image': {}}, node='host1', host_list=[])
    for _ in range(100):
        if conductor.instances[inst['uuid']]['vm_state'] == states.ACTIVE:
            break
        threading.Event().wait(0.05)
    assert conductor.instances[inst['uuid']]['vm_state'] == states.ACTIVE
    return ctx, conductor.instances[inst['uuid']]


def test_build_over_rpc(cloud):
    conf, mgr, conductor, _spy = cloud
    _built(conf, mgr, conductor)


def test_stop_sends_timeout_at_1_1(cloud):
    conf, mgr, conductor, spy = cloud
    ctx, inst = _built(conf, mgr, conductor)
    compute_rpcapi.ComputeAPI(conf).stop_instance(
        ctx, inst, clean_shutdown_timeout=30)
    assert spy.done.wait(10)
    assert spy.calls == [{'clean_shutdown_timeout': 30}]
    assert conductor.instances[inst['uuid']]['vm_state'] == states.STOPPED


def test_stop_capped_at_1_0_drops_timeout(cloud):
    conf, mgr, conductor, spy = cloud
    ctx, inst = _built(conf, mgr, conductor)
    conf.set_override('compute', '1.0', group='upgrade_levels')
    api = compute_rpcapi.ComputeAPI(conf)
    assert not api.can_send_version('1.1')
    api.stop_instance(ctx, inst, clean_shutdown_timeout=30)
    assert spy.done.wait(10)
    assert spy.calls == [{}]
