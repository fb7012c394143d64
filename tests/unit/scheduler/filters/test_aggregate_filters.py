"""The aggregate metadata filters."""

import pytest

from nova_core.scheduler.filters import aggregate_image_properties_isolation
from nova_core.scheduler.filters import aggregate_instance_extra_specs as aies
from nova_core.scheduler.filters import aggregate_metadata
from nova_core.scheduler.filters import aggregate_multitenancy_isolation as ami
from nova_core.scheduler.filters import type_filter
from tests import scheduler_fixtures as sf


@pytest.fixture
def conf():
    return sf.make_conf()


def _host(*metadatas):
    return sf.host_state(aggregates=[
        {'id': i, 'name': 'agg%d' % i, 'hosts': ['host1'],
         'metadata': dict(md)} for i, md in enumerate(metadatas)])


def test_metadata_by_key_merges_and_splits():
    host = _host({'k': 'a, b', 'x': '1'}, {'k': 'c'})
    assert aggregate_metadata.metadata_by_key(host) == {
        'k': {'a', 'b', 'c'}, 'x': {'1'}}
    assert aggregate_metadata.values_of(host, 'k') == {'a', 'b', 'c'}
    assert aggregate_metadata.values_of(host, 'nope') == set()
    assert aggregate_metadata.values_of(sf.host_state(), 'k') == set()


def test_min_int_ignores_bad_values():
    host = _host({'n': '5'}, {'n': 'x'}, {'n': '3'})
    assert aggregate_metadata.min_int(host, 'n', 9) == 3
    assert aggregate_metadata.min_int(_host({'n': 'x'}), 'n', 9) == 9
    assert aggregate_metadata.min_int(sf.host_state(), 'n', 9) == 9


# -- AggregateImagePropertiesIsolation --------------------------------------

@pytest.mark.parametrize('metadata, props, passes', [
    ({}, {'os_distro': 'windows'}, True),
    ({'os_distro': 'windows'}, {}, True),
    ({'os_distro': 'windows'}, {'os_distro': 'windows'}, True),
    ({'os_distro': 'windows'}, {'os_distro': 'linux'}, False),
    ({'os_distro': 'windows,linux'}, {'os_distro': 'linux'}, True),
    ({'os_distro': 'windows'}, {'hw_architecture': 'x86_64'}, True),
    ({'hw_vif_multiqueue_enabled': 'True'},
     {'hw_vif_multiqueue_enabled': True}, True),
])
def test_image_properties_isolation(conf, metadata, props, passes):
    f = aggregate_image_properties_isolation.\
        AggregateImagePropertiesIsolation(conf)
    spec = sf.request_spec(image_properties=props)
    assert f.host_passes(_host(metadata), spec) is passes


def test_image_properties_isolation_namespace():
    conf = sf.make_conf(
        filter_scheduler__aggregate_image_properties_isolation_namespace='ns',
        filter_scheduler__aggregate_image_properties_isolation_separator=':')
    f = aggregate_image_properties_isolation.\
        AggregateImagePropertiesIsolation(conf)
    host = _host({'ns:os_distro': 'windows', 'os_type': 'windows'})
    # os_type is outside the namespace: not compared.
    assert f.host_passes(host, sf.request_spec(image_properties={
        'os_type': 'linux', 'ns:os_distro': 'windows'}))
    spec = sf.request_spec(image_properties={'ns:os_distro': 'linux'})
    assert not f.host_passes(host, spec)
    assert f.why(host, spec) == ("image property ns:os_distro='linux' is "
                                 "not among the aggregate values windows")


def test_image_properties_isolation_defaults(conf):
    group = conf.filter_scheduler
    assert group.aggregate_image_properties_isolation_namespace is None
    assert group.aggregate_image_properties_isolation_separator == '.'


# -- AggregateInstanceExtraSpecsFilter --------------------------------------

@pytest.mark.parametrize('metadata, extra_specs, passes', [
    ({}, {}, True),
    ({'ssd': 'true'}, {}, True),
    ({'ssd': 'true'}, {'aggregate_instance_extra_specs:ssd': 'true'}, True),
    ({'ssd': 'true'}, {'ssd': 'true'}, True),                  # unscoped
    ({'ssd': 'false'}, {'aggregate_instance_extra_specs:ssd': 'true'}, False),
    ({}, {'aggregate_instance_extra_specs:ssd': 'true'}, False),  # missing
    ({'ssd': 'true,false'}, {'ssd': 'false'}, True),
    ({'gpus': '4'}, {'gpus': '>= 2'}, True),
    ({'gpus': '1'}, {'gpus': '>= 2'}, False),
    ({'hv': 'kvm'}, {'hv': '<or> xen <or> kvm'}, True),
    # other scopes are someone else's
    ({}, {'hw:cpu_policy': 'dedicated', 'trait:HW_X': 'required',
          'capabilities:hypervisor_type': 'fake',
          'resources:VCPU': '1', 'group_policy': 'none'}, True),
])
def test_instance_extra_specs(conf, metadata, extra_specs, passes):
    f = aies.AggregateInstanceExtraSpecsFilter(conf)
    spec = sf.request_spec(extra_specs=extra_specs)
    assert f.host_passes(_host(metadata), spec) is passes


def test_instance_extra_specs_why(conf):
    f = aies.AggregateInstanceExtraSpecsFilter(conf)
    spec = sf.request_spec(extra_specs={'ssd': 'true'})
    assert f.why(_host({}), spec) == (
        "extra spec ssd='true': no aggregate of the host sets it")
    assert f.why(_host({'ssd': 'false'}), spec) == (
        "extra spec ssd='true': aggregates have false")


# -- AggregateMultiTenancyIsolation -------------------------------------------

@pytest.mark.parametrize('metadatas, project, passes', [
    ((), 'p1', True),
    (({'other': 'x'},), 'p1', True),
    (({'filter_tenant_id': 'p1'},), 'p1', True),
    (({'filter_tenant_id': 'p1'},), 'p2', False),
    (({'filter_tenant_id': 'p1,p2'},), 'p2', True),
    (({'filter_tenant_id': 'p1', 'filter_tenant_id_2': 'p3'},), 'p3', True),
    (({'filter_tenant_id': 'p1'}, {'filter_tenant_id': 'p2'}), 'p2', True),
    (({'filter_tenant_id': 'p1'}, {}), 'p9', False),
])
def test_multitenancy_isolation(conf, metadatas, project, passes):
    f = ami.AggregateMultiTenancyIsolation(conf)
    spec = sf.request_spec(project_id=project)
    host = _host(*metadatas)
    assert f.host_passes(host, spec) is passes
    if not passes:
        assert f.why(host, spec).startswith('host reserved for project(s) p1')


# -- AggregateTypeAffinityFilter ----------------------------------------------

@pytest.mark.parametrize('metadatas, passes', [
    ((), True),
    (({'instance_type': 'f1'},), True),
    (({'instance_type': 'm1.small, f1'},), True),
    (({'instance_type': 'm1.small'},), False),
    (({'instance_type': 'm1.small'}, {'instance_type': 'f1'}), True),
])
def test_type_affinity(conf, metadatas, passes):
    f = type_filter.AggregateTypeAffinityFilter(conf)
    spec = sf.request_spec()    # flavor name f1
    host = _host(*metadatas)
    assert f.host_passes(host, spec) is passes
    if not passes:
        assert f.why(host, spec) == (
            'host aggregates allow flavor(s) m1.small, not f1')
