"""placement_client.providers against an in-process placement on SQLite."""

import pytest

from nova_core import exception
from nova_core.placement_client import providers

ROOT = '5b0c1d7e-0000-4000-8000-000000000001'
CHILD = '5b0c1d7e-0000-4000-8000-000000000002'
CONSUMER = '5b0c1d7e-0000-4000-8000-0000000000c1'


def _inv(total, reserved=0, ratio=1.0):
    return {'total': total, 'reserved': reserved, 'min_unit': 1,
            'max_unit': total, 'step_size': 1, 'allocation_ratio': ratio}


def test_ensure_provider_creates_once(client, placement):
    cache = providers.ProviderCache()
    rec = providers.ensure_provider(None, client, cache, ROOT, 'cn1')
    assert rec['uuid'] == ROOT and rec['generation'] == 0
    again = providers.ensure_provider(None, client, providers.ProviderCache(),
                                      ROOT, 'cn1')
    assert again['uuid'] == ROOT
    assert len(placement.get('/resource_providers').json()[
        'resource_providers']) == 1


def test_ensure_provider_renames(client, placement):
    providers.ensure_provider(None, client, providers.ProviderCache(),
                              ROOT, 'old')
    providers.ensure_provider(None, client, providers.ProviderCache(),
                              ROOT, 'new')
    assert placement.get('/resource_providers/%s' % ROOT).json()[
        'name'] == 'new'


def test_set_inventories_retries_on_generation_conflict(client, placement):
    cache = providers.ProviderCache()
    providers.ensure_provider(None, client, cache, ROOT, 'cn1')
    # Someone else bumps the generation behind the cache's back.
    resp = placement.put('/resource_providers/%s/traits' % ROOT, json={
        'traits': ['HW_CPU_X86_AVX2'], 'resource_provider_generation': 0})
    assert resp.status_code == 200
    gen = providers.set_inventories(None, client, cache, ROOT,
                                    {'VCPU': _inv(8, 1, 4.0)})
    assert gen == 2
    body = placement.get('/resource_providers/%s/inventories' % ROOT).json()
    assert body['inventories']['VCPU']['allocation_ratio'] == 4.0
    assert body['inventories']['VCPU']['reserved'] == 1


def test_set_traits_creates_custom_traits(client, placement):
    cache = providers.ProviderCache()
    providers.ensure_provider(None, client, cache, ROOT, 'cn1')
    providers.set_traits(None, client, cache, ROOT,
                         ['CUSTOM_FAST', 'HW_CPU_X86_AVX2'])
    traits = placement.get('/resource_providers/%s/traits' % ROOT).json()
    assert sorted(traits['traits']) == ['CUSTOM_FAST', 'HW_CPU_X86_AVX2']


def test_sync_tree_creates_updates_and_deletes_children(client, placement):
    cache = providers.ProviderCache()
    desired = [
        {'uuid': ROOT, 'name': 'cn1', 'parent_provider_uuid': None,
         'inventories': {'DISK_GB': _inv(100)}, 'traits': ['CUSTOM_A']},
        {'uuid': CHILD, 'name': 'cn1_NUMA0', 'parent_provider_uuid': ROOT,
         'inventories': {'VCPU': _inv(4)}, 'traits': []},
    ]
    assert providers.read_tree(None, client, cache, ROOT) == []
    providers.sync_tree(None, client, cache, ROOT, desired)
    listed = placement.get('/resource_providers?in_tree=%s' % ROOT).json()[
        'resource_providers']
    assert {r['uuid'] for r in listed} == {ROOT, CHILD}
    tree = providers.read_tree(None, client, providers.ProviderCache(), ROOT)
    assert [r['uuid'] for r in tree] == [ROOT, CHILD]
    assert tree[0]['traits'] == ['CUSTOM_A']
    assert tree[1]['inventories']['VCPU']['total'] == 4

    # Unchanged: no write at all (generations stay).
    gens = {r['uuid']: r['generation'] for r in tree}
    providers.read_tree(None, client, cache, ROOT)
    providers.sync_tree(None, client, cache, ROOT, desired)
    tree = providers.read_tree(None, client, cache, ROOT)
    assert {r['uuid']: r['generation'] for r in tree} == gens

    # The child goes away.
    providers.sync_tree(None, client, cache, ROOT, desired[:1])
    listed = placement.get('/resource_providers?in_tree=%s' % ROOT).json()[
        'resource_providers']
    assert [r['uuid'] for r in listed] == [ROOT]


def test_read_tree_sees_changes_by_others(client, placement):
    cache = providers.ProviderCache()
    providers.sync_tree(None, client, cache, ROOT, [
        {'uuid': ROOT, 'name': 'cn1', 'parent_provider_uuid': None,
         'inventories': {'VCPU': _inv(8)}, 'traits': []}])
    gen = placement.get('/resource_providers/%s' % ROOT).json()['generation']
    inv = _inv(8, ratio=2.0)
    placement.put('/resource_providers/%s/inventories' % ROOT, json={
        'resource_provider_generation': gen, 'inventories': {'VCPU': inv}})
    tree = providers.read_tree(None, client, cache, ROOT)
    assert tree[0]['inventories']['VCPU']['allocation_ratio'] == 2.0


def test_get_aggregates(client, placement):
    cache = providers.ProviderCache()
    providers.ensure_provider(None, client, cache, ROOT, 'cn1')
    agg = '5b0c1d7e-0000-4000-8000-0000000000a1'
    placement.put('/resource_providers/%s/aggregates' % ROOT, json={
        'aggregates': [agg], 'resource_provider_generation': 0})
    assert providers.get_aggregates(None, client, cache, ROOT) == [agg]


def test_delete_allocation_for_instance(client, placement):
    cache = providers.ProviderCache()
    providers.sync_tree(None, client, cache, ROOT, [
        {'uuid': ROOT, 'name': 'cn1', 'parent_provider_uuid': None,
         'inventories': {'VCPU': _inv(8)}, 'traits': []}])
    resp = placement.put('/allocations/%s' % CONSUMER, json={
        'allocations': {ROOT: {'resources': {'VCPU': 2}}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
        microversion='1.28')
    assert resp.status_code == 204, resp.text
    assert providers.delete_allocation_for_instance(None, client, CONSUMER)
    assert not providers.delete_allocation_for_instance(None, client,
                                                        CONSUMER)
    usages = placement.get('/resource_providers/%s/usages' % ROOT).json()
    assert usages['usages']['VCPU'] == 0


def test_inventory_in_use_is_reported(client, placement):
    cache = providers.ProviderCache()
    providers.sync_tree(None, client, cache, ROOT, [
        {'uuid': ROOT, 'name': 'cn1', 'parent_provider_uuid': None,
         'inventories': {'VCPU': _inv(8)}, 'traits': []}])
    placement.put('/allocations/%s' % CONSUMER, json={
        'allocations': {ROOT: {'resources': {'VCPU': 2}}},
        'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
        microversion='1.28')
    with pytest.raises(exception.PlacementAPIError):
        providers.set_inventories(None, client, cache, ROOT, {})
