"""SameHostFilter, DifferentHostFilter, SimpleCIDRAffinityFilter, AllHosts."""

import pytest

from nova_core.scheduler.filters import all_hosts_filter
from nova_core.scheduler.filters import different_host_filter
from nova_core.scheduler.filters import hints
from nova_core.scheduler.filters import same_host_filter
from nova_core.scheduler.filters import simple_cidr_affinity_filter as cidr
from nova_core.scheduler import host_manager
from tests import scheduler_fixtures as sf

A = 'aaaaaaaa-0000-0000-0000-000000000001'
B = 'bbbbbbbb-0000-0000-0000-000000000002'


@pytest.fixture
def conf():
    return sf.make_conf()


def _spec(**hint_values):
    return sf.request_spec(scheduler_hints=dict(hint_values))


def test_hint_list_accepts_values_and_lists():
    assert hints.hint_list(_spec(same_host=A), 'same_host') == [A]
    assert hints.hint_list(_spec(same_host=[A, B]), 'same_host') == [A, B]
    assert hints.hint_list(_spec(), 'same_host') == []
    assert hints.hint_value(_spec(cidr=['/16']), 'cidr') == '/16'
    assert hints.hint_value(_spec(), 'cidr', '/24') == '/24'


def test_all_hosts_filter(conf):
    f = all_hosts_filter.AllHostsFilter(conf)
    assert f.host_passes(sf.host_state(service_up=False), sf.request_spec())


@pytest.mark.parametrize('hint, passes', [
    (None, True), (A, True), ([A], True), ([B, A], True), ([B], False)])
def test_same_host(conf, hint, passes):
    f = same_host_filter.SameHostFilter(conf)
    host = sf.host_state(instances=[A])
    spec = _spec(same_host=hint) if hint else _spec()
    assert f.host_passes(host, spec) is passes
    if not passes:
        assert f.why(host, spec) == (
            'runs none of the same_host instances %s' % B)


def test_same_host_empty_host_fails(conf):
    f = same_host_filter.SameHostFilter(conf)
    assert not f.host_passes(sf.host_state(), _spec(same_host=[A]))


@pytest.mark.parametrize('hint, passes', [
    (None, True), (B, True), ([B], True), ([A], False), ([B, A], False)])
def test_different_host(conf, hint, passes):
    f = different_host_filter.DifferentHostFilter(conf)
    host = sf.host_state(instances=[A])
    spec = _spec(different_host=hint) if hint else _spec()
    assert f.host_passes(host, spec) is passes
    if not passes:
        assert f.why(host, spec) == 'runs different_host instance(s) %s' % A


@pytest.mark.parametrize('hints_, host_ip, passes', [
    ({}, '10.0.0.5', True),
    ({}, None, True),
    ({'build_near_host_ip': '10.0.0.1'}, '10.0.0.200', True),   # /24
    ({'build_near_host_ip': '10.0.0.1'}, '10.0.1.2', False),
    ({'build_near_host_ip': ['10.0.0.1'], 'cidr': ['/16']}, '10.0.1.2', True),
    ({'build_near_host_ip': '10.0.0.1', 'cidr': '16'}, '10.0.1.2', True),
    ({'build_near_host_ip': '10.0.0.1', 'cidr': '/32'}, '10.0.0.2', False),
    ({'build_near_host_ip': '10.0.0.1'}, None, False),
    ({'build_near_host_ip': '10.0.0.1'}, 'not-an-ip', False),
    ({'build_near_host_ip': 'fd00::1', 'cidr': '/64'}, 'fd00::99', True),
    ({'build_near_host_ip': 'bogus'}, '10.0.0.2', False),
])
def test_simple_cidr_affinity(conf, hints_, host_ip, passes):
    f = cidr.SimpleCIDRAffinityFilter(conf)
    host = sf.host_state(host_ip=host_ip)
    spec = _spec(**hints_)
    assert f.host_passes(host, spec) is passes


def test_simple_cidr_why(conf):
    f = cidr.SimpleCIDRAffinityFilter(conf)
    spec = _spec(build_near_host_ip='10.0.0.1')
    assert f.why(sf.host_state(host_ip='10.9.0.1'), spec) == (
        'host IP 10.9.0.1 is not in 10.0.0.0/24')
    assert 'unknown' in f.why(sf.host_state(), spec)
    assert 'invalid' in f.why(sf.host_state(), _spec(
        build_near_host_ip='x'))


def test_host_ip_read_from_compute_node():
    state = sf.host_state()
    state.update_from_compute_node({'host': 'h', 'host_ip': '192.0.2.7'})
    assert state.host_ip == '192.0.2.7'


def test_host_manager_loads_hinted_instances():
    group = sf.instance_group('anti-affinity', members=[B])
    spec = sf.request_spec(instance_group=group,
                           scheduler_hints={'same_host': [A],
                                            'different_host': B})
    assert host_manager._group_members(spec) == sorted([A, B])
