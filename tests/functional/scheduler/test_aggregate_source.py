"""The pre-filters' aggregate source on a real SQLite API database."""

from oslo_config import cfg

from nova_core import conf as nova_conf
from nova_core import context as nc_context
from nova_core.db import aggregate as aggregate_db
from nova_core.db import cells as db_cells
from nova_core.db import migration as db_migration
from nova_core.scheduler import request_filters
from tests import scheduler_fixtures as sf


def test_cached_aggregates_feed_the_zone_prefilter(tmp_path):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('connection', 'sqlite:///%s' % (tmp_path / 'api.db'),
                      group='api_database')
    cells = db_cells.CellDatabases(conf)
    try:
        db_migration.sync(cells.api, 'api')
        ctx = nc_context.get_admin_context(db=cells, config=conf)
        with cells.api.writer(ctx) as conn:
            zone = aggregate_db.create(conn, 'z1', metadata={
                'availability_zone': 'z1'})
            aggregate_db.add_host(conn, zone['uuid'], 'h1')
        source = request_filters.CachedAggregates(cells)
        spec = sf.request_spec(availability_zone='z1')
        request_filters.process(conf, ctx, spec, lambda: source(ctx))
        assert spec['request_level_params']['member_of'] == [[zone['uuid']]]
        # Cached: a new zone is seen after refresh() (or the timeout).
        with cells.api.writer(ctx) as conn:
            other = aggregate_db.create(conn, 'z2', metadata={
                'availability_zone': 'z1'})
        assert len(source(ctx)) == 1
        source.refresh()
        assert {a['uuid'] for a in source(ctx)} == {zone['uuid'],
                                                    other['uuid']}
    finally:
        cells.dispose()
