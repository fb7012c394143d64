"""plugins/nova_core_example_plugins selected by configuration.

A real SchedulerManager loads its filters and weighers by name from the
entry points of the installed distributions, as ``nova-core-scheduler``
does, reading a configuration file; placement runs in process on SQLite and
a stub host manager serves the host states (nova_core.testing.scheduler).
"""

import subprocess
import sys
import textwrap
import uuid as uuidlib

from oslo_config import cfg
import pytest

from nova_core import conf as nova_conf
from nova_core import exception
from nova_core import loading
from nova_core import rpc
from nova_core.scheduler import manager as scheduler_manager
from nova_core.testing import scheduler as sf

pytestmark = pytest.mark.usefixtures('plugin_path')

REASON = "under maintenance: host name matches [maintenance] hosts 'rack2-*'"


@pytest.fixture
def config_file(tmp_path):
    """write(text) -> the path of a nova_core.conf holding *text*."""
    def write(text, name='nova_core.conf'):
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path
    return write


def load_conf(path):
    """What the scheduler's configuration loading does, minus logging."""
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=False)
    rpc.register_opts(conf)
    conf(['--config-file', str(path)], project='nova_core',
         default_config_files=[])
    return conf


def node(placement, states, name, memory_mb, **state_kw):
    uuid = sf.add_compute_node(placement, name, memory_mb=memory_mb)
    states.append(sf.host_state(name, uuid=uuid, memory_mb=memory_mb,
                                **state_kw))


def scheduler(conf, client, states):
    # No filters= / weighers=: loaded from [filter_scheduler] by name.
    return scheduler_manager.SchedulerManager(
        conf, client, cells=None, host_manager=sf.StubHostManager(states))


def test_filter_removes_hosts_with_its_reason(placement, client, ctx,
                                              config_file):
    conf = load_conf(config_file("""
        [filter_scheduler]
        enabled_filters = ComputeFilter,MaintenanceFilter
        weighers = RAMWeigher

        [maintenance]
        hosts = rack2-*
        """))
    states = []
    node(placement, states, 'rack1-a', 4096)
    node(placement, states, 'rack2-a', 16384)
    node(placement, states, 'rack2-b', 8192)
    sched = scheduler(conf, client, states)
    assert [f.name for f in sched.filters] == ['ComputeFilter',
                                               'MaintenanceFilter']

    # The most free RAM is on rack2-a, under maintenance: rack1-a it is.
    [selections] = sched.select_destinations(
        ctx, sf.request_spec(memory_mb=2048), [str(uuidlib.uuid4())])
    assert [s['service_host'] for s in selections] == ['rack1-a']

    # Too big for rack1-a: only the hosts under maintenance have room.
    with pytest.raises(exception.NoValidHost) as caught:
        sched.select_destinations(ctx, sf.request_spec(memory_mb=6144),
                                  [str(uuidlib.uuid4())])
    explanation = caught.value.explanation
    [record] = [r for r in explanation['filters']
                if r['name'] == 'MaintenanceFilter']
    assert (record['hosts_in'], record['hosts_out']) == (2, 0)
    assert sorted((r['host'], r['reason']) for r in record['removed']) == [
        ('rack2-a', REASON), ('rack2-b', REASON)]
    assert 'MaintenanceFilter' in explanation['summary']

    # The dry run says the same without claiming anything.
    dry = sched.explain(ctx, sf.request_spec(memory_mb=6144))
    assert dry['hosts'] == []
    assert [r['hosts_out'] for r in dry['explanation']['filters']
            if r['name'] == 'MaintenanceFilter'] == [0]


def test_filter_reads_aggregate_metadata(placement, client, ctx,
                                         config_file):
    conf = load_conf(config_file("""
        [filter_scheduler]
        enabled_filters = MaintenanceFilter
        [maintenance]
        aggregate_key = drain
        """))
    rack2 = sf.aggregate('rack2', ['big'], {'drain': 'PSU swap'})
    states = []
    node(placement, states, 'small', 4096)
    node(placement, states, 'big', 16384, aggregates=[rack2])
    dry = scheduler(conf, client, states).explain(
        ctx, sf.request_spec(memory_mb=1024))
    assert [h['host'] for h in dry['hosts']] == ['small']
    [record] = dry['explanation']['filters']
    assert record['removed'] == [{
        'host': 'big', 'node': 'big',
        'reason': 'under maintenance: aggregate rack2 sets drain=PSU swap'}]


def test_weigher_changes_the_choice(placement, client, ctx, config_file):
    gold = sf.aggregate('gold', ['b'], {'preferred': 'true'})
    states = []
    node(placement, states, 'a', 16384)
    node(placement, states, 'b', 8192, aggregates=[gold])
    node(placement, states, 'c', 4096)
    spec = sf.request_spec(memory_mb=1024)

    ram_only = load_conf(config_file("""
        [filter_scheduler]
        enabled_filters = ComputeFilter
        weighers = RAMWeigher
        """, 'ram.conf'))
    dry = scheduler(ram_only, client, states).explain(ctx, spec)
    assert [h['host'] for h in dry['hosts']] == ['a', 'b', 'c']

    preferred = load_conf(config_file("""
        [filter_scheduler]
        enabled_filters = ComputeFilter
        weighers = RAMWeigher,PreferredAggregateWeigher
        [preferred_aggregate]
        preferred_aggregate_weight_multiplier = 2.0
        """, 'preferred.conf'))
    sched = scheduler(preferred, client, states)
    assert [w.name for w in sched.weighers] == ['RAMWeigher',
                                                'PreferredAggregateWeigher']
    dry = sched.explain(ctx, spec)
    assert [h['host'] for h in dry['hosts']] == ['b', 'a', 'c']
    [selections] = sched.select_destinations(ctx, spec,
                                             [str(uuidlib.uuid4())])
    assert selections[0]['service_host'] == 'b'


def test_all_weighers_includes_the_plugin(config_file):
    conf = load_conf(config_file("""
        [filter_scheduler]
        weighers = nova.scheduler.weights.all_weighers
        """))
    names = [w.name for w in scheduler(conf, None, []).weighers]
    assert 'PreferredAggregateWeigher' in names
    assert 'RAMWeigher' in names


@pytest.mark.parametrize('option,name,namespace', [
    ('enabled_filters', 'MaintenanceFiltre', loading.FILTERS),
    ('weighers', 'PreferredAggregateWeighter', loading.WEIGHERS),
])
def test_misnamed_plugin_fails_at_start(config_file, option, name,
                                        namespace):
    conf = load_conf(config_file("""
        [filter_scheduler]
        %s = ComputeFilter,%s
        """ % (option, name) if option == 'enabled_filters' else """
        [filter_scheduler]
        %s = RAMWeigher,%s
        """ % (option, name)))
    with pytest.raises(exception.PluginLoadError) as caught:
        scheduler(conf, None, [])
    message = str(caught.value)
    assert message.startswith('Cannot load plugin %s from namespace %s: '
                              'not installed' % (name, namespace))
    # The installed names are listed, the plugin's own among them.
    assert ('MaintenanceFilter' if namespace == loading.FILTERS
            else 'PreferredAggregateWeigher') in message


def test_broken_entry_points_fail_naming_the_plugin(tmp_path, monkeypatch,
                                                    config_file):
    # Another distribution whose entry points are wrong: one names a class
    # that does not exist, one something that is no filter.
    dist = tmp_path / 'site' / 'broken_plugins-0.1.dist-info'
    dist.mkdir(parents=True)
    (dist / 'METADATA').write_text(
        'Metadata-Version: 2.1\nName: broken-plugins\nVersion: 0.1\n')
    (dist / 'entry_points.txt').write_text(
        '[nova_core.scheduler.filters]\n'
        'MisspelledClassFilter = '
        'nova_core_example.maintenance_filter:MaintenanceFiltre\n'
        'NotAFilter = nova_core_example.opts:list_opts\n')
    monkeypatch.syspath_prepend(str(tmp_path / 'site'))

    conf = load_conf(config_file("""
        [filter_scheduler]
        enabled_filters = ComputeFilter,MisspelledClassFilter
        """, 'a.conf'))
    with pytest.raises(exception.PluginLoadError) as caught:
        scheduler(conf, None, [])
    assert str(caught.value).startswith(
        'Cannot load plugin MisspelledClassFilter from namespace '
        'nova_core.scheduler.filters: cannot import '
        'nova_core_example.maintenance_filter:MaintenanceFiltre')

    conf = load_conf(config_file("""
        [filter_scheduler]
        enabled_filters = NotAFilter
        """, 'b.conf'))
    with pytest.raises(exception.PluginLoadError) as caught:
        scheduler(conf, None, [])
    assert 'NotAFilter' in str(caught.value)
    assert ('is not a subclass of nova_core.scheduler.filters.BaseHostFilter'
            in str(caught.value))


def test_malformed_plugin_option_fails_at_start(config_file):
    conf = load_conf(config_file("""
        [filter_scheduler]
        weighers = PreferredAggregateWeigher
        [preferred_aggregate]
        preferred_aggregate_weight_multiplier = lots
        """))
    with pytest.raises(exception.ConfigurationError) as caught:
        scheduler(conf, None, [])
    assert ('[preferred_aggregate] preferred_aggregate_weight_multiplier'
            in str(caught.value))


@pytest.mark.slow
@pytest.mark.parametrize('setting,expected', [
    ('[filter_scheduler]\nenabled_filters = ComputeFilter,MaintenanceFiltre\n',
     'nova-core-scheduler: Cannot load plugin MaintenanceFiltre from '
     'namespace nova_core.scheduler.filters: not installed'),
    ('[filter_scheduler]\nweighers = PreferredAggregateWeigher\n'
     '[preferred_aggregate]\npreferred_aggregate_weight_multiplier = lots\n',
     'nova-core-scheduler: Invalid configuration: [preferred_aggregate] '
     'preferred_aggregate_weight_multiplier: '),
])
def test_the_scheduler_program_refuses_to_start(tmp_path, plugin_env,
                                                setting, expected):
    path = tmp_path / 'nova_core.conf'
    path.write_text('[DEFAULT]\ntransport_url = fake://\n'
                    '[placement]\nauth_type = none\n' + setting)
    proc = subprocess.run(
        [sys.executable, '-m', 'nova_core.cmd.scheduler',
         '--config-file', str(path), '--state-dir', str(tmp_path / 'state')],
        env=plugin_env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert expected in proc.stderr, proc.stderr
