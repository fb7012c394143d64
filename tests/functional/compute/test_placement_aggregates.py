"""placement_client.aggregates (host aggregates mirrored on providers)
against an in-process placement on SQLite."""

import pytest

from nova_core import exception
from nova_core.placement_client import aggregates
from nova_core.placement_client import providers

RP = '5b0c1d7e-0000-4000-8000-0000000000a1'
AGG1 = '5b0c1d7e-0000-4000-8000-0000000000b1'
AGG2 = '5b0c1d7e-0000-4000-8000-0000000000b2'


def _aggregates(placement):
    return sorted(placement.get('/resource_providers/%s/aggregates' % RP,
                                microversion='1.19').json()['aggregates'])


@pytest.fixture
def provider(client):
    providers.ensure_provider(None, client, providers.ProviderCache(), RP,
                              'cn1')
    return RP


def test_add_and_remove_keep_the_others(client, placement, provider):
    assert aggregates.add_to_aggregate(None, client, RP, AGG1) == [AGG1]
    assert aggregates.add_to_aggregate(None, client, RP, AGG2) == sorted(
        [AGG1, AGG2])
    # Adding again writes nothing.
    assert aggregates.add_to_aggregate(None, client, RP, AGG2) == sorted(
        [AGG1, AGG2])
    assert aggregates.remove_from_aggregate(None, client, RP, AGG1) == [AGG2]
    assert _aggregates(placement) == [AGG2]
    assert aggregates.remove_from_aggregate(None, client, RP, AGG1) == [AGG2]


class _Racing:
    """A client whose first aggregates PUT meets a concurrent change."""

    def __init__(self, client, placement, times=1):
        self.client = client
        self.placement = placement
        self.times = times

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def fail(self, *args):
        return self.client.fail(*args)

    def put(self, ctx, url, body, version=None):
        if self.times:
            self.times -= 1
            # Someone else (a compute setting traits) bumps the generation.
            resp = self.placement.put(
                '/resource_providers/%s/traits' % RP, json={
                    'traits': ['HW_CPU_X86_AVX2'],
                    'resource_provider_generation':
                        body['resource_provider_generation']})
            assert resp.status_code == 200, resp.text
        return self.client.put(ctx, url, body, version=version)


def test_generation_conflict_is_retried(client, placement, provider):
    racing = _Racing(client, placement)
    assert aggregates.add_to_aggregate(None, racing, RP, AGG1) == [AGG1]
    assert racing.times == 0
    assert _aggregates(placement) == [AGG1]


def test_endless_conflicts_give_up(client, placement, provider):
    racing = _Racing(client, placement, times=aggregates.MAX_TRIES)
    with pytest.raises(exception.ResourceProviderGenerationConflict):
        aggregates.add_to_aggregate(None, racing, RP, AGG1)
    assert _aggregates(placement) == []


def test_unknown_provider(client, placement):
    with pytest.raises(exception.PlacementAPIError):
        aggregates.add_to_aggregate(None, client, RP, AGG1)
