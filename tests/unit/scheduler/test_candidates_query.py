"""Request spec -> GET /allocation_candidates query (placement_client.candidates)."""

from nova_core.placement_client import candidates
from tests import scheduler_fixtures as sf


def test_flavor_resources():
    spec = sf.request_spec(vcpus=2, memory_mb=1024, root_gb=10,
                           ephemeral_gb=5, swap=1500)
    query = candidates.build_query(spec, 1000)
    assert query == {'resources': 'DISK_GB:17,MEMORY_MB:1024,VCPU:2',
                     'limit': '1000'}


def test_volume_backed_instance_asks_no_root_disk():
    spec = sf.request_spec(root_gb=10, is_bfv=True)
    assert candidates.build_query(spec, 5)['resources'] == 'MEMORY_MB:512,VCPU:1'


def test_extra_specs_resources_and_traits():
    spec = sf.request_spec(extra_specs={
        'resources:VCPU': '0', 'resources:PCPU': '2',
        'resources:CUSTOM_MAGIC': '1',
        'trait:HW_CPU_X86_AVX': 'required',
        'trait:CUSTOM_SLOW': 'forbidden',
        'trait:CUSTOM_IGNORED': 'maybe',
        'hw:cpu_policy': 'dedicated',
    }, image_properties={'trait:HW_CPU_X86_SSE': 'required'})
    query = candidates.build_query(spec, 10)
    assert query['resources'] == ('CUSTOM_MAGIC:1,DISK_GB:1,MEMORY_MB:512,'
                                  'PCPU:2')
    assert query['required'] == 'HW_CPU_X86_AVX,HW_CPU_X86_SSE,!CUSTOM_SLOW'


def test_numbered_groups_and_policy():
    spec = sf.request_spec(extra_specs={
        'resources1:SRIOV_NET_VF': '1', 'trait1:CUSTOM_PHYSNET_A': 'required',
        'resources2:SRIOV_NET_VF': '1',
        'resources_accel:CUSTOM_FPGA': '1',
        'group_policy': 'isolate'})
    query = candidates.build_query(spec, 10)
    assert list(query) == ['resources', 'resources1', 'required1',
                           'resources2', 'resources_accel', 'group_policy',
                           'limit']
    assert query['resources1'] == 'SRIOV_NET_VF:1'
    assert query['required1'] == 'CUSTOM_PHYSNET_A'
    assert query['group_policy'] == 'isolate'


def test_several_groups_without_policy_get_none():
    spec = sf.request_spec(extra_specs={'resources1:VCPU': '1',
                                        'resources2:VCPU': '1'})
    assert candidates.build_query(spec, 10)['group_policy'] == 'none'


def test_destination_aggregates_tree_and_root_traits():
    spec = sf.request_spec(
        requested_destination={'host': 'h1', 'aggregates': ['a,b', 'c']},
        request_level_params={'root_required': ['COMPUTE_STATUS_X'],
                              'root_forbidden': ['COMPUTE_STATUS_DISABLED']})
    query = candidates.build_query(spec, 3, in_tree='tree-uuid')
    assert query['member_of'] == 'in:a,b,c'
    assert query['in_tree'] == 'tree-uuid'
    assert query['root_required'] == 'COMPUTE_STATUS_X,!COMPUTE_STATUS_DISABLED'
    text = candidates.query_string(query)
    assert 'member_of=in:a,b,c' in text
    assert 'root_required=COMPUTE_STATUS_X,!COMPUTE_STATUS_DISABLED' in text


def test_bad_amounts_are_ignored():
    spec = sf.request_spec(extra_specs={'resources:CUSTOM_X': 'many',
                                        'resources:CUSTOM_Y': '-1'})
    assert candidates.build_query(spec, 1)['resources'] == \
        'DISK_GB:1,MEMORY_MB:512,VCPU:1'
