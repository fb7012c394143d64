"""HostManager on real SQLite API and cell databases."""

import datetime
import uuid as uuidlib

from oslo_config import cfg
import pytest

from nova_core import conf as nova_conf
from nova_core import context as nc_context
from nova_core.db import aggregate as aggregate_db
from nova_core.db import cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import compute_node
from nova_core.db import instance as instance_db
from nova_core.db import migration as db_migration
from nova_core.db import service as service_db
from nova_core.scheduler import host_manager
from tests import scheduler_fixtures as sf

CELL1 = sf.CELL1
CELL2 = sf.CELL2
DOWN = '33333333-3333-3333-3333-333333333333'
DISABLED = '44444444-4444-4444-4444-444444444444'


def _conf(tmp_path, api_url):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('connection', api_url, group='api_database')
    conf.set_override('cell_timeout', 5, group='scheduler')
    return conf


@pytest.fixture
def env(tmp_path):
    conf = _conf(tmp_path, 'sqlite:///%s' % (tmp_path / 'api.sqlite'))
    cells = db_cells.CellDatabases(conf)
    db_migration.sync(cells.api, 'api')
    ctx = nc_context.get_admin_context(db=cells, config=conf)
    urls = {}
    with cells.api.writer(ctx) as conn:
        for uuid, name, disabled in ((db_cells.CELL0_UUID, 'cell0', False),
                                     (CELL1, 'cell1', False),
                                     (CELL2, 'cell2', False),
                                     (DISABLED, 'off', True)):
            urls[uuid] = 'sqlite:///%s' % (tmp_path / ('%s.sqlite' % name))
            cell_mapping.create(conn, uuid, name, 'fake://', urls[uuid],
                                disabled=disabled)
        # A cell whose database cannot be opened (no such directory).
        cell_mapping.create(conn, DOWN, 'down', 'fake://',
                            'sqlite:///%s/nowhere/db.sqlite' % tmp_path)
        aggregate_db.add_host(
            conn, aggregate_db.create(conn, 'agg1')['uuid'], 'c1-a')
    for uuid in (db_cells.CELL0_UUID, CELL1, CELL2, DISABLED):
        db_migration.sync(cells.for_url(urls[uuid]), 'main')
    yield conf, cells, ctx, urls
    cells.dispose()


def _add_host(cells, ctx, url, host, disabled=False, stale=False,
              **node):
    database = cells.for_url(url)
    with database.writer(ctx) as conn:
        service = service_db.create(conn, host, 'nova-compute',
                                    topic='compute', disabled=disabled,
                                    disabled_reason='x' if disabled else None)
        if stale:
            service_db.update(conn, service['id'], {
                'last_seen_up': datetime.datetime(2000, 1, 1)})
        values = {'host': host, 'hypervisor_hostname': host, 'vcpus': 8,
                  'memory_mb': 8192, 'local_gb': 100,
                  'hypervisor_type': 'fake', 'hypervisor_version': 1000,
                  'cpu_info': '{"arch": "x86_64"}', 'stats': '{}'}
        values.update(node)
        return compute_node.create(conn, values)['uuid']


def test_host_states_from_cells(env):
    conf, cells, ctx, urls = env
    a = _add_host(cells, ctx, urls[CELL1], 'c1-a')
    b = _add_host(cells, ctx, urls[CELL1], 'c1-b', disabled=True)
    c = _add_host(cells, ctx, urls[CELL2], 'c2-a', stale=True)
    ignored = _add_host(cells, ctx, urls[CELL2], 'c2-b')
    off = _add_host(cells, ctx, urls[DISABLED], 'off-a')
    member = str(uuidlib.uuid4())
    with cells.for_url(urls[CELL1]).writer(ctx) as conn:
        instance_db.create(conn, {'uuid': member, 'host': 'c1-a',
                                  'node': 'c1-a', 'project_id': 'p',
                                  'user_id': 'u'})
    manager = host_manager.HostManager(conf, cells)
    spec = sf.request_spec(instance_group=sf.instance_group(
        'anti-affinity', members=[member]))
    summaries = {a: {'resources': {'MEMORY_MB': {'capacity': 8192,
                                                 'used': 4096}}}}
    states = manager.get_host_states(ctx, [a, b, c, off, 'sharing'], spec,
                                     summaries)
    by_host = {s.host: s for s in states}
    assert sorted(by_host) == ['c1-a', 'c1-b', 'c2-a']
    assert ignored not in {s.uuid for s in states}
    first = by_host['c1-a']
    assert (first.uuid, first.cell_uuid) == (a, CELL1)
    assert first.service_up and not first.service_disabled
    assert first.free_ram_mb == 4096
    assert first.cpu_info == {'arch': 'x86_64'}
    assert list(first.instances) == [member]
    assert [agg['name'] for agg in first.aggregates] == ['agg1']
    assert by_host['c1-b'].service_disabled
    assert not by_host['c2-a'].service_up
    assert by_host['c2-a'].instances == {}
    assert manager.compute_node_uuid(ctx, 'c2-a') == c
    assert manager.compute_node_uuid(ctx, 'c2-a', 'other') is None
