"""The installed distribution's entry points resolve as a scheduler loads
them (run after ``pip install -e .``)."""

from oslo_config import cfg

from nova_core import exception
from nova_core.testing import scheduler as sf

import pytest

from nova_core_example import opts
from nova_core_example.maintenance_filter import MaintenanceFilter
from nova_core_example.preferred_aggregate_weigher import (
    PreferredAggregateWeigher)


def test_filter_entry_point():
    assert sf.load_filters(['MaintenanceFilter']) == [MaintenanceFilter]


def test_weigher_entry_point():
    assert sf.load_weighers(['PreferredAggregateWeigher']) == [
        PreferredAggregateWeigher]


def test_misspelled_name_fails():
    with pytest.raises(exception.PluginLoadError) as caught:
        sf.load_filters(['MaintenanceFiltre'])
    assert 'MaintenanceFiltre' in str(caught.value)
    assert 'MaintenanceFilter' in str(caught.value)   # listed as installed


def test_list_opts():
    groups = {group.name: [opt.name for opt in group_opts]
              for group, group_opts in opts.list_opts()}
    assert groups == {
        'maintenance': ['hosts', 'aggregate_key'],
        'preferred_aggregate': ['metadata_key',
                                'preferred_aggregate_weight_multiplier']}
    conf = cfg.ConfigOpts()
    opts.register_opts(conf)
    opts.register_opts(conf)
    assert conf.preferred_aggregate.metadata_key == 'preferred'
