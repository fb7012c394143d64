"""Concurrent allocation writes never over-allocate, on every backend.

Many threads write through one in-process app (each request on its own
database connection) at once, released together by a barrier. A loser
must get a 409 (capacity, or placement.concurrent_update), never a 500, and
what is committed must always fit the inventory.
"""

import concurrent.futures
import random
import threading

from oslo_utils import uuidutils

from tests.functional import allocation_setup as setup

THREADS = 24
CAPACITY_MESSAGE = 'The requested amount would exceed the capacity'


def _race(count, work):
    """Run ``work(i)`` for i in range(count) in threads started together."""
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        return work(index)
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def _claim(client, consumer, allocations, generation=None, version='1.28',
           **extra):
    body = {'allocations': {rp: {'resources': resources}
                            for rp, resources in allocations.items()},
            'project_id': extra.pop('project', 'proj'),
            'user_id': extra.pop('user', 'user')}
    if version != '1.27':
        body['consumer_generation'] = generation
    body.update(extra)
    return client.put('/allocations/%s' % consumer, json=body,
                      microversion=version)


def _error(resp):
    error = resp.json()['errors'][0]
    return error['detail'], error.get('code')


def _assert_lost_cleanly(resp):
    assert resp.status_code == 409, resp.text
    detail, code = _error(resp)
    assert code == 'placement.concurrent_update' or CAPACITY_MESSAGE in detail


def test_scarce_inventory_is_never_over_allocated(placement_on):
    rp = setup.compute(placement_on, VCPU=10)
    results = _race(THREADS * 2, lambda i: _claim(
        placement_on, uuidutils.generate_uuid(), {rp: {'VCPU': 1}}))
    won = [resp for resp in results if resp.status_code == 204]
    for resp in results:
        if resp.status_code != 204:
            _assert_lost_cleanly(resp)
    # Writers to one provider queue on its row lock: none gives up early.
    assert len(won) == 10
    assert setup.used(placement_on, rp, 'VCPU') == len(won)
    assert setup.count(placement_on, 'consumers') == len(won)
    assert setup.generation(placement_on, rp) == len(won)


def test_multi_provider_posts_stay_within_capacity(placement_on):
    left = setup.compute(placement_on, 'left', VCPU=7, DISK_GB=50)
    right = setup.compute(placement_on, 'right', VCPU=5, DISK_GB=40)
    capacity = {(left, 'VCPU'): 7, (left, 'DISK_GB'): 50,
                (right, 'VCPU'): 5, (right, 'DISK_GB'): 40}

    def post(index):
        rng = random.Random(index)
        body = {}
        for _n in range(rng.randint(1, 3)):
            rp_vcpu, rp_disk = rng.choice([(left, right), (right, left),
                                           (left, left)])
            allocations = {rp_vcpu: {'resources': {'VCPU': rng.randint(1, 2)}}}
            allocations.setdefault(rp_disk, {'resources': {}})[
                'resources']['DISK_GB'] = rng.randint(1, 10)
            body[uuidutils.generate_uuid()] = {
                'allocations': allocations, 'project_id': 'p',
                'user_id': 'u', 'consumer_generation': None}
        return placement_on.post('/allocations', json=body,
                                 microversion='1.28'), body

    results = _race(THREADS, post)
    expected = {key: 0 for key in capacity}
    for resp, body in results:
        if resp.status_code != 204:
            _assert_lost_cleanly(resp)
            continue
        for entry in body.values():
            for rp, alloc in entry['allocations'].items():
                for rc, amount in alloc['resources'].items():
                    expected[rp, rc] += amount
    for (rp, rc), limit in capacity.items():
        assert setup.used(placement_on, rp, rc) == expected[rp, rc] <= limit
    assert any(resp.status_code == 204 for resp, _body in results)


def test_racing_creators_of_projects_users_and_types(placement_on):
    providers = [setup.compute(placement_on, VCPU=10) for _i in range(THREADS)]
    results = _race(THREADS, lambda i: _claim(
        placement_on, uuidutils.generate_uuid(), {providers[i]: {'VCPU': 1}},
        version='1.38', project='new-project', user='new-user',
        consumer_type='NEW_TYPE'))
    assert [resp.status_code for resp in results] == [204] * THREADS, [
        resp.text for resp in results if resp.status_code != 204]
    assert setup.count(placement_on, 'projects') == 1
    assert setup.count(placement_on, 'users') == 1
    assert setup.count(placement_on, 'consumer_types') == 1
    assert setup.count(placement_on, 'consumers') == THREADS


def test_writers_to_one_provider_queue_rather_than_fail(placement_on):
    rp = setup.compute(placement_on, VCPU=1000)
    results = _race(THREADS, lambda i: _claim(
        placement_on, uuidutils.generate_uuid(), {rp: {'VCPU': 1}}))
    assert [resp.status_code for resp in results] == [204] * THREADS, [
        resp.text for resp in results if resp.status_code != 204]
    assert setup.used(placement_on, rp, 'VCPU') == THREADS
    assert setup.generation(placement_on, rp) == THREADS


def test_one_winner_for_a_new_consumer(placement_on):
    rp = setup.compute(placement_on, VCPU=1000)
    consumer = uuidutils.generate_uuid()
    results = _race(THREADS, lambda i: _claim(
        placement_on, consumer, {rp: {'VCPU': i + 1}}))
    winners = [i for i, resp in enumerate(results) if resp.status_code == 204]
    assert len(winners) == 1
    for resp in results:
        if resp.status_code != 204:
            assert resp.status_code == 409, resp.text
            detail, code = _error(resp)
            assert code == 'placement.concurrent_update'
            assert 'consumer generation conflict' in detail
    assert setup.used(placement_on, rp, 'VCPU') == winners[0] + 1


def test_unversioned_writers_to_one_consumer_never_duplicate(placement_on):
    rp = setup.compute(placement_on, VCPU=1000)
    consumer = uuidutils.generate_uuid()
    results = _race(THREADS, lambda i: _claim(
        placement_on, consumer, {rp: {'VCPU': i + 1}}, version='1.27'))
    for resp in results:
        if resp.status_code != 204:
            _assert_lost_cleanly(resp)
    body = placement_on.get('/allocations/%s' % consumer).json()
    amount = body['allocations'][rp]['resources']['VCPU']
    assert results[amount - 1].status_code == 204
    assert setup.used(placement_on, rp, 'VCPU') == amount
    assert body['consumer_generation'] == sum(
        resp.status_code == 204 for resp in results)


def test_each_consumer_ends_as_its_last_successful_write(placement_on):
    """Threads rewrite, move and delete their own consumers, contending for
    two small providers; in the end each consumer holds what its last
    successful request said, and no provider is over its capacity."""
    first = setup.compute(placement_on, 'first', VCPU=6)
    second = setup.compute(placement_on, 'second', VCPU=4)

    def churn(index):
        rng = random.Random(index)
        consumer = uuidutils.generate_uuid()
        generation, state = None, {}
        for _step in range(6):
            if state and rng.random() < 0.25:
                resp = placement_on.delete('/allocations/%s' % consumer)
                assert resp.status_code == 204, resp.text
                generation, state = None, {}
                continue
            wanted = {rng.choice([first, second]): {'VCPU': rng.randint(1, 2)}}
            resp = _claim(placement_on, consumer, wanted, generation)
            if resp.status_code == 204:
                generation = 1 if generation is None else generation + 1
                state = wanted
            else:
                _assert_lost_cleanly(resp)
        return consumer, state

    final = _race(THREADS, churn)
    used = {first: 0, second: 0}
    for consumer, state in final:
        body = placement_on.get('/allocations/%s' % consumer).json()
        got = {rp: alloc['resources']
               for rp, alloc in body['allocations'].items()}
        assert got == state
        for rp, resources in state.items():
            used[rp] += resources['VCPU']
    assert setup.used(placement_on, first, 'VCPU') == used[first] <= 6
    assert setup.used(placement_on, second, 'VCPU') == used[second] <= 4


def test_reshape_racing_claims_on_the_new_provider(placement_on):
    root = setup.compute(placement_on, 'root', VCPU=8)
    child = setup.provider(placement_on, 'child', parent=root)
    moved = uuidutils.generate_uuid()
    assert _claim(placement_on, moved, {root: {'VCPU': 5}}).status_code == 204
    reshape = {
        'inventories': {
            root: {'resource_provider_generation': 1, 'inventories': {}},
            child: {'resource_provider_generation': 0,
                    'inventories': {'VCPU': {'total': 8}}}},
        'allocations': {moved: {
            'allocations': {child: {'resources': {'VCPU': 5}}},
            'project_id': 'proj', 'user_id': 'user',
            'consumer_generation': 1}},
    }

    def work(index):
        if index == 0:
            return placement_on.post('/reshaper', json=reshape,
                                     microversion='1.30',
                                     headers={'X-Roles': 'service'})
        return _claim(placement_on, uuidutils.generate_uuid(),
                      {child: {'VCPU': 1}})

    results = _race(THREADS, work)
    assert results[0].status_code == 204, results[0].text
    claimed = 0
    for resp in results[1:]:
        if resp.status_code == 204:
            claimed += 1
            continue
        assert resp.status_code == 409, resp.text
        detail, code = _error(resp)
        assert (code == 'placement.concurrent_update' or
                CAPACITY_MESSAGE in detail or
                "Inventory for 'VCPU' on resource provider" in detail)
    assert claimed <= 3
    assert setup.used(placement_on, child, 'VCPU') == 5 + claimed
    assert setup.used(placement_on, root, 'VCPU') == 0
