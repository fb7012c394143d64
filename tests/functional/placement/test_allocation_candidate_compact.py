"""GET /allocation_candidates in nova_core's compact form: the same answer.

Every query below is asked twice, in upstream's JSON and in the compact
form, and the compact one, read by the scheduler's reader
(``placement_client.answer``), must say exactly what the JSON says: the
same requests under the same roots, the same mappings and summaries. The
data is the small cloud of tests.functional.candidate_setup (a tree with
children, local disk, a sharing provider, aggregates, traits).
"""

import array

import pytest

from nova_core.placement.handlers import allocation_candidate as handler
from nova_core.placement_client import answer
from tests.functional.candidate_setup import AGG_B
from tests.functional.candidate_setup import build
from tests.functional.candidate_setup import URL

QUERIES = [
    'resources=VCPU:1',
    'resources=VCPU:1,DISK_GB:10',
    'resources=VCPU:1,SRIOV_NET_VF:1',
    'resources=VCPU:1,SRIOV_NET_VF:1&required=CUSTOM_PHYSNET_B',
    'resources=VCPU:1&limit=1',
    'resources=VCPU:1&member_of=%s' % AGG_B,
    'resources=VCPU:1&required=!HW_CPU_X86_SSE',
    'resources1=VCPU:1&resources2=SRIOV_NET_VF:1&group_policy=none',
    'resources1=VCPU:1&resources2=SRIOV_NET_VF:1&resources3=DISK_GB:5'
    '&group_policy=isolate',
    'resources=VCPU:1&resources_x=SRIOV_NET_VF:1&group_policy=none',
    'resources=MEMORY_MB:1025',      # nothing fits
    'resources=DISK_GB:5',
]


@pytest.fixture
def cloud(placement):
    cloud = build(placement)
    cloud.allocate('cn1', {'VCPU': 3, 'MEMORY_MB': 512})
    return cloud


def ask(placement, query, accept, microversion='1.39'):
    resp = placement.get('%s?%s' % (URL, query), microversion=microversion,
                         headers={'Accept': accept})
    assert resp.status_code == 200, resp.text
    return resp


def both(placement, query, microversion='1.39'):
    plain = ask(placement, query, 'application/json', microversion)
    assert not answer.is_compact(plain)
    compact = ask(placement, query, answer.ACCEPT, microversion)
    assert answer.is_compact(compact)
    return (answer.Candidates.from_json(plain.json(), {}),
            answer.Candidates.from_compact(compact.content, {}),
            plain.json())


def as_data(found):
    return {
        'count': len(found),
        'by_root': {root: found.by_root[root] for root in found.by_root},
        'roots': list(found.by_root),
        'summaries': {uuid: found.summaries[uuid]
                      for uuid in found.summaries},
    }


@pytest.mark.parametrize('query', QUERIES)
def test_the_compact_form_says_what_the_json_says(cloud, placement, query):
    plain, compact, body = both(placement, query)
    expected, got = as_data(plain), as_data(compact)
    assert got['count'] == expected['count'] == len(
        body['allocation_requests'])
    assert got['roots'] == expected['roots']
    assert got['by_root'] == expected['by_root']
    assert got['summaries'] == expected['summaries'] == {
        uuid: summary for uuid, summary in body['provider_summaries'].items()}
    for uuid in plain.summaries:
        assert plain.summaries.root_of(uuid) == compact.summaries.root_of(
            uuid)
        # The compact figures: (class number, capacity, used) triples of
        # the same numbers, as native int64 bytes.
        flat = array.array('q', compact.summaries.figures(uuid))
        resources = plain.summaries.figures(uuid)
        assert sorted(flat[1::3]) == sorted(
            r['capacity'] for r in resources.values())
        assert sorted(flat[2::3]) == sorted(
            r['used'] for r in resources.values())
    # Every request of the JSON is somewhere in the compact answer.
    requests = [r for rs in got['by_root'].values() for r in rs]
    for request in body['allocation_requests']:
        assert request in requests


def test_a_sharing_request_is_under_both_roots(cloud, placement):
    _plain, compact, _body = both(placement, 'resources=VCPU:1,DISK_GB:10')
    ss = cloud.uuids['ss']
    assert ss in compact.by_root
    shared = [r for r in compact.by_root[ss]
              if cloud.uuids['cn1'] in r['allocations']]
    assert shared and shared[0] in compact.by_root[cloud.uuids['cn1']]


def test_figures_change_with_usage(cloud, placement):
    _p, before, _b = both(placement, 'resources=VCPU:1')
    cloud.allocate('cn2', {'VCPU': 1})
    _p, after, _b = both(placement, 'resources=VCPU:1')
    cn1, cn2 = cloud.uuids['cn1'], cloud.uuids['cn2']
    assert before.summaries.figures(cn1) == after.summaries.figures(cn1)
    assert before.summaries.figures(cn2) != after.summaries.figures(cn2)


def test_consecutive_answers_share_what_did_not_change(cloud, placement):
    """The next answer of the same providers reuses the last one's decoded
    uuids and index, and names the providers whose figures changed; what
    it says is still what its JSON says."""
    query = 'resources=VCPU:1'
    _p, before, _b = both(placement, query)
    _p, same, _b = both(placement, query)
    assert same.summaries.changed_since(before.summaries) == set()
    cloud.allocate('cn2', {'VCPU': 1, 'DISK_GB': 1})
    plain, after, _b = both(placement, query)
    assert after.summaries._c.uuids is before.summaries._c.uuids
    assert after.summaries.changed_since(same.summaries) == {
        cloud.uuids['cn2']}
    assert after.summaries.changed_since(before.summaries) == {
        cloud.uuids['cn2']}
    assert as_data(after) == as_data(plain)
    for uuid in after.summaries:
        assert after.summaries.figures(uuid) == (
            after.summaries.figures_of()(uuid))
    # Another answer (other providers): nothing shared, no diff.
    _p, other, _b = both(placement, 'resources=DISK_GB:5')
    assert other.summaries.changed_since(after.summaries) is None
    assert as_data(other) == as_data(_p)
    # Upstream's JSON says nothing about what changed.
    assert plain.summaries.changed_since(before.summaries) is None


def test_json_unless_the_compact_form_is_preferred(cloud, placement):
    query = 'resources=VCPU:1'
    for accept in ('application/json', '*/*',
                   '%s;q=0.4, application/json' % handler.COMPACT):
        assert not answer.is_compact(ask(placement, query, accept))
    for accept in (handler.COMPACT, answer.ACCEPT):
        resp = ask(placement, query, accept)
        assert resp.headers['Content-Type'] == handler.COMPACT
    # Other types: 406, as before.
    resp = placement.get(URL + '?' + query, microversion='1.39',
                         headers={'Accept': 'text/plain'})
    assert resp.status_code == 406


def test_json_before_1_34(cloud, placement):
    resp = ask(placement, 'resources=VCPU:1', answer.ACCEPT, '1.33')
    assert not answer.is_compact(resp)
    assert resp.json()['allocation_requests']
    resp = placement.get(URL + '?resources=VCPU:1', microversion='1.33',
                         headers={'Accept': handler.COMPACT})
    assert resp.status_code == 406


def test_errors_stay_json(cloud, placement):
    resp = placement.get(URL + '?resources=VCPU:x', microversion='1.39',
                         headers={'Accept': answer.ACCEPT})
    assert resp.status_code == 400
    assert resp.json()['errors'][0]['status'] == 400


def test_empty_cloud(placement):
    found = answer.Candidates.from_compact(
        ask(placement, 'resources=VCPU:1', answer.ACCEPT).content, {})
    assert len(found) == 0
    assert not found.by_root and not found.summaries


def test_a_body_that_is_not_compact_is_refused(cloud, placement):
    with pytest.raises(ValueError):
        answer.Candidates.from_compact(b'{"allocation_requests": []}', {})
    content = ask(placement, 'resources=VCPU:1', answer.ACCEPT).content
    answer.Candidates.from_compact(content, {})
    for cut in (content[:-1], content + b'\0'):
        with pytest.raises(ValueError):
            answer.Candidates.from_compact(cut, {})
