"""An operator's nova.conf scheduler sections work unchanged."""

import textwrap

import pytest

from nova_core import exception
from nova_core.scheduler import manager as scheduler_manager
from nova_core.testing import scheduler as fixtures

NOVA_CONF = textwrap.dedent("""
    [scheduler]
    max_attempts = 5
    discover_hosts_in_cells_interval = 300
    query_placement_for_availability_zone = true

    [filter_scheduler]
    available_filters = nova.scheduler.filters.all_filters
    enabled_filters = ComputeFilter,ComputeCapabilitiesFilter,ImagePropertiesFilter,ServerGroupAntiAffinityFilter,ServerGroupAffinityFilter,SameHostFilter,DifferentHostFilter,AggregateInstanceExtraSpecsFilter,NumInstancesFilter,IoOpsFilter
    weight_classes = nova.scheduler.weights.all_weighers
    ram_weight_multiplier = 2.0
    io_ops_weight_multiplier = -2.0
    build_failure_weight_multiplier = 100000.0
    host_subset_size = 3
    shuffle_best_same_weighed_hosts = true
    max_io_ops_per_host = 4
    max_instances_per_host = 20

    [metrics]
    weight_setting = cpu.frequency=1.0
    required = false
    """)


def _conf(tmp_path, text):
    path = tmp_path / 'nova.conf'
    path.write_text(text)
    conf = fixtures.make_conf()
    conf(['--config-file', str(path)], project='nova_core')
    return conf


def test_a_nova_conf_section_builds_the_scheduler(tmp_path):
    conf = _conf(tmp_path, NOVA_CONF)
    manager = scheduler_manager.SchedulerManager(conf, placement=None,
                                                 cells=None)
    assert [f.name for f in manager.filters] == \
        conf.filter_scheduler.enabled_filters
    names = {type(w).__name__ for w in manager.weighers}
    assert {'RAMWeigher', 'CPUWeigher', 'DiskWeigher', 'IoOpsWeigher',
            'NumInstancesWeigher', 'BuildFailureWeigher',
            'MetricsWeigher'} <= names
    assert conf.scheduler.max_attempts == 5
    assert conf.filter_scheduler.max_io_ops_per_host == 4


def test_an_unknown_filter_stops_the_scheduler_naming_it(tmp_path):
    conf = _conf(tmp_path, NOVA_CONF.replace('IoOpsFilter',
                                             'NoSuchFilter'))
    with pytest.raises(exception.PluginLoadError) as caught:
        scheduler_manager.SchedulerManager(conf, placement=None, cells=None)
    assert 'NoSuchFilter' in str(caught.value)
    assert 'nova_core.scheduler.filters' in str(caught.value)
