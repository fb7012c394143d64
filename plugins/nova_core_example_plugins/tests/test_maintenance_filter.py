"""MaintenanceFilter against hand-built host states: no cloud, no database."""

from nova_core.testing import scheduler as sf

from nova_core_example import maintenance_filter
from nova_core_example.maintenance_filter import MaintenanceFilter


def conf(**overrides):
    return sf.make_conf(maintenance_filter.register_opts, **overrides)


def test_no_maintenance_by_default():
    host = sf.host_state('rack2-a')
    assert MaintenanceFilter(sf.make_conf()).host_passes(
        host, sf.request_spec())


def test_host_name_patterns():
    flt = MaintenanceFilter(conf(maintenance__hosts=['rack2-*', 'db1']))
    spec = sf.request_spec()
    assert not flt.host_passes(sf.host_state('rack2-a'), spec)
    assert not flt.host_passes(sf.host_state('db1'), spec)
    assert flt.host_passes(sf.host_state('rack1-a'), spec)
    assert flt.host_passes(sf.host_state('db10'), spec)
    assert flt.why(sf.host_state('rack2-a'), spec) == (
        "under maintenance: host name matches [maintenance] hosts 'rack2-*'")


def test_aggregate_metadata_gives_the_reason():
    flt = MaintenanceFilter(conf())
    spec = sf.request_spec()
    down = sf.host_state('h1', aggregates=[
        sf.aggregate('rack2', ['h1'], {'maintenance': 'PSU swap'})])
    assert not flt.host_passes(down, spec)
    assert flt.why(down, spec) == (
        'under maintenance: aggregate rack2 sets maintenance=PSU swap')
    for value in ('false', 'No', '0', ''):
        up = sf.host_state('h2', aggregates=[
            sf.aggregate('rack1', ['h2'], {'maintenance': value})])
        assert flt.host_passes(up, spec), value


def test_aggregate_key_is_an_option():
    flt = MaintenanceFilter(conf(maintenance__aggregate_key='drain'))
    spec = sf.request_spec()
    assert flt.host_passes(sf.host_state('h1', aggregates=[
        sf.aggregate('a', ['h1'], {'maintenance': 'true'})]), spec)
    assert not flt.host_passes(sf.host_state('h1', aggregates=[
        sf.aggregate('a', ['h1'], {'drain': 'true'})]), spec)


def test_records_as_in_a_no_valid_host_explanation():
    hosts = [sf.host_state('rack1-a'), sf.host_state('rack2-a'),
             sf.host_state('rack2-b')]
    passed, [record] = sf.run_filters(
        conf(maintenance__hosts=['rack2-*']), [MaintenanceFilter], hosts,
        sf.request_spec())
    assert [h.host for h in passed] == ['rack1-a']
    assert record['name'] == 'MaintenanceFilter'
    assert (record['hosts_in'], record['hosts_out']) == (3, 1)
    assert [(r['host'], r['reason']) for r in record['removed']] == [
        ('rack2-a', "under maintenance: host name matches [maintenance] "
                    "hosts 'rack2-*'"),
        ('rack2-b', "under maintenance: host name matches [maintenance] "
                    "hosts 'rack2-*'")]


def test_not_run_on_rebuild():
    hosts = [sf.host_state('rack2-a')]
    spec = sf.request_spec(scheduler_hints={'_nova_check_type': ['rebuild']})
    passed, records = sf.run_filters(
        conf(maintenance__hosts=['*']), [MaintenanceFilter], hosts, spec)
    assert passed == hosts and records == []


def test_registering_twice_is_harmless():
    c = sf.make_conf()
    MaintenanceFilter(c)
    MaintenanceFilter(c)
    maintenance_filter.register_opts(c)
    assert c.maintenance.hosts == []
