"""Traits and resources from flavor extra specs and image properties: what
the placement query builder makes of them (Nova's syntax)."""

from nova_core.placement_client import candidates
from tests import scheduler_fixtures as sf


def test_flavor_traits_resources_and_groups():
    spec = sf.request_spec(extra_specs={
        'trait:HW_CPU_X86_AVX2': 'required',
        'trait:CUSTOM_SLOW': 'forbidden',
        'resources:CUSTOM_MAGIC': '2',
        'resources1:SRIOV_NET_VF': '1', 'trait1:CUSTOM_PHYSNET_A': 'required',
        'resources_gpu:VGPU': '1',
        'group_policy': 'isolate'})
    query = candidates.build_query(spec, 10)
    assert query['resources'] == \
        'CUSTOM_MAGIC:2,DISK_GB:1,MEMORY_MB:512,VCPU:1'
    assert query['required'] == 'HW_CPU_X86_AVX2,!CUSTOM_SLOW'
    assert query['resources1'] == 'SRIOV_NET_VF:1'
    assert query['required1'] == 'CUSTOM_PHYSNET_A'
    assert query['resources_gpu'] == 'VGPU:1'
    assert query['group_policy'] == 'isolate'


def test_image_requires_traits_of_the_unsuffixed_group_only():
    spec = sf.request_spec(image_properties={
        'trait:HW_CPU_X86_SSE': 'required',
        'trait:CUSTOM_NO': 'forbidden',       # images cannot forbid
        'trait1:CUSTOM_GROUPED': 'required',  # nor address a group
        'resources:VCPU': '8'})               # nor ask for resources
    query = candidates.build_query(spec, 10)
    assert query['required'] == 'HW_CPU_X86_SSE'
    assert query['resources'] == 'DISK_GB:1,MEMORY_MB:512,VCPU:1'
    assert 'required1' not in query


def test_zero_resource_drops_the_class():
    spec = sf.request_spec(extra_specs={'resources:VCPU': '0',
                                        'resources:PCPU': '2'})
    assert candidates.build_query(spec, 1)['resources'] == \
        'DISK_GB:1,MEMORY_MB:512,PCPU:2'
