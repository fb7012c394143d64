"""placement_client.allocations against an in-process placement."""

import uuid as uuidlib

import pytest

from nova_core import exception
from nova_core import placement_client
from nova_core.placement_client import allocations
from tests import scheduler_fixtures as sf


def _request(rp, memory_mb=512, vcpus=1):
    return {'allocations': {rp: {'resources': {'MEMORY_MB': memory_mb,
                                               'VCPU': vcpus}}},
            'mappings': {'': [rp]}}


def _used(placement, rp):
    return placement.get('/resource_providers/%s/usages' % rp).json()[
        'usages']


def test_claim_read_remove(placement, client):
    rp = sf.add_compute_node(placement, 'n1', memory_mb=1024)
    consumer = str(uuidlib.uuid4())
    assert allocations.claim_resources(None, client, consumer, _request(rp),
                                       'p', 'u')
    body = allocations.get_allocations_for_consumer(None, client, consumer)
    assert body['allocations'][rp]['resources'] == {'MEMORY_MB': 512,
                                                    'VCPU': 1}
    assert body['consumer_generation'] == 1
    assert body['project_id'] == 'p' and body['user_id'] == 'u'
    # A second claim as a new consumer conflicts on the consumer generation.
    assert not allocations.claim_resources(None, client, consumer,
                                           _request(rp), 'p', 'u')
    assert allocations.remove_allocations(None, client, consumer)
    assert _used(placement, rp)['MEMORY_MB'] == 0
    assert not allocations.remove_allocations(None, client, consumer)
    empty = allocations.get_allocations_for_consumer(None, client,
                                                     str(uuidlib.uuid4()))
    assert empty['allocations'] == {}


def test_claim_beyond_capacity_is_false(placement, client):
    rp = sf.add_compute_node(placement, 'n1', memory_mb=1024)
    assert not allocations.claim_resources(
        None, client, str(uuidlib.uuid4()), _request(rp, memory_mb=2048),
        'p', 'u')
    assert _used(placement, rp)['MEMORY_MB'] == 0


def test_claim_with_bad_request_raises(placement, client):
    with pytest.raises(exception.PlacementAPIError):
        allocations.claim_resources(
            None, client, 'not-a-uuid', _request(str(uuidlib.uuid4())),
            'p', 'u')


def test_replace_moves_the_claim(placement, client):
    first = sf.add_compute_node(placement, 'n1', memory_mb=1024)
    second = sf.add_compute_node(placement, 'n2', memory_mb=1024)
    consumer = str(uuidlib.uuid4())
    assert allocations.claim_resources(None, client, consumer,
                                       _request(first), 'p', 'u')
    assert allocations.replace_allocations(None, client, consumer,
                                           _request(second), 'p', 'u')
    assert _used(placement, first)['MEMORY_MB'] == 0
    assert _used(placement, second)['MEMORY_MB'] == 512
    # An alternate without room: False, the claim stays where it was.
    assert not allocations.move_claim_to_alternate(
        None, client, consumer, _request(first, memory_mb=4096), 'p', 'u')
    assert _used(placement, second)['MEMORY_MB'] == 512
    # A consumer without allocations yet: replace is a plain claim.
    fresh = str(uuidlib.uuid4())
    assert allocations.replace_allocations(None, client, fresh,
                                           _request(first), 'p', 'u')


def test_concurrent_update_is_retried(placement, monkeypatch):
    rp = sf.add_compute_node(placement, 'n1')
    answers = []

    class Racing:
        status_code = 409
        text = 'race'

        @staticmethod
        def json():
            return {'errors': [{'code': 'placement.concurrent_update',
                                'detail': 'resource provider generation'}]}

    def send(method, url, json, version, headers):
        if method == 'PUT' and len(answers) < 2:
            answers.append('race')
            return Racing()
        answers.append('ok')
        return placement.request(method, url, json=json,
                                 microversion=version, headers=headers)

    client = placement_client.PlacementClient(send, 'racing')
    assert allocations.claim_resources(None, client, str(uuidlib.uuid4()),
                                       _request(rp), 'p', 'u')
    assert answers == ['race', 'race', 'ok']
