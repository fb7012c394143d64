"""Request pre-filters: each one's constraints, and the query they make."""

import pytest

from nova_core.placement_client import candidates
from nova_core.scheduler import request_filters
from nova_core.scheduler.request_filters import availability_zone
from nova_core.scheduler.request_filters import compute_status
from nova_core.scheduler.request_filters import image_type
from nova_core.scheduler.request_filters import isolated_aggregates
from nova_core.scheduler.request_filters import tenant_aggregate
from tests import scheduler_fixtures as sf

AGGREGATES = [
    {'uuid': 'az1-a', 'name': 'az1-a', 'hosts': ['h1'],
     'metadata': {'availability_zone': 'az1'}},
    {'uuid': 'az1-b', 'name': 'az1-b', 'hosts': ['h2'],
     'metadata': {'availability_zone': 'az1', 'filter_tenant_id': 'p1'}},
    {'uuid': 'az2', 'name': 'az2', 'hosts': ['h3'],
     'metadata': {'availability_zone': 'az2'}},
    {'uuid': 'tenants', 'name': 'tenants', 'hosts': ['h4'],
     'metadata': {'filter_tenant_id2': 'p2, p3', 'filter_tenant_idx': 'p1'}},
    {'uuid': 'gpu', 'name': 'gpu', 'hosts': ['h5'],
     'metadata': {'trait:CUSTOM_GPU': 'required'}},
]


def run(spec, conf=None, aggregates=AGGREGATES, **overrides):
    conf = conf or sf.make_conf(**overrides)
    return request_filters.process(conf, None, spec, lambda: aggregates)


def level(spec):
    return spec['request_level_params']


def test_defaults_forbid_disabled_computes_only():
    spec = sf.request_spec()
    records = run(spec)
    assert records == [{'name': 'compute_status',
                        'added': 'root_forbidden COMPUTE_STATUS_DISABLED'}]
    assert level(spec)['root_forbidden'] == ['COMPUTE_STATUS_DISABLED']
    query = candidates.build_query(spec, 10)
    assert query['root_required'] == '!COMPUTE_STATUS_DISABLED'
    assert 'member_of' not in query


def test_aggregates_are_read_once_and_only_when_needed():
    reads = []

    def aggregates():
        reads.append(1)
        return AGGREGATES

    request_filters.process(sf.make_conf(), None, sf.request_spec(),
                            aggregates)
    assert reads == []         # no zone, no tenant isolation: no read
    conf = sf.make_conf(scheduler__limit_tenants_to_placement_aggregate=True)
    request_filters.process(conf, None, sf.request_spec(
        availability_zone='az1', project_id='p1'), aggregates)
    assert reads == [1]        # two pre-filters, one read


# -- availability zone --------------------------------------------------------

def test_zone_becomes_member_of():
    spec = sf.request_spec(availability_zone='az1')
    records = run(spec)
    assert level(spec)['member_of'] == [['az1-a', 'az1-b']]
    assert records[0] == {'name': 'availability_zone',
                          'added': 'member_of in:az1-a,az1-b (zone az1)'}
    assert candidates.build_query(spec, 5)['member_of'] == 'in:az1-a,az1-b'


def test_zone_with_forced_host_suffix():
    spec = sf.request_spec(availability_zone='az2:h3')
    run(spec)
    assert level(spec)['member_of'] == [['az2']]


def test_default_zone_avoids_other_zones():
    spec = sf.request_spec(availability_zone='nova')
    run(spec)
    assert level(spec)['forbidden_aggregates'] == ['az1-a', 'az1-b', 'az2']
    assert candidates.build_query(spec, 5)['member_of'] == \
        '!in:az1-a,az1-b,az2'


def test_default_zone_without_zones_adds_nothing():
    spec = sf.request_spec(availability_zone='nova')
    run(spec, aggregates=[])
    assert 'forbidden_aggregates' not in level(spec)


def test_unknown_zone_is_refused():
    with pytest.raises(request_filters.Refused) as caught:
        run(sf.request_spec(availability_zone='mars'))
    assert caught.value.refused_by == 'availability_zone'
    assert 'mars' in str(caught.value)


def test_zone_filter_can_be_turned_off():
    spec = sf.request_spec(availability_zone='az1')
    run(spec, scheduler__query_placement_for_availability_zone=False)
    assert 'member_of' not in level(spec)


# -- tenant isolation ---------------------------------------------------------

@pytest.mark.parametrize('project, expected', [
    ('p1', ['az1-b', 'tenants']), ('p3', ['tenants'])])
def test_tenant_aggregates(project, expected):
    spec = sf.request_spec(project_id=project)
    run(spec, scheduler__limit_tenants_to_placement_aggregate=True)
    assert level(spec)['member_of'] == [expected]


def test_tenant_without_aggregate_goes_anywhere_or_nowhere():
    spec = sf.request_spec(project_id='lonely')
    run(spec, scheduler__limit_tenants_to_placement_aggregate=True)
    assert 'member_of' not in level(spec)
    with pytest.raises(request_filters.Refused) as caught:
        run(sf.request_spec(project_id='lonely'),
            scheduler__limit_tenants_to_placement_aggregate=True,
            scheduler__placement_aggregate_required_for_tenants=True)
    assert caught.value.refused_by == 'tenant_aggregate'


def test_tenant_off_by_default():
    spec = sf.request_spec(project_id='p1')
    run(spec)
    assert 'member_of' not in level(spec)


def test_zone_and_tenant_are_both_required():
    spec = sf.request_spec(project_id='p1', availability_zone='az1')
    run(spec, scheduler__limit_tenants_to_placement_aggregate=True)
    assert level(spec)['member_of'] == [['az1-b', 'tenants'],
                                        ['az1-a', 'az1-b']]
    query = candidates.build_query(spec, 5)
    assert query['member_of'] == ['in:az1-b,tenants', 'in:az1-a,az1-b']
    text = candidates.query_string(query)
    assert 'member_of=in:az1-b,tenants&member_of=in:az1-a,az1-b' in text


# -- image type ---------------------------------------------------------------

@pytest.mark.parametrize('image, trait', [
    ({'disk_format': 'qcow2'}, 'COMPUTE_IMAGE_TYPE_QCOW2'),
    ({'properties': {'disk_format': 'raw'}}, 'COMPUTE_IMAGE_TYPE_RAW'),
])
def test_image_type_trait(image, trait):
    spec = sf.request_spec()
    spec['image'].update(image)
    run(spec, scheduler__query_placement_for_image_type_support=True)
    assert level(spec)['root_required'] == [trait]
    assert candidates.build_query(spec, 1)['root_required'] == \
        trait + ',!COMPUTE_STATUS_DISABLED'


def test_image_type_off_by_default_and_not_for_volumes():
    spec = sf.request_spec()
    spec['image']['disk_format'] = 'qcow2'
    run(spec)
    assert level(spec)['root_required'] == []
    spec = sf.request_spec(is_bfv=True)
    spec['image']['disk_format'] = 'qcow2'
    run(spec, scheduler__query_placement_for_image_type_support=True)
    assert level(spec)['root_required'] == []


# -- isolated aggregates ------------------------------------------------------

def test_isolated_aggregate_avoided_unless_trait_requested():
    spec = sf.request_spec()
    run(spec, scheduler__enable_isolated_aggregate_filtering=True)
    assert level(spec)['forbidden_aggregates'] == ['gpu']
    spec = sf.request_spec(extra_specs={'trait:CUSTOM_GPU': 'required'})
    run(spec, scheduler__enable_isolated_aggregate_filtering=True)
    assert 'forbidden_aggregates' not in level(spec)
    spec = sf.request_spec(image_properties={'trait:CUSTOM_GPU': 'required'})
    run(spec, scheduler__enable_isolated_aggregate_filtering=True)
    assert 'forbidden_aggregates' not in level(spec)


# -- the contract -------------------------------------------------------------

def test_every_prefilter_follows_the_contract():
    conf = sf.make_conf()
    for module in (availability_zone, compute_status, image_type,
                   isolated_aggregates, tenant_aggregate):
        assert module in request_filters.ALL
        assert isinstance(module.NAME, str)
        assert module.enabled(conf) in (True, False)


def test_spec_without_request_level_params():
    spec = sf.request_spec()
    del spec['request_level_params']
    run(spec)
    assert level(spec) == {'root_forbidden': ['COMPUTE_STATUS_DISABLED']}
