"""Inventory capacity and its check, without a database."""

import pytest

from nova_core import exception
from nova_core.placement.objects import inventory as inv_obj
from nova_core.placement.objects import resource_provider as rp_obj

Inventory = inv_obj.Inventory


def test_capacity_check():
    provider = rp_obj.Provider(*([None] * len(rp_obj.Provider._fields)))
    full = [Inventory('VCPU', 4, reserved=4)]
    with pytest.raises(exception.InvalidInventoryCapacity):
        inv_obj.check_capacity(provider, full, reserved_can_be_total=False)
    inv_obj.check_capacity(provider, full, reserved_can_be_total=True)
    with pytest.raises(
            exception.InvalidInventoryCapacityReservedCanBeTotal):
        inv_obj.check_capacity(provider, [Inventory('VCPU', 4, reserved=5)],
                               reserved_can_be_total=True)
    assert Inventory('VCPU', 10, reserved=2, allocation_ratio=1.5
                     ).capacity == 12
