"""GET /allocation_candidates over HTTP: every parameter, every boundary.

The data is the small cloud of tests.functional.candidate_setup.
"""

import collections

import pytest

from tests.functional.candidate_setup import AGG_A
from tests.functional.candidate_setup import AGG_B
from tests.functional.candidate_setup import build
from tests.functional.candidate_setup import candidates
from tests.functional.candidate_setup import Cloud
from tests.functional.candidate_setup import get
from tests.functional.candidate_setup import UNKNOWN
from tests.functional.candidate_setup import URL
from tests import placement_fixtures


@pytest.fixture
def cloud(placement):
    return build(placement)


def error(placement, query, microversion='1.39', status=400):
    body = get(placement, query, microversion, status).json()
    return body['errors'][0]


# -- route and basics -------------------------------------------------------------

def test_route_exists_from_1_10(placement):
    get(placement, 'resources=VCPU:1', '1.9', status=404)
    get(placement, 'resources=VCPU:1', '1.10')
    assert placement.post(URL, json={}).status_code == 405


def test_only_json_is_offered(placement):
    resp = placement.get(URL + '?resources=VCPU:1',
                         headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


def test_needs_admin(placement):
    resp = placement.get(URL + '?resources=VCPU:1', token='user:project')
    assert resp.status_code == 403


def test_empty_cloud(placement):
    body = get(placement, 'resources=VCPU:1').json()
    assert body == {'allocation_requests': [], 'provider_summaries': {}}


# -- answers -------------------------------------------------------------------------

def test_sharing_and_local_disk(cloud):
    assert candidates(cloud, 'resources=VCPU:1,DISK_GB:10') == [
        [('cn1', 'VCPU', 1), ('ss', 'DISK_GB', 10)],
        [('cn2', 'DISK_GB', 10), ('cn2', 'VCPU', 1)],
        [('cn2', 'VCPU', 1), ('ss', 'DISK_GB', 10)],
    ]


def test_capacity_counts_usage_ratio_reserved_and_max_unit(cloud):
    assert candidates(cloud, 'resources=DISK_GB:91') == [
        [('ss', 'DISK_GB', 91)]]
    assert len(candidates(cloud, 'resources=VCPU:16')) == 1
    cloud.allocate('cn1', {'VCPU': 15})
    assert candidates(cloud, 'resources=VCPU:2') == [
        [('cn2', 'VCPU', 2)]]
    assert candidates(cloud, 'resources=MEMORY_MB:1025') == []


def test_nested_from_1_29(cloud):
    query = 'resources=VCPU:1,SRIOV_NET_VF:2'
    assert candidates(cloud, query, '1.28') == []
    assert candidates(cloud, query, '1.29') == [
        [('cn1', 'VCPU', 1), ('pf1', 'SRIOV_NET_VF', 2)],
        [('cn1', 'VCPU', 1), ('pf2', 'SRIOV_NET_VF', 2)],
    ]
    # Before 1.29 a child may still serve alone; the summaries then only
    # describe the providers used.
    body = get(cloud.client, 'resources=SRIOV_NET_VF:2', '1.28').json()
    assert len(body['allocation_requests']) == 2
    assert {cloud.name(u) for u in body['provider_summaries']} == {
        'pf1', 'pf2'}
    body = get(cloud.client, 'resources=SRIOV_NET_VF:2', '1.29').json()
    assert {cloud.name(u) for u in body['provider_summaries']} == {
        'cn1', 'pf1', 'pf2'}


def test_required_and_forbidden_traits(cloud):
    assert candidates(cloud, 'resources=VCPU:1&required=HW_CPU_X86_SSE') == [
        [('cn1', 'VCPU', 1)]]
    assert candidates(cloud, 'resources=VCPU:1&required=!HW_CPU_X86_SSE',
                      '1.22') == [[('cn2', 'VCPU', 1)]]
    # Unsuffixed traits count on the providers that give resources.
    assert candidates(
        cloud, 'resources=VCPU:1,SRIOV_NET_VF:1&required=CUSTOM_PHYSNET_B'
    ) == [[('cn1', 'VCPU', 1), ('pf2', 'SRIOV_NET_VF', 1)]]


def test_any_of_traits_and_repeated_required_from_1_39(cloud):
    query = 'resources=VCPU:1&required=in:HW_CPU_X86_SSE,CUSTOM_NOPE_NOT'
    assert 'No such trait' in error(cloud.client, query)['detail']
    query = ('resources=VCPU:1,DISK_GB:1&required=in:HW_CPU_X86_SSE,'
             'MISC_SHARES_VIA_AGGREGATE&required=!CUSTOM_FAST')
    assert candidates(cloud, query) == [
        [('cn2', 'VCPU', 1), ('ss', 'DISK_GB', 1)]]
    # Before 1.39 only the last "required" counts.
    query = 'resources=VCPU:1&required=HW_CPU_X86_SSE&required=!CUSTOM_FAST'
    assert candidates(cloud, query, '1.38') == [[('cn2', 'VCPU', 1)]]


def test_member_of(cloud):
    assert candidates(cloud, 'resources=VCPU:1&member_of=%s' % AGG_B,
                      '1.21') == [[('cn2', 'VCPU', 1)]]
    query = 'resources=VCPU:1&member_of=in:%s,%s' % (AGG_B, UNKNOWN)
    assert len(candidates(cloud, query, '1.21')) == 1
    query = 'resources=VCPU:1&member_of=%s&member_of=%s' % (AGG_A, AGG_B)
    assert len(candidates(cloud, query, '1.24')) == 1
    query = 'resources=VCPU:1&member_of=!%s' % AGG_B
    assert candidates(cloud, query, '1.32') == [[('cn1', 'VCPU', 1)]]
    # A child is in its root's aggregates for the unsuffixed group.
    query = 'resources=SRIOV_NET_VF:1&member_of=%s' % AGG_A
    assert len(candidates(cloud, query)) == 2
    query = 'resources1=SRIOV_NET_VF:1&member_of1=%s' % AGG_A
    assert candidates(cloud, query) == []


def test_in_tree(cloud):
    query = 'resources=VCPU:1,DISK_GB:1&in_tree=%s' % cloud.uuids['cn2']
    assert candidates(cloud, query, '1.31') == [
        [('cn2', 'DISK_GB', 1), ('cn2', 'VCPU', 1)]]
    query = 'resources=VCPU:1&in_tree=%s' % cloud.uuids['pf1']
    assert candidates(cloud, query, '1.31') == [[('cn1', 'VCPU', 1)]]
    query = 'resources=VCPU:1&in_tree=%s' % UNKNOWN
    assert candidates(cloud, query, '1.31') == []
    # A granular group pinned to the sharing provider serves every tree.
    query = ('resources=VCPU:1&resources1=DISK_GB:1&in_tree1=%s'
             % cloud.uuids['ss'])
    assert len(candidates(cloud, query, '1.31')) == 2


def test_granular_groups_and_policies(cloud):
    query = 'resources1=SRIOV_NET_VF:1&resources2=SRIOV_NET_VF:1'
    assert candidates(cloud, query + '&group_policy=isolate', '1.25') == []
    assert candidates(cloud, query + '&group_policy=isolate', '1.29') == 2 * [
        [('pf1', 'SRIOV_NET_VF', 1), ('pf2', 'SRIOV_NET_VF', 1)]]
    none = candidates(cloud, query + '&group_policy=none', '1.29')
    assert [('pf1', 'SRIOV_NET_VF', 2)] in none
    assert len(none) == 4


def test_string_suffixes_and_mappings(cloud):
    query = ('resources=VCPU:1&resources_NET=SRIOV_NET_VF:1'
             '&required_NET=CUSTOM_PHYSNET_A')
    body = get(cloud.client, query, '1.34').json()
    (request,) = body['allocation_requests']
    assert request['mappings'] == {'': [cloud.uuids['cn1']],
                                   '_NET': [cloud.uuids['pf1']]}
    body = get(cloud.client, query, '1.33').json()
    assert 'mappings' not in body['allocation_requests'][0]


def test_root_required(cloud):
    query = 'resources=VCPU:1&root_required=CUSTOM_FAST'
    assert candidates(cloud, query, '1.35') == [[('cn1', 'VCPU', 1)]]
    query = 'resources=VCPU:1&root_required=!CUSTOM_FAST'
    assert candidates(cloud, query, '1.35') == [[('cn2', 'VCPU', 1)]]
    # Child traits do not count.
    query = 'resources=SRIOV_NET_VF:1&root_required=CUSTOM_PHYSNET_A'
    assert candidates(cloud, query, '1.35') == []


def test_same_subtree_with_resourceless_group(cloud):
    query = ('resources_NET=SRIOV_NET_VF:1&required_PHYS=CUSTOM_PHYSNET_B'
             '&same_subtree=_NET,_PHYS&group_policy=none')
    body = get(cloud.client, query, '1.36').json()
    assert len(body['allocation_requests']) == 1
    assert body['allocation_requests'][0]['mappings'] == {
        '_NET': [cloud.uuids['pf2']], '_PHYS': [cloud.uuids['pf2']]}


def test_limit(cloud):
    query = 'resources=VCPU:1,DISK_GB:1'
    body = get(cloud.client, query + '&limit=1', '1.16').json()
    assert len(body['allocation_requests']) == 1
    # Summaries only of the trees used.
    used = {uuid for request in body['allocation_requests']
            for uuid in request['allocations']}
    assert set(body['provider_summaries']) == used
    # Repeated: the first counts.
    body = get(cloud.client, query + '&limit=5&limit=1', '1.16').json()
    assert len(body['allocation_requests']) == 3


# -- response format by microversion -------------------------------------------------

def test_list_format_before_1_12(cloud):
    body = get(cloud.client, 'resources=DISK_GB:1', '1.11').json()
    assert {'allocations': [{
        'resource_provider': {'uuid': cloud.uuids['ss']},
        'resources': {'DISK_GB': 1}}]} in body['allocation_requests']
    body = get(cloud.client, 'resources=DISK_GB:1', '1.12').json()
    assert {'allocations': {cloud.uuids['ss']: {
        'resources': {'DISK_GB': 1}}}} in body['allocation_requests']


def test_provider_summaries_by_microversion(cloud):
    cloud.allocate('cn2', {'VCPU': 1})
    cn2 = cloud.uuids['cn2']
    summary = get(cloud.client, 'resources=VCPU:1', '1.16').json()[
        'provider_summaries'][cn2]
    assert summary == {'resources': {'VCPU': {'capacity': 4, 'used': 1}}}
    summary = get(cloud.client, 'resources=VCPU:1', '1.17').json()[
        'provider_summaries'][cn2]
    assert summary == {'resources': {'VCPU': {'capacity': 4, 'used': 1}},
                       'traits': []}
    summary = get(cloud.client, 'resources=VCPU:1', '1.27').json()[
        'provider_summaries'][cn2]
    assert summary['resources'] == {
        'VCPU': {'capacity': 4, 'used': 1},
        'MEMORY_MB': {'capacity': 1024, 'used': 0},
        'DISK_GB': {'capacity': 90, 'used': 0}}
    assert 'root_provider_uuid' not in summary
    summaries = get(cloud.client, 'resources=VCPU:1', '1.29').json()[
        'provider_summaries']
    pf1 = summaries[cloud.uuids['pf1']]
    assert pf1['parent_provider_uuid'] == cloud.uuids['cn1']
    assert pf1['root_provider_uuid'] == cloud.uuids['cn1']
    assert pf1['traits'] == ['CUSTOM_PHYSNET_A']
    assert summaries[cn2]['parent_provider_uuid'] is None


def test_cache_headers_from_1_15(cloud):
    resp = get(cloud.client, 'resources=VCPU:1', '1.14')
    assert 'Last-Modified' not in resp.headers
    assert 'Cache-Control' not in resp.headers
    resp = get(cloud.client, 'resources=VCPU:1', '1.15')
    assert resp.headers['Cache-Control'] == 'no-cache'
    assert resp.headers['Last-Modified'].endswith('GMT')


# -- bad requests ---------------------------------------------------------------------

@pytest.mark.parametrize('query, before, since', [
    ('resources=VCPU:1&limit=1', '1.15', '1.16'),
    ('resources=VCPU:1&required=HW_CPU_X86_SSE', '1.16', '1.17'),
    ('resources=VCPU:1&member_of=%s' % AGG_A, '1.20', '1.21'),
    ('resources1=VCPU:1', '1.24', '1.25'),
    ('resources=VCPU:1&group_policy=none', '1.24', '1.25'),
    ('resources=VCPU:1&in_tree=%s' % UNKNOWN, '1.30', '1.31'),
    ('resources_A=VCPU:1', '1.32', '1.33'),
    ('resources=VCPU:1&root_required=CUSTOM_FAST', '1.34', '1.35'),
    ('resources_A=VCPU:1&required_B=CUSTOM_FAST&same_subtree=_A,_B'
     '&group_policy=none', '1.35', '1.36'),
])
def test_parameters_appear_at_their_microversion(cloud, query, before, since):
    detail = error(cloud.client, query, before)['detail']
    assert 'Invalid query string parameters' in detail
    get(cloud.client, query, since)


@pytest.mark.parametrize('query, microversion, message', [
    ('', '1.10', "'resources' is a required property"),
    ('resources=', '1.10', 'Got: empty string.'),
    ('resources=VCPU', '1.10', 'Badly formed resources parameter'),
    ('resources=VCPU:0', '1.10', 'requires amount >= 1'),
    ('resources=MCPU:1', '1.10',
     'Invalid resource class in resources parameter: No such resource '
     'class MCPU.'),
    ('resources=VCPU:1&limit=0', '1.16', "Failed validating 'pattern'"),
    # The first limit counts: it is checked too (upstream fails with a 500).
    ('resources=VCPU:1&limit=cow&limit=1', '1.16',
     "Failed validating 'pattern'"),
    ('resources=VCPU:1&required=CUSTOM_NOPE', '1.17',
     'No such trait(s): CUSTOM_NOPE.'),
    ('resources=VCPU:1&required=!CUSTOM_FAST', '1.21',
     "Expected 'required' parameter value of the form: "
     "HW_CPU_X86_VMX,CUSTOM_MAGIC."),
    ('resources=VCPU:1&required=CUSTOM_FAST,!CUSTOM_FAST', '1.22',
     'Conflicting required and forbidden traits found in the following '
     'traits keys: required: (CUSTOM_FAST)'),
    ('resources=VCPU:1&required=in:CUSTOM_FAST', '1.38',
     "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since "
     "microversion 1.39."),
    ('resources=VCPU:1&member_of=nope', '1.21',
     "Expected 'member_of' parameter to contain valid UUID(s)."),
    ('resources=VCPU:1&member_of=%s&member_of=%s' % (AGG_A, AGG_B), '1.23',
     'Multiple member_of parameters are not supported'),
    ('resources=VCPU:1&member_of=!%s' % AGG_A, '1.31',
     'Forbidden member_of parameters are not supported in the specified '
     'microversion'),
    ('resources=VCPU:1&in_tree=nope', '1.31',
     "Expected 'in_tree' parameter to be a format of uuid"),
    ('resources1=VCPU:1&resources2=VCPU:1', '1.25',
     'The "group_policy" parameter is required when specifying more than '
     'one "resources{N}" parameter.'),
    ('resources=VCPU:1&group_policy=bogus', '1.25',
     "'bogus' is not one of ['none', 'isolate']"),
    ('required=CUSTOM_FAST&required1=CUSTOM_FAST', '1.25',
     'Found the following orphaned traits keys: required, required1'),
    ('member_of=%s&resources=VCPU:1&member_of1=%s' % (AGG_A, AGG_A), '1.25',
     'Found the following orphaned member_of keys: member_of1'),
    ('resources=VCPU:1&in_tree1=%s' % UNKNOWN, '1.31',
     'All request groups must specify resources.'),
    ('group_policy=none', '1.25',
     'At least one request group (`resources` or `resources{$S}`) is '
     'required.'),
    ('resources01=VCPU:1', '1.25', "does not match any of the regexes"),
])
def test_bad_queries(placement, query, microversion, message):
    assert message in error(placement, query, microversion)['detail']


@pytest.mark.parametrize('query, message, code', [
    ('required_A=CUSTOM_X', 'There must be at least one resources or '
     'resources[$S] parameter.', 'placement.query.missing_value'),
    ('resources=VCPU:1&required_A=CUSTOM_X',
     "Resourceless suffixed group request should be specified in "
     "`same_subtree` query param: bad group(s) - ['_A'].",
     'placement.query.bad_value'),
    ('resources_A=VCPU:1&same_subtree=_A,_B',
     "Real suffixes should be specified in `same_subtree`: ['_B'] not "
     "found in ['_A'].", 'placement.query.bad_value'),
    ('resources_A=VCPU:1&same_subtree=_A,',
     'Empty string (unsuffixed group) can not be specified in '
     '`same_subtree`', 'placement.query.bad_value'),
    ('resources=VCPU:1&root_required=CUSTOM_FAST&root_required=CUSTOM_FAST',
     "Query parameter 'root_required' may be specified only once.",
     'placement.query.duplicate_key'),
    ('resources=VCPU:1&root_required=CUSTOM_FAST,!CUSTOM_FAST',
     'Conflicting required and forbidden traits found in root_required: '
     'CUSTOM_FAST', 'placement.query.bad_value'),
    ('resources=VCPU:1&root_required=in:CUSTOM_FAST',
     "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported",
     'placement.undefined_code'),
])
def test_bad_queries_with_codes(cloud, query, message, code):
    found = error(cloud.client, query)
    assert message in found['detail']
    assert found['code'] == code


def test_unknown_root_trait(cloud):
    detail = error(cloud.client, 'resources=VCPU:1&root_required=!CUSTOM_NO',
                   '1.35')['detail']
    assert 'No such trait(s): CUSTOM_NO' in detail


# -- configuration ---------------------------------------------------------------------

def _client(tmp_path, **overrides):
    url = 'sqlite:///%s' % (tmp_path / 'placement.sqlite')
    return placement_fixtures.placement_client(url, **overrides)


def test_max_allocation_candidates_and_strategy(tmp_path):
    query = 'resources=VCPU:1,SRIOV_NET_VF:1'
    with _client(tmp_path, placement__max_allocation_candidates=2) as client:
        cloud = Cloud(client)
        for n in range(3):
            cloud.provider('cn%d' % n, inventories={'VCPU': {'total': 2}})
            for m in range(2):
                cloud.provider('pf%d%d' % (n, m), parent='cn%d' % n,
                               inventories={'SRIOV_NET_VF': {'total': 2}})
        found = candidates(cloud, query)
        assert len(found) == 2
        # Depth-first: both from the first tree.
        assert {rows[0][0] for rows in found} == {'cn0'}
    with _client(tmp_path, placement__max_allocation_candidates=3,
                 placement__allocation_candidates_generation_strategy=(
                     'breadth-first')) as client:
        cloud.client = client
        found = candidates(cloud, query)
        assert {rows[0][0] for rows in found} == {'cn0', 'cn1', 'cn2'}


def test_randomized_limit(tmp_path):
    with _client(tmp_path,
                 placement__randomize_allocation_candidates=True) as client:
        cloud = Cloud(client)
        for n in range(6):
            cloud.provider('cn%d' % n, inventories={'VCPU': {'total': 2}})
        seen = collections.Counter(
            candidates(cloud, 'resources=VCPU:1&limit=1')[0][0][0]
            for _ in range(30))
        assert len(seen) > 1


def test_provider_moved_under_a_younger_parent(placement):
    cloud = Cloud(placement)
    old = cloud.provider('old', inventories={'SRIOV_NET_VF': {'total': 2}})
    young = cloud.provider('young', inventories={'VCPU': {'total': 2}})
    resp = placement.put('/resource_providers/%s' % old, json={
        'name': 'old', 'parent_provider_uuid': young}, microversion='1.37')
    assert resp.status_code == 200, resp.text
    assert candidates(cloud, 'resources=VCPU:1,SRIOV_NET_VF:1') == [
        [('old', 'SRIOV_NET_VF', 1), ('young', 'VCPU', 1)]]
    summary = get(placement, 'resources=SRIOV_NET_VF:1').json()[
        'provider_summaries'][old]
    assert summary['parent_provider_uuid'] == young
    assert summary['root_provider_uuid'] == young
