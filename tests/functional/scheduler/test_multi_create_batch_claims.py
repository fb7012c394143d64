"""A multi-create claims all its instances in one POST /allocations, and
falls back to one claim at a time when placement refuses them together."""

from nova_core.placement_client import allocations
from nova_core.scheduler import manager as scheduler_manager
from tests import scheduler_fixtures as sf
from tests.functional.scheduler.test_select_destinations import Cloud
from tests.functional.scheduler.test_select_destinations import usage
from tests.functional.scheduler.test_select_destinations import uuids


class Recording:
    """A placement client that notes each (method, path) it sends."""

    def __init__(self, client, before_post=None):
        self.client = client
        self.sent = []
        self.before_post = before_post

    def __getattr__(self, name):
        return getattr(self.client, name)

    def request(self, ctx, method, url, json=None, version=None,
                accept=None):
        self.sent.append((method, url.split('?')[0]))
        if method == 'POST' and self.before_post is not None:
            hook, self.before_post = self.before_post, None
            hook()
        return self.client.request(ctx, method, url, json=json,
                                   version=version, accept=accept)

    def get(self, ctx, url, version=None, accept=None):
        return self.request(ctx, 'GET', url, version=version, accept=accept)

    def put(self, ctx, url, json, version=None):
        return self.request(ctx, 'PUT', url, json=json, version=version)

    def post(self, ctx, url, json, version=None):
        return self.request(ctx, 'POST', url, json=json, version=version)

    def delete(self, ctx, url, version=None):
        return self.request(ctx, 'DELETE', url, version=version)


def _cloud(placement):
    cloud = Cloud(placement, sf.make_conf(filter_scheduler__host_subset_size=1))
    for i, vcpus in enumerate((4, 2, 8, 2)):
        cloud.node('n%d' % i, vcpus=vcpus, memory_mb=8192)
    return cloud


def _placed(client, ctx, instances):
    return [sorted(allocations.get_allocations_for_consumer(
        ctx, client, uuid)['allocations']) for uuid in instances]


def test_one_post_for_all_and_the_same_choices_as_single_claims(
        placement, client, ctx, monkeypatch):
    cloud = _cloud(placement)
    spec = sf.request_spec(vcpus=1, memory_mb=512, num_instances=6)
    recording = Recording(client)
    together = uuids(6)
    chosen = cloud.scheduler(recording).select_destinations(
        ctx, spec, together)
    assert [m for m, _path in recording.sent] == ['GET', 'POST']
    hosts_together = [s[0]['service_host'] for s in chosen]
    placed_together = _placed(client, ctx, together)
    assert {allocations.get_allocations_for_consumer(ctx, client, uuid)[
        'consumer_type'] for uuid in together} == {'INSTANCE'}
    for uuid in together:
        allocations.remove_allocations(ctx, client, uuid)

    # The same request, one claim at a time (the batch refused on purpose).
    monkeypatch.setattr(allocations, 'claim_many', lambda *a, **k: False)
    single = uuids(6)
    chosen = cloud.scheduler(client).select_destinations(ctx, spec, single)
    assert [s[0]['service_host'] for s in chosen] == hosts_together
    assert _placed(client, ctx, single) == placed_together
    assert len(set(hosts_together)) > 1


def test_refused_batch_falls_back_without_over_allocation(
        placement, client, ctx):
    cloud = _cloud(placement)
    big = cloud.states[2]
    taken = uuids(1)[0]

    def competitor():
        # Another scheduler fills the biggest host between our candidates
        # and our claims: the batch (which counted on it) must fail whole.
        assert allocations.claim_resources(ctx, client, taken, {
            'allocations': {big.uuid: {'resources': {'VCPU': 8}}}},
            'other', 'other')

    recording = Recording(client, before_post=competitor)
    spec = sf.request_spec(vcpus=1, memory_mb=512, num_instances=7)
    instances = uuids(7)
    chosen = cloud.scheduler(recording).select_destinations(
        ctx, spec, instances)
    methods = [m for m, _path in recording.sent]
    assert methods[:2] == ['GET', 'POST'] and methods.count('PUT') == 7
    assert 'n2' not in {s[0]['service_host'] for s in chosen}
    for state in cloud.states:
        assert usage(placement, state.uuid)['VCPU'] <= state.vcpus_total
    assert all(_placed(client, ctx, instances))


def test_no_host_for_one_instance_writes_nothing(placement, client, ctx):
    cloud = _cloud(placement)
    spec = sf.request_spec(vcpus=4, memory_mb=512, num_instances=5)
    instances = uuids(5)
    recording = Recording(client)
    try:
        cloud.scheduler(recording).select_destinations(ctx, spec, instances)
    except scheduler_manager.exception.NoValidHost:
        pass
    else:
        raise AssertionError('5 x 4 VCPU fit in 16 VCPU')
    assert 'POST' not in [m for m, _path in recording.sent]
    for state in cloud.states:
        assert usage(placement, state.uuid).get('VCPU', 0) == 0
