"""GET /resource_providers: its filters and their microversions."""

import pytest

from nova_core.placement.objects import resource_provider as rp_obj
from tests.functional import provider_setup as setup

AGG1 = 'a1a1a1a1-0000-4000-8000-000000000001'
AGG2 = 'a1a1a1a1-0000-4000-8000-000000000002'
AGG3 = 'a1a1a1a1-0000-4000-8000-000000000003'
NOWHERE = 'a1a1a1a1-0000-4000-8000-0000000000ff'


def _error(resp):
    return resp.json()['errors'][0]['detail']


def _refused(placement, query, microversion=None):
    resp = placement.get('/resource_providers?' + query,
                         microversion=microversion)
    assert resp.status_code == 400, resp.text
    return _error(resp)


@pytest.fixture
def aggs(placement):
    """rp1 in AGG1+AGG2, rp2 in AGG2, rp3 in AGG3, rp4 in none."""
    for name, members in (('rp1', [AGG1, AGG2]), ('rp2', [AGG2]),
                          ('rp3', [AGG3]), ('rp4', [])):
        uuid = setup.provider(placement, name)
        setup.aggregates(placement, uuid, members)
    return placement


def test_empty_list_has_cache_headers_from_1_15(placement):
    resp = placement.get('/resource_providers', microversion='1.15')
    assert resp.json() == {'resource_providers': []}
    assert resp.headers['Last-Modified'].endswith(' GMT')
    assert resp.headers['Cache-Control'] == 'no-cache'
    resp = placement.get('/resource_providers', microversion='1.14')
    assert 'Last-Modified' not in resp.headers


def test_filter_by_name_and_uuid(placement):
    uuid = setup.provider(placement, 'one')
    setup.provider(placement, 'two')
    assert setup.listed(placement, 'name=one') == ['one']
    assert setup.listed(placement, 'uuid=%s' % uuid) == ['one']
    assert setup.listed(placement, 'name=two&uuid=%s' % uuid) == []
    assert setup.listed(placement, 'name=nobody') == []


@pytest.mark.parametrize('query', ['uuid=spameggs', 'spam=eggs',
                                   'in_tree=spameggs'])
def test_invalid_query(placement, query):
    assert 'Invalid query string parameters' in _refused(placement, query)


@pytest.mark.parametrize('query, version', [
    ('member_of=%s' % AGG1, '1.2'), ('resources=VCPU:1', '1.3'),
    ('in_tree=%s' % AGG1, '1.13'), ('required=HW_CPU_X86_AVX', '1.17')])
def test_filters_before_their_microversion(placement, query, version):
    assert 'Additional properties are not allowed' in _refused(
        placement, query, version)


def test_member_of(aggs):
    assert setup.listed(aggs, 'member_of=%s' % AGG2) == ['rp1', 'rp2']
    assert setup.listed(aggs, 'member_of=in:%s,%s' % (AGG1, AGG3)) == [
        'rp1', 'rp3']
    assert setup.listed(aggs, 'member_of=%s' % NOWHERE) == []
    assert setup.listed(aggs, 'member_of=in:%s,%s' % (NOWHERE, AGG3)) == [
        'rp3']


def test_member_of_repeated_is_anded_from_1_24(aggs):
    query = 'member_of=%s&member_of=in:%s,%s' % (AGG2, AGG1, AGG3)
    assert setup.listed(aggs, query) == ['rp1']
    assert 'Multiple member_of parameters are not supported' in _refused(
        aggs, query, '1.23')


def test_member_of_forbidden_from_1_32(aggs):
    assert setup.listed(aggs, 'member_of=!%s' % AGG2) == ['rp3', 'rp4']
    assert setup.listed(aggs, 'member_of=!in:%s,%s' % (AGG1, AGG3)) == [
        'rp2', 'rp4']
    assert setup.listed(aggs, 'member_of=%s&member_of=!%s' % (
        AGG2, AGG1)) == ['rp2']
    assert setup.listed(aggs, 'member_of=!%s' % NOWHERE) == [
        'rp1', 'rp2', 'rp3', 'rp4']
    assert 'Forbidden member_of parameters are not supported' in _refused(
        aggs, 'member_of=!%s' % AGG1, '1.31')


@pytest.mark.parametrize('value', ['nope', '!nope', 'in:%s,nope' % AGG1,
                                   'in:', '%s,%s' % (AGG1, AGG2)])
def test_member_of_malformed(aggs, value):
    assert 'member_of' in _refused(aggs, 'member_of=' + value)


def test_in_tree_lists_the_whole_tree(placement):
    root = setup.provider(placement, 'root')
    child = setup.provider(placement, 'child', parent=root)
    setup.provider(placement, 'grandchild', parent=child)
    setup.provider(placement, 'other root')
    everyone = ['child', 'grandchild', 'root']
    assert setup.listed(placement, 'in_tree=%s' % root) == everyone
    assert setup.listed(placement, 'in_tree=%s' % child) == everyone
    assert setup.listed(placement, 'in_tree=%s' % NOWHERE) == []
    assert setup.listed(placement, 'in_tree=%s&name=child' % root) == [
        'child']


@pytest.fixture
def traited(placement):
    for name, traits in (('avx', ['HW_CPU_X86_AVX']),
                         ('avx-gold', ['HW_CPU_X86_AVX', 'CUSTOM_GOLD']),
                         ('sse', ['HW_CPU_X86_SSE']),
                         ('bare', [])):
        setup.traits(placement, setup.provider(placement, name), traits)
    return placement


def test_required_traits(traited):
    assert setup.listed(traited, 'required=HW_CPU_X86_AVX') == [
        'avx', 'avx-gold']
    assert setup.listed(traited, 'required=HW_CPU_X86_AVX,CUSTOM_GOLD') == [
        'avx-gold']
    assert setup.listed(traited, 'required=HW_CPU_X86_SSE,CUSTOM_GOLD') == []


def test_forbidden_traits_from_1_22(traited):
    assert setup.listed(traited, 'required=!HW_CPU_X86_AVX') == [
        'bare', 'sse']
    assert setup.listed(traited, 'required=HW_CPU_X86_AVX,!CUSTOM_GOLD') == [
        'avx']
    assert "Got: !CUSTOM_GOLD" in _refused(
        traited, 'required=!CUSTOM_GOLD', '1.21')


def test_any_of_and_repeated_required_from_1_39(traited):
    query = 'required=in:HW_CPU_X86_SSE,CUSTOM_GOLD'
    assert setup.listed(traited, query) == ['avx-gold', 'sse']
    query += '&required=!HW_CPU_X86_AVX'
    assert setup.listed(traited, query) == ['sse']
    assert 'only supported since microversion 1.39' in _refused(
        traited, 'required=in:HW_CPU_X86_SSE', '1.38')


def test_repeated_required_before_1_39_keeps_the_last(traited):
    query = 'required=HW_CPU_X86_SSE&required=CUSTOM_GOLD'
    assert setup.listed(traited, query, microversion='1.38') == ['avx-gold']
    assert setup.listed(traited, query) == []


@pytest.mark.parametrize('query', ['required=CUSTOM_NOPE',
                                   'required=!CUSTOM_NOPE',
                                   'required=in:CUSTOM_NOPE,HW_CPU_X86_AVX'])
def test_unknown_trait(traited, query):
    assert ('Invalid trait(s) in "required" parameter: No such trait(s): '
            'CUSTOM_NOPE.') in _refused(traited, query)


@pytest.mark.parametrize('value', ['', 'A,,B', 'in:A,!B'])
def test_required_malformed(traited, value):
    assert "Invalid query string parameters" in _refused(
        traited, 'required=' + value)


def test_resources_capacity(placement):
    def make(name, **inventory):
        uuid = setup.provider(placement, name)
        setup.inventory(placement, uuid, 'VCPU', **inventory)
        return uuid

    make('plain', total=4)
    make('reserved', total=4, reserved=3)
    make('overcommitted', total=4, allocation_ratio=2.0)
    setup.usage(placement, make('used', total=4), 'VCPU', 3)
    make('max 1', total=4, max_unit=1)
    make('min 3', total=4, min_unit=3)
    make('step 2', total=4, step_size=2)
    setup.provider(placement, 'no inventory')
    assert setup.listed(placement, 'resources=VCPU:1') == [
        'max 1', 'overcommitted', 'plain', 'reserved', 'used']
    assert setup.listed(placement, 'resources=VCPU:2') == [
        'overcommitted', 'plain', 'step 2']
    assert setup.listed(placement, 'resources=VCPU:3') == [
        'min 3', 'overcommitted', 'plain']
    assert setup.listed(placement, 'resources=VCPU:5') == []
    assert setup.listed(placement, 'resources=VCPU:8') == []


def test_resources_usage_sums_every_consumer(placement):
    uuid = setup.provider(placement, 'rp')
    setup.inventory(placement, uuid, 'VCPU', total=4)
    setup.usage(placement, uuid, 'VCPU', 1)
    setup.usage(placement, uuid, 'VCPU', 2)
    assert setup.listed(placement, 'resources=VCPU:1') == ['rp']
    assert setup.listed(placement, 'resources=VCPU:2') == []


def test_resources_every_class_from_the_provider_itself(placement):
    both = setup.provider(placement, 'both')
    setup.inventory(placement, both, 'VCPU', total=4)
    setup.inventory(placement, both, 'MEMORY_MB', total=1024)
    parent = setup.provider(placement, 'parent')
    setup.inventory(placement, parent, 'VCPU', total=4)
    child = setup.provider(placement, 'child', parent=parent)
    setup.inventory(placement, child, 'MEMORY_MB', total=1024)
    assert setup.listed(placement, 'resources=VCPU:1,MEMORY_MB:512') == [
        'both']
    assert setup.listed(placement, 'resources=MEMORY_MB:512') == [
        'both', 'child']


def test_resources_with_other_filters(placement):
    one = setup.provider(placement, 'one')
    two = setup.provider(placement, 'two')
    for uuid in (one, two):
        setup.inventory(placement, uuid, 'VCPU', total=4)
    setup.aggregates(placement, one, [AGG1])
    setup.traits(placement, two, ['HW_CPU_X86_AVX'])
    assert setup.listed(placement, 'resources=VCPU:1&member_of=%s'
                        % AGG1) == ['one']
    assert setup.listed(placement, 'resources=VCPU:1&required=HW_CPU_X86_AVX'
                        ) == ['two']


@pytest.mark.parametrize('longest_sql_list', [0, 1, 1000])
def test_resources_however_many_providers_have_room(placement, monkeypatch,
                                                   longest_sql_list):
    # Many able providers are filtered in Python rather than listed in SQL.
    monkeypatch.setattr(rp_obj, '_MAX_ID_LIST', longest_sql_list)
    for name, total in (('a', 4), ('b', 1), ('c', 4)):
        uuid = setup.provider(placement, name)
        setup.inventory(placement, uuid, 'VCPU', total=total)
        setup.traits(placement, uuid, ['HW_CPU_X86_AVX'])
    assert setup.listed(placement, 'resources=VCPU:2') == ['a', 'c']
    assert setup.listed(placement, 'resources=VCPU:2&name=c') == ['c']
    assert setup.listed(placement, 'resources=VCPU:1&required='
                        'HW_CPU_X86_AVX') == ['a', 'b', 'c']
    assert setup.listed(placement, 'resources=VCPU:9') == []


def test_unknown_resource_class(placement):
    assert ('Invalid resource class in resources parameter: No such '
            'resource class CUSTOM_NOPE.') in _refused(
                placement, 'resources=CUSTOM_NOPE:1')


@pytest.mark.parametrize('value, message', [
    ('', 'Got: empty string.'), ('VCPU', 'Got: VCPU.'),
    ('VCPU:x', 'expected positive integer amount. Got: x.'),
    ('VCPU:0', 'requires amount >= 1. Got: 0.')])
def test_resources_malformed(placement, value, message):
    assert message in _refused(placement, 'resources=' + value)


def test_list_is_oldest_first_with_newest_last_modified(placement):
    names = ['c', 'a', 'b']
    for name in names:
        setup.provider(placement, name)
    resp = placement.get('/resource_providers')
    assert [rp['name'] for rp in resp.json()['resource_providers']] == names
    newest = placement.get('/resource_providers/%s' % resp.json()[
        'resource_providers'][-1]['uuid'])
    assert resp.headers['Last-Modified'] == newest.headers['Last-Modified']
