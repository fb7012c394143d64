"""ProviderTree: the local model of a node's providers."""

import pytest

from nova_core.virt import provider_tree

ROOT = '0f1c6c8e-0000-4000-8000-000000000001'


def test_build_read_and_round_trip():
    tree = provider_tree.ProviderTree()
    tree.new_root('cn', ROOT)
    child = tree.new_child('cn_a', 'cn')
    grand = tree.new_child('cn_a_x', child)
    tree.update_inventory(child, {'VCPU': {'total': 4}})
    tree.add_traits('cn', 'CUSTOM_A', 'CUSTOM_B')
    tree.remove_traits('cn', 'CUSTOM_B')
    assert tree.traits('cn') == {'CUSTOM_A'}
    assert tree.subtree('cn') == [ROOT, child, grand]
    records = tree.to_list()
    assert [r['uuid'] for r in records] == [ROOT, child, grand]
    assert records[1]['parent_provider_uuid'] == ROOT
    again = provider_tree.ProviderTree.from_list(list(reversed(records)))
    assert again.to_list() == records
    assert tree.copy().to_list() == records


def test_duplicates_and_unknowns_are_refused():
    tree = provider_tree.ProviderTree()
    tree.new_root('cn', ROOT)
    with pytest.raises(ValueError):
        tree.new_root('cn', ROOT)
    with pytest.raises(ValueError):
        tree.new_child('cn', ROOT)
    with pytest.raises(KeyError):
        tree.inventory('nope')
    with pytest.raises(ValueError):
        provider_tree.ProviderTree.from_list([
            {'uuid': 'x', 'name': 'x', 'parent_provider_uuid': 'missing'}])


def test_remove_takes_descendants():
    tree = provider_tree.ProviderTree()
    tree.new_root('cn', ROOT)
    child = tree.new_child('cn_a', 'cn')
    tree.new_child('cn_a_x', child)
    tree.remove(child)
    assert tree.to_list()[0]['uuid'] == ROOT and len(tree.to_list()) == 1
    assert tree.ensure_child('cn_b', 'cn') == tree.ensure_child('cn_b', 'cn')
