"""nova_core's option registration: one ConfigOpts never affects another."""

from oslo_config import cfg

from nova_core import conf as nova_conf


def _conf():
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    return conf


def test_overrides_stay_in_their_configuration():
    first, second = _conf(), _conf()
    first.set_override('auth_strategy', 'noauth2', group='api')
    first.set_override('connection', 'sqlite://', group='placement_database')
    first.set_override('max_allocation_candidates', 5, group='placement')
    third = _conf()
    for conf in (second, third):
        assert conf.api.auth_strategy == 'keystone'
        assert conf.placement_database.connection is None
        assert conf.placement.max_allocation_candidates == -1
    assert first.api.auth_strategy == 'noauth2'


def test_list_opts_names_every_group():
    groups = {getattr(group, 'name', group) for group, _opts in
              nova_conf.list_opts()}
    assert {'DEFAULT', 'api', 'placement', 'placement_database',
            'workarounds'} <= groups


def test_upstream_workarounds_option_is_accepted(tmp_path):
    """An operator's placement.conf may still carry upstream's switch."""
    path = tmp_path / 'placement.conf'
    path.write_text('[workarounds]\noptimize_for_wide_provider_trees = true\n')
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[str(path)])
    assert conf.workarounds.optimize_for_wide_provider_trees is True
