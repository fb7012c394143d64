"""The conn-level inventory functions, as the reshaper uses them, on every backend."""

import pytest

from nova_core import context
from nova_core import exception
from nova_core.placement.db import api as db
from nova_core.placement.objects import inventory as inv_obj
from nova_core.placement.objects import resource_provider as rp_obj
from tests.functional import usage_setup as setup

Inventory = inv_obj.Inventory


def _ctx(client):
    return context.get_admin_context(db=client.app.database)


def _totals(client, uuid):
    body = client.get('/resource_providers/%s/inventories' % uuid).json()
    return body['resource_provider_generation'], {
        rc: inv['total'] for rc, inv in body['inventories'].items()}


def test_several_providers_in_one_transaction(placement_on):
    parent = setup.provider(placement_on, 'parent')
    child = setup.provider(placement_on, 'child')
    ctx = _ctx(placement_on)
    with db.writer(ctx) as conn:
        first = rp_obj.load_by_uuid(conn, parent)
        first = inv_obj.replace_for_provider(
            conn, first, [Inventory('VCPU', 8), Inventory('DISK_GB', 100)])
        first = inv_obj.merge_for_provider(conn, first,
                                           [Inventory('VCPU', 16)])
        second = rp_obj.load_by_uuid(conn, child)
        second = inv_obj.replace_for_provider(
            conn, second, [Inventory('SRIOV_NET_VF', 4, reserved=1)])
        assert [inv.resource_class for inv in
                inv_obj.load_for_provider(conn, first)] == ['DISK_GB', 'VCPU']
    assert first.generation == 2 and second.generation == 1
    assert _totals(placement_on, parent) == (2, {'VCPU': 16, 'DISK_GB': 100})
    assert _totals(placement_on, child) == (1, {'SRIOV_NET_VF': 4})


def test_failure_rolls_back_every_provider(placement_on):
    one = setup.provider(placement_on, 'one')
    two = setup.provider(placement_on, 'two')
    placement_on.put('/resource_providers/%s/inventories' % two, json={
        'resource_provider_generation': 0,
        'inventories': {'VCPU': {'total': 4}}})
    setup.allocate(placement_on, two, {'VCPU': 1})
    ctx = _ctx(placement_on)
    with pytest.raises(exception.InventoryInUse):
        with db.writer(ctx) as conn:
            provider = rp_obj.load_by_uuid(conn, one)
            inv_obj.replace_for_provider(conn, provider,
                                         [Inventory('VCPU', 8)])
            provider = rp_obj.load_by_uuid(conn, two)
            inv_obj.replace_for_provider(conn, provider, [])
    assert _totals(placement_on, one) == (0, {})
    assert _totals(placement_on, two)[1] == {'VCPU': 4}


def test_stale_provider_record_is_a_conflict(placement_on):
    uuid = setup.provider(placement_on, 'rp')
    ctx = _ctx(placement_on)
    stale = rp_obj.get_by_uuid(ctx, uuid)
    placement_on.put('/resource_providers/%s/inventories' % uuid, json={
        'resource_provider_generation': 0,
        'inventories': {'VCPU': {'total': 4}}})
    with pytest.raises(exception.ResourceProviderConcurrentUpdateDetected):
        with db.writer(ctx) as conn:
            inv_obj.replace_for_provider(conn, stale, [Inventory('VCPU', 8)])
    assert _totals(placement_on, uuid) == (1, {'VCPU': 4})


def test_unknown_class_writes_nothing(placement_on):
    uuid = setup.provider(placement_on, 'rp')
    ctx = _ctx(placement_on)
    with pytest.raises(exception.ResourceClassNotFound):
        with db.writer(ctx) as conn:
            provider = rp_obj.load_by_uuid(conn, uuid)
            inv_obj.merge_for_provider(conn, provider, [
                Inventory('VCPU', 8), Inventory('CUSTOM_MISSING', 1)])
    assert _totals(placement_on, uuid) == (0, {})

