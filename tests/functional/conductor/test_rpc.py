"""The conductor over RPC (in-process fake:// transport): stub, server, errors."""

import time

import pytest

from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import context
from nova_core import exception
from nova_core import rpc


@pytest.fixture
def served(env):
    rpc.register_opts(env.conf)
    server = rpc.get_server(
        env.conf, 'conductor', 'conductor-host', [env.manager],
        context_factory=context.RequestContext.from_dict)
    server.start()
    try:
        yield conductor_rpcapi.ConductorAPI(env.conf)
    finally:
        server.stop()
        server.wait()


def test_object_action_call(served, env, flavor):
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    got = served.object_action(env.ctx, 'instance', 'get_by_uuid', uuid=uuid)
    assert got['uuid'] == uuid
    assert isinstance(got['created_at'], str)


def test_refusal_comes_back_as_itself(served, env):
    with pytest.raises(exception.ObjectActionNotAllowed) as info:
        served.object_action(env.ctx, 'instance', 'create', values={})
    assert info.value.kwargs['objname'] == 'instance'


def test_service_hooks_not_callable(served, env):
    client = rpc.client_for(env.ctx, env.conf, 'conductor', timeout=5)
    with pytest.raises(exception.NovaCoreException):
        client.call(env.ctx, 'run_watchdog')


def test_schedule_cast(served, env, flavor):
    env.conductor_api.deliver = False
    [uuid] = env.servers.create(env.ctx, flavor, 'img', 'vm')
    served.schedule_and_build_instances(env.ctx, [uuid])
    deadline = time.monotonic() + 10
    while not env.compute.builds and time.monotonic() < deadline:
        time.sleep(0.05)
    [build] = env.compute.builds
    assert build['instance']['uuid'] == uuid


def test_version_cap(env):
    rpc.register_opts(env.conf)
    env.conf.set_override('conductor', '1.0', group='upgrade_levels')
    api = conductor_rpcapi.ConductorAPI(env.conf)
    assert api.version_cap == '1.0'
    assert api.can_send_version('1.0')
