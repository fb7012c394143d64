"""Providers and aggregates on SQLite, MariaDB and PostgreSQL, incl. races."""

import concurrent.futures
import threading

from oslo_utils import uuidutils

from tests.functional import provider_setup as setup

AGG1 = 'c3c3c3c3-0000-4000-8000-000000000001'
AGG2 = 'c3c3c3c3-0000-4000-8000-000000000002'


def test_list_filters_together(placement_on):
    client = placement_on
    root = setup.provider(client, 'root')
    child = setup.provider(client, 'child', parent=root)
    other = setup.provider(client, 'other')
    for uuid, total, ratio in ((root, 4, 1.0), (child, 4, 1.5),
                               (other, 8, 1.0)):
        setup.inventory(client, uuid, 'VCPU', total, allocation_ratio=ratio)
    setup.usage(client, child, 'VCPU', 2)
    setup.aggregates(client, root, [AGG1])
    setup.aggregates(client, child, [AGG1, AGG2])
    setup.traits(client, child, ['HW_CPU_X86_AVX', 'CUSTOM_FAST'])
    setup.traits(client, other, ['HW_CPU_X86_SSE'])

    assert setup.listed(client, 'resources=VCPU:4') == [
        'child', 'other', 'root']
    assert setup.listed(client, 'resources=VCPU:5') == ['other']
    assert setup.listed(client, 'in_tree=%s&resources=VCPU:3' % child) == [
        'child', 'root']
    assert setup.listed(client, 'member_of=%s&member_of=!%s' % (
        AGG1, AGG2)) == ['root']
    assert setup.listed(client, 'required=in:HW_CPU_X86_SSE,CUSTOM_FAST'
                        '&required=!HW_CPU_X86_AVX') == ['other']
    assert setup.listed(client, 'required=CUSTOM_FAST&member_of=%s'
                        '&resources=VCPU:4&in_tree=%s' % (AGG2, root)) == [
        'child']


def test_unknown_names_are_400(placement_on):
    resp = placement_on.get('/resource_providers?resources=CUSTOM_NOPE:1')
    assert resp.status_code == 400
    resp = placement_on.get('/resource_providers?required=CUSTOM_NOPE')
    assert resp.status_code == 400


def test_reparent_and_refusals(placement_on):
    client = placement_on
    a = setup.provider(client, 'a')
    b = setup.provider(client, 'b')
    child = setup.provider(client, 'child', parent=a)
    leaf = setup.provider(client, 'leaf', parent=child)
    resp = client.put('/resource_providers/%s' % a, json={
        'name': 'a', 'parent_provider_uuid': leaf})
    assert resp.status_code == 400
    resp = client.put('/resource_providers/%s' % child, json={
        'name': 'child', 'parent_provider_uuid': b})
    assert resp.status_code == 200
    assert setup.listed(client, 'in_tree=%s' % b) == ['b', 'child', 'leaf']
    assert client.delete('/resource_providers/%s' % b).status_code == 409
    resp = client.put('/resource_providers/%s' % leaf, json={'name': 'a'})
    assert resp.status_code == 409
    assert resp.json()['errors'][0]['code'] == 'placement.duplicate_name'


def test_delete_in_use_and_delete(placement_on):
    client = placement_on
    uuid = setup.provider(client, 'rp')
    setup.inventory(client, uuid, 'VCPU', 4)
    setup.aggregates(client, uuid, [AGG1])
    setup.traits(client, uuid, ['HW_CPU_X86_AVX'])
    setup.usage(client, uuid, 'VCPU', 1)
    resp = client.delete('/resource_providers/%s' % uuid)
    assert resp.status_code == 409
    assert setup.generation(client, uuid) == 2
    with client.app.database.engine.begin() as conn:
        conn.exec_driver_sql('DELETE FROM allocations')
    assert client.delete('/resource_providers/%s' % uuid).status_code == 204
    assert setup.count(client, 'resource_provider_aggregates') == 0
    assert setup.count(client, 'resource_provider_traits') == 0
    assert setup.count(client, 'inventories') == 0


def test_aggregates_generation(placement_on):
    client = placement_on
    uuid = setup.provider(client, 'rp')
    url = '/resource_providers/%s/aggregates' % uuid
    resp = client.put(url, json={'aggregates': [AGG1, AGG2],
                                 'resource_provider_generation': 0})
    assert resp.json()['resource_provider_generation'] == 1
    resp = client.put(url, json={'aggregates': [],
                                 'resource_provider_generation': 0})
    assert resp.status_code == 409
    assert sorted(client.get(url).json()['aggregates']) == [AGG1, AGG2]


def _together(count, func):
    """Run func(i) for i in range(count) in threads released at once."""
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        return func(index)

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_racing_creators_of_one_aggregate(placement_on):
    """Providers joining one new aggregate at once all succeed."""
    client = placement_on
    providers = [setup.provider(client, 'rp%d' % i) for i in range(6)]
    for _round in range(5):
        agg = uuidutils.generate_uuid()
        statuses = _together(len(providers), lambda i: client.put(
            '/resource_providers/%s/aggregates' % providers[i],
            microversion='1.18', json=[agg]).status_code)
        assert statuses == [200] * len(providers)
        assert setup.count(client, 'placement_aggregates', uuid=agg) == 1
        assert setup.listed(client, 'member_of=%s' % agg) == sorted(
            'rp%d' % i for i in range(6))


def test_racing_writers_of_one_generation(placement_on):
    """Of clients that saw the same generation, exactly one wins."""
    client = placement_on
    uuid = setup.provider(client, 'rp')
    aggs = [uuidutils.generate_uuid() for _ in range(4)]
    responses = _together(len(aggs), lambda i: client.put(
        '/resource_providers/%s/aggregates' % uuid,
        json={'aggregates': [aggs[i]], 'resource_provider_generation': 0}))
    statuses = sorted(resp.status_code for resp in responses)
    assert statuses == [200] + [409] * (len(aggs) - 1)
    winner = next(r for r in responses if r.status_code == 200)
    assert client.get('/resource_providers/%s/aggregates' % uuid).json() == {
        'aggregates': winner.json()['aggregates'],
        'resource_provider_generation': 1}


def _check_trees(client):
    """Every provider's root is what following its parents gives."""
    providers = {rp['uuid']: rp for rp in client.get(
        '/resource_providers').json()['resource_providers']}
    for rp in providers.values():
        seen, current = set(), rp
        while current['parent_provider_uuid'] is not None:
            assert current['uuid'] not in seen, 'loop through %s' % rp['name']
            seen.add(current['uuid'])
            current = providers[current['parent_provider_uuid']]
        assert rp['root_provider_uuid'] == current['uuid'], rp['name']


def _put_parent(client, uuid, name, parent):
    return client.put('/resource_providers/%s' % uuid, json={
        'name': name, 'parent_provider_uuid': parent}).status_code


def test_racing_reparentings_make_no_loop(placement_on):
    """A under B and B under A at once: one of them must fail."""
    client = placement_on
    a = setup.provider(client, 'a')
    b = setup.provider(client, 'b')
    setup.provider(client, 'a child', parent=a)
    for _round in range(8):
        statuses = _together(2, lambda i: _put_parent(
            client, *((a, 'a', b) if i == 0 else (b, 'b', a))))
        assert sorted(statuses) in ([200, 400], [200, 409]), statuses
        _check_trees(client)
        for uuid, name in ((a, 'a'), (b, 'b')):
            assert _put_parent(client, uuid, name, None) == 200


def test_child_created_while_its_parent_moves(placement_on):
    """A new child ends in the tree its parent ends in."""
    client = placement_on
    a = setup.provider(client, 'a')
    b = setup.provider(client, 'b')
    for round_ in range(8):
        def work(i, round_=round_):
            if i == 0:
                return _put_parent(client, a, 'a', b)
            return client.post('/resource_providers', json={
                'name': 'child %d' % round_,
                'parent_provider_uuid': a}).status_code
        statuses = _together(2, work)
        assert statuses[0] in (200, 409) and statuses[1] == 200, statuses
        _check_trees(client)
        assert _put_parent(client, a, 'a', None) == 200
        _check_trees(client)
