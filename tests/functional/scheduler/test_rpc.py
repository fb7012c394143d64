"""The scheduler over the in-process transport: SchedulerAPI -> SchedulerManager."""

import time
import uuid as uuidlib

import pytest

from nova_core import context as nc_context
from nova_core import exception
from nova_core import placement_client
from nova_core import rpc
from nova_core.scheduler import manager as scheduler_manager
from nova_core.scheduler import rpcapi
from nova_core.scheduler.filters import compute_filter
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf


@pytest.fixture
def service(placement):
    # A URL of its own: an in-process bus no other test shares.
    conf = sf.make_conf(transport_url='fake://scheduler-%s/' % uuidlib.uuid4(),
                        rpc_response_timeout=30)
    node = sf.add_compute_node(placement, 'h1', memory_mb=2048)
    state = sf.host_state('h1', uuid=node, memory_mb=2048)
    manager = scheduler_manager.SchedulerManager(
        conf, placement_client.from_direct(placement), cells=None,
        host_manager=sf.StubHostManager([state]),
        filters=[compute_filter.ComputeFilter(conf)],
        weighers=[ram.RAMWeigher(conf)])
    server = rpc.get_server(conf, 'scheduler', 'scheduler-host', [manager])
    server.start()
    try:
        yield conf, node
    finally:
        server.stop()
        server.wait()


def test_select_destinations_over_rpc(service):
    conf, node = service
    api = rpcapi.SchedulerAPI(conf)
    ctx = nc_context.RequestContext(user_id='u', project_id='p')
    # A cell-targeted context still reaches the API-level scheduler.
    ctx.mq_connection = 'fake://some-cell/'
    [selections] = api.select_destinations(
        ctx, sf.request_spec(memory_mb=1024), [str(uuidlib.uuid4())])
    assert selections[0]['compute_node_uuid'] == node
    with pytest.raises(exception.NoValidHost) as caught:
        api.select_destinations(ctx, sf.request_spec(memory_mb=4096),
                                [str(uuidlib.uuid4())])
    assert caught.value.explanation['candidates'] == 0
    assert caught.value.explanation['placement_query']['resources'] == \
        'DISK_GB:1,MEMORY_MB:4096,VCPU:1'


def test_explain_over_rpc_claims_nothing(service, placement):
    conf, node = service
    api = rpcapi.SchedulerAPI(conf)
    ctx = nc_context.RequestContext(user_id='u', project_id='p')
    answer = api.explain(ctx, sf.request_spec(memory_mb=1024))
    assert [h['host'] for h in answer['hosts']] == ['h1']
    assert answer['explanation']['candidates'] == 1
    usages = placement.get('/resource_providers/%s/usages' % node).json()
    assert not any(usages['usages'].values())


def test_explain_refused_below_its_rpc_version(service):
    conf, _node = service
    conf.set_override('scheduler', '1.0', group='upgrade_levels')
    try:
        api = rpcapi.SchedulerAPI(conf)
        with pytest.raises(exception.UnsupportedRPCVersion):
            api.explain(nc_context.RequestContext(), sf.request_spec())
    finally:
        conf.clear_override('scheduler', group='upgrade_levels')


class _Refreshing(sf.StubHostManager):
    refreshed = 0

    def refresh_cells(self):
        self.refreshed += 1


class _Aggregates:
    refreshed = 0

    def __call__(self, ctx):
        return []

    def refresh(self):
        self.refreshed += 1


def test_update_aggregates_reaches_every_scheduler(placement):
    """A fanout cast: each scheduler forgets its cached aggregates."""
    conf = sf.make_conf(transport_url='fake://scheduler-%s/' % uuidlib.uuid4(),
                        rpc_response_timeout=30)
    managers, servers = [], []
    for host in ('scheduler-a', 'scheduler-b'):
        manager = scheduler_manager.SchedulerManager(
            conf, placement_client.from_direct(placement), cells=None,
            host_manager=_Refreshing([]), aggregates=_Aggregates(),
            filters=[], weighers=[])
        server = rpc.get_server(conf, 'scheduler', host, [manager])
        server.start()
        managers.append(manager)
        servers.append(server)
    try:
        rpcapi.SchedulerAPI(conf).update_aggregates(
            nc_context.RequestContext(user_id='u', project_id='p'))
        deadline = time.monotonic() + 30
        while not all(m.host_manager.refreshed and m.aggregates.refreshed
                      for m in managers):
            assert time.monotonic() < deadline, 'not every scheduler told'
            time.sleep(0.05)
        # A cap below 1.2: nobody is told, nothing fails.
        conf.set_override('scheduler', '1.1', group='upgrade_levels')
        rpcapi.SchedulerAPI(conf).update_aggregates(
            nc_context.RequestContext())
    finally:
        conf.clear_override('scheduler', group='upgrade_levels')
        for server in servers:
            server.stop()
            server.wait()
