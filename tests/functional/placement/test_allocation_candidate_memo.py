"""GET /allocation_candidates keeps parsed queries and Accept verdicts.

The handler keeps what it parsed of a valid query (by query string and
microversion) and whether an Accept header prefers the compact form (by
header and microversion); refusals are never kept, so a bad query or an
unacceptable Accept is refused every time, and a query asked again at
another microversion is parsed for that one.
"""

import pytest

from nova_core.api import microversion
from nova_core.api import wsgi
from nova_core.placement.handlers import allocation_candidate as handler
from nova_core.placement.handlers import render
from nova_core.placement_client import answer
from tests.functional.candidate_setup import build
from tests.functional.candidate_setup import URL


@pytest.fixture
def cloud(placement):
    handler._QUERIES.clear()
    handler._COMPACT_VERDICTS.clear()
    return build(placement)


def get(placement, query, microversion='1.39', accept='application/json'):
    return placement.get('%s?%s' % (URL, query), microversion=microversion,
                         headers={'Accept': accept})


def test_the_same_answers_asked_again(cloud, placement):
    for query in ('resources=VCPU:1', 'resources=VCPU:1&limit=1',
                  'resources1=VCPU:1&resources2=SRIOV_NET_VF:1'
                  '&group_policy=none'):
        for accept in ('application/json', answer.ACCEPT):
            first = get(placement, query, accept=accept)
            again = get(placement, query, accept=accept)
            assert first.status_code == again.status_code == 200
            assert first.content == again.content
            assert first.headers['Content-Type'] == \
                again.headers['Content-Type']


def test_microversions_are_parsed_apart(cloud, placement):
    query = 'resources=VCPU:1'
    new = get(placement, query).json()
    old = get(placement, query, microversion='1.10').json()
    assert isinstance(old['allocation_requests'][0]['allocations'], list)
    assert isinstance(new['allocation_requests'][0]['allocations'], dict)
    assert 'mappings' in new['allocation_requests'][0]
    # Before 1.33 suffixes are numbers: _NIC is no group.
    query = 'resources_NIC=SRIOV_NET_VF:1'
    assert get(placement, query).status_code == 200
    assert get(placement, query, microversion='1.32').status_code == 400
    assert get(placement, query).status_code == 200


def test_refusals_are_not_kept(cloud, placement):
    for query in ('resources=VCPU:x', 'resources1=VCPU:1&resources2=VCPU:1',
                  'resources=CUSTOM_NOPE:1'):
        for _ in range(2):
            assert get(placement, query).status_code == 400
    for _ in range(2):
        resp = get(placement, 'resources=VCPU:1', microversion='1.33',
                   accept=handler.COMPACT)
        assert resp.status_code == 406
    resp = get(placement, 'resources=VCPU:1', accept=handler.COMPACT)
    assert resp.headers['Content-Type'] == handler.COMPACT


def test_memos_stay_bounded(cloud, placement, monkeypatch):
    monkeypatch.setattr(handler, '_MEMO_MAX', 3)
    for amount in range(1, 8):
        assert get(placement, 'resources=VCPU:%d' % amount).status_code \
            == 200
        assert len(handler._QUERIES) <= 3


def test_json_bytes_matches_json():
    """The response of a serialised body is json()'s with that body."""
    for version in ((1, 10), (1, 39)):
        req = wsgi.Request.blank('/')
        req.environ[wsgi.ENV_MICROVERSION] = microversion.Version(*version)
        expected = render.json(req, {'x': 1})
        got = render.json_bytes(req, b'{"x": 1}')
        assert got.status == expected.status
        assert got.body == expected.body
        # Last-Modified is "now": equal but for the clock's second.
        assert [k for k, _v in got.headerlist] == \
            [k for k, _v in expected.headerlist]
        assert [(k, v) for k, v in got.headerlist if k != 'Last-Modified'] \
            == [(k, v) for k, v in expected.headerlist
                if k != 'Last-Modified']
        assert ('Last-Modified' in got.headers) == (version >= (1, 15))
