"""select_destinations with the request pre-filters, and the dry-run
explain, against an in-process placement on SQLite.

Compute nodes are providers created by hand; host aggregates are given to
the scheduler directly (as the API database would) and mirrored as
placement aggregates of the same uuid on the providers, which is what the
pre-filters rely on. Host states come from a stub host manager.
"""

import collections
import uuid as uuidlib

import pytest

from nova_core import exception
from nova_core.scheduler import manager as scheduler_manager
from nova_core.scheduler.filters import compute_filter
from nova_core.scheduler.weighers import ram
from tests import scheduler_fixtures as sf

AZ1 = str(uuidlib.uuid4())
AZ2 = str(uuidlib.uuid4())
TENANT = str(uuidlib.uuid4())


def set_aggregates(placement, rp_uuid, aggregates):
    resp = placement.get('/resource_providers/%s' % rp_uuid)
    generation = resp.json()['generation']
    resp = placement.put('/resource_providers/%s/aggregates' % rp_uuid, json={
        'aggregates': list(aggregates),
        'resource_provider_generation': generation}, microversion='1.19')
    assert resp.status_code == 200, resp.text


def usage(placement, uuid):
    return placement.get('/resource_providers/%s/usages' % uuid).json()[
        'usages']


class Cloud:
    """Compute nodes in placement, their host states and aggregates."""

    def __init__(self, placement, conf):
        self.placement = placement
        self.conf = conf
        self.states = []
        self.aggregates = {}

    def aggregate(self, uuid, **metadata):
        self.aggregates[uuid] = {'uuid': uuid, 'name': uuid[:8], 'id': 0,
                                 'hosts': [], 'metadata': metadata}

    def node(self, name, aggregates=(), memory_mb=8192, traits=(), **kw):
        uuid = sf.add_compute_node(self.placement, name, memory_mb=memory_mb,
                                   traits=traits)
        if aggregates:
            set_aggregates(self.placement, uuid, aggregates)
        state = sf.host_state(name, uuid=uuid, memory_mb=memory_mb, **kw)
        state.aggregates = [self.aggregates[a] for a in aggregates]
        for agg in aggregates:
            self.aggregates[agg]['hosts'].append(name)
        self.states.append(state)
        return state

    def scheduler(self, client):
        return scheduler_manager.SchedulerManager(
            self.conf, client, cells=None,
            host_manager=sf.StubHostManager(self.states),
            filters=[compute_filter.ComputeFilter(self.conf)],
            weighers=[ram.RAMWeigher(self.conf)],
            aggregates=lambda ctx: list(self.aggregates.values()))


def zoned_cloud(placement, conf=None):
    cloud = Cloud(placement, conf or sf.make_conf())
    cloud.aggregate(AZ1, availability_zone='az1')
    cloud.aggregate(AZ2, availability_zone='az2')
    cloud.aggregate(TENANT, filter_tenant_id='project')
    cloud.node('big1', aggregates=[AZ1], memory_mb=16384)
    cloud.node('mid1', aggregates=[AZ1, TENANT], memory_mb=8192)
    cloud.node('small2', aggregates=[AZ2], memory_mb=4096)
    cloud.node('nozone', memory_mb=32768)
    return cloud


def chosen(scheduler, ctx, spec):
    [selections] = scheduler.select_destinations(
        ctx, spec, [str(uuidlib.uuid4())])
    return [s['service_host'] for s in selections]


def test_zone_narrows_the_placement_query(placement, client, ctx):
    cloud = zoned_cloud(placement)
    scheduler = cloud.scheduler(client)
    assert chosen(scheduler, ctx, sf.request_spec(
        availability_zone='az2')) == ['small2']
    assert chosen(scheduler, ctx, sf.request_spec(
        availability_zone='az1')) == ['big1', 'mid1']
    # The default zone: hosts in no zone aggregate.
    assert chosen(scheduler, ctx, sf.request_spec(
        availability_zone='nova')) == ['nozone']
    # No zone asked: the biggest host anywhere.
    assert chosen(scheduler, ctx, sf.request_spec())[0] == 'nozone'


def test_zone_and_tenant_combine(placement, client, ctx):
    conf = sf.make_conf(scheduler__limit_tenants_to_placement_aggregate=True)
    cloud = zoned_cloud(placement, conf)
    scheduler = cloud.scheduler(client)
    assert chosen(scheduler, ctx, sf.request_spec(
        availability_zone='az1')) == ['mid1']
    with pytest.raises(exception.NoValidHost) as caught:
        chosen(scheduler, ctx, sf.request_spec(availability_zone='az2'))
    explanation = caught.value.explanation
    assert explanation['candidates'] == 0
    assert explanation['placement_query']['member_of'] == [
        'in:' + TENANT, 'in:' + AZ2]
    names = [r['name'] for r in explanation['request_filters']]
    assert names == ['tenant_aggregate', 'availability_zone',
                     'compute_status']


def test_refused_request_claims_nothing(placement, client, ctx):
    conf = sf.make_conf(
        scheduler__limit_tenants_to_placement_aggregate=True,
        scheduler__placement_aggregate_required_for_tenants=True)
    cloud = zoned_cloud(placement, conf)
    with pytest.raises(exception.NoValidHost) as caught:
        chosen(cloud.scheduler(client), ctx,
               sf.request_spec(project_id='stranger'))
    explanation = caught.value.explanation
    assert explanation['summary'].startswith(
        'request filter tenant_aggregate: ')
    assert 'stranger' in str(caught.value)
    for state in cloud.states:
        assert usage(placement, state.uuid)['MEMORY_MB'] == 0


def test_unknown_zone_is_no_valid_host(placement, client, ctx):
    cloud = zoned_cloud(placement)
    with pytest.raises(exception.NoValidHost) as caught:
        chosen(cloud.scheduler(client), ctx,
               sf.request_spec(availability_zone='mars'))
    assert caught.value.explanation['request_filters'] == [
        {'name': 'availability_zone',
         'refused': 'availability zone mars has no host aggregate'}]


def test_disabled_compute_is_never_offered(placement, client, ctx):
    cloud = Cloud(placement, sf.make_conf())
    cloud.node('disabled', memory_mb=32768,
               traits=['COMPUTE_STATUS_DISABLED'])
    cloud.node('enabled', memory_mb=2048)
    scheduler = cloud.scheduler(client)
    assert chosen(scheduler, ctx, sf.request_spec()) == ['enabled']
    result = scheduler.explain(ctx, sf.request_spec())
    assert result['explanation']['candidates'] == 1


def test_image_type_support(placement, client, ctx):
    conf = sf.make_conf(
        scheduler__query_placement_for_image_type_support=True)
    cloud = Cloud(placement, conf)
    cloud.node('raw-only', memory_mb=32768,
               traits=['COMPUTE_IMAGE_TYPE_RAW'])
    cloud.node('qcow2', memory_mb=2048,
               traits=['COMPUTE_IMAGE_TYPE_QCOW2', 'COMPUTE_IMAGE_TYPE_RAW'])
    scheduler = cloud.scheduler(client)
    spec = sf.request_spec()
    spec['image']['disk_format'] = 'qcow2'
    assert chosen(scheduler, ctx, spec) == ['qcow2']
    spec['image']['disk_format'] = 'raw'
    assert chosen(scheduler, ctx, spec) == ['raw-only', 'qcow2']
    # Volume-backed: the image format does not matter.
    spec = sf.request_spec(is_bfv=True)
    spec['image']['disk_format'] = 'vmdk'
    assert chosen(scheduler, ctx, spec)[0] == 'raw-only'


def test_explain_ranks_without_claiming(placement, client, ctx):
    cloud = zoned_cloud(placement)
    cloud.states[0].service_up = False      # big1: ComputeFilter removes it
    scheduler = cloud.scheduler(client)
    result = scheduler.explain(ctx, sf.request_spec(availability_zone='az1',
                                                    num_instances=5))
    assert [(h['host'], h['node']) for h in result['hosts']] == [
        ('mid1', 'mid1')]
    explanation = result['explanation']
    assert explanation['candidates'] == 2
    assert explanation['instances_requested'] == 5
    assert explanation['instances_placed'] == 0
    [compute] = [f for f in explanation['filters']
                 if f['name'] == 'ComputeFilter']
    assert (compute['hosts_in'], compute['hosts_out']) == (2, 1)
    assert compute['removed'][0]['host'] == 'big1'
    assert explanation['request_filters'][0]['name'] == 'availability_zone'
    for state in cloud.states:
        assert usage(placement, state.uuid)['MEMORY_MB'] == 0
    # Everything ranked, best first, when all pass.
    cloud.states[0].service_up = True
    hosts = scheduler.explain(ctx, sf.request_spec())['hosts']
    assert [h['host'] for h in hosts] == ['nozone', 'big1', 'mid1', 'small2']
    assert hosts[0]['weight'] == 1.0 and hosts[-1]['weight'] == 0.0


def test_explain_of_impossible_requests(placement, client, ctx):
    cloud = zoned_cloud(placement)
    scheduler = cloud.scheduler(client)
    result = scheduler.explain(ctx, sf.request_spec(memory_mb=10 ** 6))
    assert result['hosts'] == []
    assert result['explanation']['summary'].startswith(
        'placement returned no allocation candidates')
    result = scheduler.explain(ctx, sf.request_spec(availability_zone='x'))
    assert result['hosts'] == []
    assert result['explanation']['summary'].startswith(
        'request filter availability_zone')


def test_aggregate_multiplier_override_in_a_request(placement, client, ctx):
    conf = sf.make_conf()
    cloud = Cloud(placement, conf)
    stack = str(uuidlib.uuid4())
    cloud.aggregate(stack, ram_weight_multiplier='-1.0')
    cloud.node('big', aggregates=[stack], memory_mb=16384)
    cloud.node('small', memory_mb=4096)
    assert chosen(cloud.scheduler(client), ctx,
                  sf.request_spec())[0] == 'small'


def test_host_subset_size_spreads_choices(placement, client, ctx):
    conf = sf.make_conf(filter_scheduler__host_subset_size=2)
    cloud = Cloud(placement, conf)
    for index, memory in enumerate((16384, 15360, 4096)):
        cloud.node('h%d' % index, memory_mb=memory)
    scheduler = cloud.scheduler(client)
    seen = collections.Counter(
        scheduler.select_destinations(ctx, sf.request_spec(), [])[0][0][
            'service_host'] for _ in range(40))
    assert set(seen) == {'h0', 'h1'}


def test_shuffle_best_same_weighed_hosts(placement, client, ctx):
    conf = sf.make_conf(
        filter_scheduler__shuffle_best_same_weighed_hosts=True)
    cloud = Cloud(placement, conf)
    for index in range(3):
        cloud.node('same%d' % index, memory_mb=8192)
    cloud.node('small', memory_mb=1024)
    scheduler = cloud.scheduler(client)
    seen = collections.Counter(
        scheduler.select_destinations(ctx, sf.request_spec(), [])[0][0][
            'service_host'] for _ in range(40))
    assert set(seen) == {'same0', 'same1', 'same2'}
