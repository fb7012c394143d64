"""The five filters of issue 4 and the filter contract."""

import pytest

from nova_core import loading
from nova_core.scheduler import filters
from nova_core.scheduler.filters import affinity_filter
from nova_core.scheduler.filters import anti_affinity_filter
from nova_core.scheduler.filters import compute_capabilities_filter as ccf
from nova_core.scheduler.filters import compute_filter
from nova_core.scheduler.filters import image_properties_filter as ipf
from tests import scheduler_fixtures as sf


@pytest.fixture
def conf():
    return sf.make_conf()


# -- ComputeFilter ----------------------------------------------------------------

def test_compute_filter(conf):
    f = compute_filter.ComputeFilter(conf)
    spec = sf.request_spec()
    assert f.host_passes(sf.host_state(), spec)
    down = sf.host_state(service_up=False)
    assert not f.host_passes(down, spec)
    assert 'down' in f.why(down, spec)
    off = sf.host_state(disabled=True, disabled_reason='maintenance')
    assert not f.host_passes(off, spec)
    assert f.why(off, spec) == 'compute service disabled (maintenance)'


# -- ComputeCapabilitiesFilter ----------------------------------------------------

@pytest.mark.parametrize('extra_specs, passes', [
    ({}, True),
    ({'capabilities:hypervisor_type': 'fake'}, True),
    ({'capabilities:hypervisor_type': 'kvm'}, False),
    ({'capabilities:hypervisor_type': '<or> kvm <or> fake'}, True),
    ({'hypervisor_type': 's== fake'}, True),           # unscoped
    ({'capabilities:hypervisor_version': '>= 1000'}, True),
    ({'capabilities:hypervisor_version': '>= 1001'}, False),
    ({'capabilities:cpu_info:arch': 'x86_64'}, True),   # nested dict
    ({'capabilities:cpu_info:features': '<in> avx'}, True),
    ({'capabilities:cpu_info:vendor': 'Intel'}, False),  # missing
    ({'capabilities:gpu': '= 2'}, True),                # from stats
    ({'gpu': '= 3'}, False),
    ({'capabilities:nothing': 'x'}, False),
    # other scopes and placement's keys are not capabilities
    ({'resources:VCPU': '0', 'trait:HW_X': 'required', 'hw:cpu_policy':
      'dedicated', 'group_policy': 'none'}, True),
])
def test_compute_capabilities_filter(conf, extra_specs, passes):
    host = sf.host_state(cpu_info={'arch': 'x86_64',
                                   'features': ['sse', 'avx']},
                         stats={'gpu': '2'})
    spec = sf.request_spec(extra_specs=extra_specs)
    f = ccf.ComputeCapabilitiesFilter(conf)
    assert f.host_passes(host, spec) is passes


def test_compute_capabilities_reads_json_text(conf):
    host = sf.host_state(cpu_info='{"arch": "aarch64"}')
    f = ccf.ComputeCapabilitiesFilter(conf)
    assert f.host_passes(host, sf.request_spec(
        extra_specs={'capabilities:cpu_info:arch': 'aarch64'}))


def test_compute_capabilities_why(conf):
    f = ccf.ComputeCapabilitiesFilter(conf)
    host = sf.host_state()
    spec = sf.request_spec(extra_specs={'capabilities:hypervisor_type': 'kvm'})
    assert f.why(host, spec) == ("extra spec capabilities:hypervisor_type="
                                 "'kvm': host has 'fake'")
    spec = sf.request_spec(extra_specs={'capabilities:foo': 'bar'})
    assert 'no such capability' in f.why(host, spec)


# -- ImagePropertiesFilter --------------------------------------------------------

@pytest.mark.parametrize('props, passes', [
    ({}, True),
    ({'hw_architecture': 'x86_64'}, True),
    ({'hw_architecture': 'amd64'}, True),                 # alias
    ({'architecture': 'aarch64'}, False),                 # old name
    ({'img_hv_type': 'fake', 'hw_vm_mode': 'hvm'}, True),
    ({'img_hv_type': 'kvm'}, False),
    ({'hw_vm_mode': 'xen'}, False),
    ({'img_hv_requested_version': '>=1.0'}, True),
    ({'img_hv_requested_version': '>=6.0'}, False),
    ({'img_hv_requested_version': '>=0.9,<1.1'}, True),
    ({'img_hv_requested_version': '<1.0'}, False),
])
def test_image_properties_filter(conf, props, passes):
    # hypervisor_version 1000 is Nova's encoding of "1.0".
    host = sf.host_state(hypervisor_version=1000)
    f = ipf.ImagePropertiesFilter(conf)
    assert f.host_passes(
        host, sf.request_spec(image_properties=props)) is passes


def test_image_properties_host_without_supported_instances(conf):
    f = ipf.ImagePropertiesFilter(conf)
    host = sf.host_state(supported_instances=())
    assert f.host_passes(host, sf.request_spec())
    spec = sf.request_spec(image_properties={'hw_architecture': 'x86_64'})
    assert not f.host_passes(host, spec)
    assert f.why(host, spec) == 'host reports no supported instances'


def test_image_properties_default_architecture(conf):
    conf.set_override('image_properties_default_architecture', 'aarch64',
                      group='filter_scheduler')
    f = ipf.ImagePropertiesFilter(conf)
    assert not f.host_passes(sf.host_state(), sf.request_spec())
    arm = sf.host_state(supported_instances=[('aarch64', 'fake', 'hvm')])
    assert f.host_passes(arm, sf.request_spec())


def test_version_satisfies():
    assert ipf.version_satisfies(6001002, '>=6.1')
    assert ipf.version_satisfies(6001002, '==6.1.2')
    assert not ipf.version_satisfies(6001002, '>6.1.2')
    assert ipf.version_satisfies(6001002, '>=6,<7')
    assert not ipf.version_satisfies(6001002, 'nonsense')


# -- server groups ------------------------------------------------------------------

def test_affinity_filter(conf):
    f = affinity_filter.ServerGroupAffinityFilter(conf)
    h1, h2 = sf.host_state('h1'), sf.host_state('h2')
    assert f.host_passes(h1, sf.request_spec())          # no group
    first = sf.request_spec(instance_group=sf.instance_group('affinity'))
    assert f.host_passes(h1, first) and f.host_passes(h2, first)
    group = sf.instance_group('affinity', members=['a'], hosts=['h1'])
    spec = sf.request_spec(instance_group=group)
    assert f.host_passes(h1, spec)
    assert not f.host_passes(h2, spec)
    assert f.why(h2, spec) == 'server group %s (affinity) lives on h1' % (
        group['uuid'])
    # an anti-affinity group is not this filter's business
    anti = sf.request_spec(instance_group=sf.instance_group(
        'anti-affinity', members=['a'], hosts=['h1']))
    assert f.host_passes(h2, anti)


def test_anti_affinity_filter(conf):
    f = anti_affinity_filter.ServerGroupAntiAffinityFilter(conf)
    h1 = sf.host_state('h1', instances=['a'])
    h2 = sf.host_state('h2', instances=['other'])
    group = sf.instance_group('anti-affinity', members=['a', 'b'],
                              hosts=['h1'])
    spec = sf.request_spec(instance_group=group)
    assert not f.host_passes(h1, spec)
    assert f.host_passes(h2, spec)
    assert 'already holds 1 member(s), max_server_per_host is 1' in f.why(
        h1, spec)
    # the group's hosts count even when the host state lists no member
    assert not f.host_passes(sf.host_state('h1'), spec)


def test_anti_affinity_max_server_per_host(conf):
    f = anti_affinity_filter.ServerGroupAntiAffinityFilter(conf)
    group = sf.instance_group('anti-affinity', members=['a', 'b', 'c'],
                              hosts=['h1'],
                              rules={'max_server_per_host': 2})
    spec = sf.request_spec(instance_group=group)
    assert f.host_passes(sf.host_state('h1', instances=['a']), spec)
    assert not f.host_passes(sf.host_state('h1', instances=['a', 'b']), spec)


# -- the contract -----------------------------------------------------------------

def test_run_filters_records_and_stops_when_empty(conf):
    hosts = [sf.host_state('h1'), sf.host_state('h2', service_up=False),
             sf.host_state('h3', disabled=True)]
    spec = sf.request_spec(extra_specs={'capabilities:hypervisor_type': 'x'})
    left, records = filters.run_filters(
        [compute_filter.ComputeFilter(conf),
         ccf.ComputeCapabilitiesFilter(conf),
         ipf.ImagePropertiesFilter(conf)], hosts, spec)
    assert left == []
    assert [r['name'] for r in records] == ['ComputeFilter',
                                            'ComputeCapabilitiesFilter']
    assert records[0]['hosts_in'] == 3 and records[0]['hosts_out'] == 1
    assert [r['host'] for r in records[0]['removed']] == ['h2', 'h3']
    assert records[1]['removed'][0]['node'] == 'h1'


def test_run_filters_skips_rebuild_exempt_filters(conf):
    down = sf.host_state(service_up=False)
    spec = sf.request_spec(scheduler_hints={'_nova_check_type': ['rebuild']})
    left, records = filters.run_filters(
        [compute_filter.ComputeFilter(conf)], [down], spec)
    assert left == [down] and records == []


def test_base_filter_contract(conf):
    class Always(filters.BaseHostFilter):
        def host_passes(self, host_state, spec):
            return False

    f = Always(conf)
    assert f.name == 'Always'
    assert f.why(sf.host_state(), {}) == 'rejected by Always'
    assert f.filter_all([sf.host_state()], {}) == []
    with pytest.raises(NotImplementedError):
        filters.BaseHostFilter(conf).host_passes(None, {})


def test_filters_and_weighers_load_as_plugins(conf):
    from_names = {
        'ComputeFilter': compute_filter.ComputeFilter,
        'ComputeCapabilitiesFilter': ccf.ComputeCapabilitiesFilter,
        'ImagePropertiesFilter': ipf.ImagePropertiesFilter,
        'ServerGroupAffinityFilter':
            affinity_filter.ServerGroupAffinityFilter,
        'ServerGroupAntiAffinityFilter':
            anti_affinity_filter.ServerGroupAntiAffinityFilter,
    }
    extensions = [loading.extension(n, c) for n, c in from_names.items()]
    names = conf.filter_scheduler.enabled_filters
    loaded = loading.load_filters(names, filters.BaseHostFilter, extensions)
    assert loaded == [from_names[n] for n in names]
