"""Cell targeting, scatter-gather with per-cell timeouts, host discovery."""

import time

from oslo_config import cfg
import pytest

from nova_core import conf as nova_conf
from nova_core import context as nc_context
from nova_core.db import cell_mapping
from nova_core.db import cells
from nova_core.db import compute_node
from nova_core.db import host_discovery
from nova_core.db import host_mapping
from nova_core.db import migration
from nova_core.db import service
from tests import backends

CELL1 = '11111111-1111-1111-1111-111111111111'
CELL2 = '22222222-2222-2222-2222-222222222222'
DOWN = '33333333-3333-3333-3333-333333333333'
# Nothing listens on port 1: connecting fails at once.
UNREACHABLE = 'mysql+pymysql://root@127.0.0.1:1/nova_cell_down'


def _conf(tmp_path, **database):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('state_path', str(tmp_path / 'state'))
    # A cell that is down must not retry its first connection for long.
    conf.set_override('max_retries', 0, group='database')
    return conf


@pytest.fixture
def deployment(backend, tmp_path):
    """An API database and two cells on *backend*, cell0 on SQLite."""
    made = [backends.Database(backend, str(tmp_path)) for _ in range(3)]
    conf = _conf(tmp_path)
    conf.set_override('connection', made[0].url, group='api_database')
    registry = cells.CellDatabases(conf)
    ctx = nc_context.get_admin_context(db=registry, config=conf)
    migration.sync(registry.api, 'api')
    with registry.api.writer(ctx) as conn:
        cell0 = cell_mapping.create(conn, cells.CELL0_UUID, 'cell0',
                                    'none:///', cells.cell0_url(conf))
        migration.sync(registry.cell_database(cell0), 'main')
        for uuid, database in ((CELL1, made[1]), (CELL2, made[2])):
            mapping = cell_mapping.create(conn, uuid, uuid[:1], 'fake://',
                                          database.url)
            migration.sync(registry.cell_database(mapping), 'main')
    yield ctx, registry
    registry.dispose()
    for database in made:
        database.drop()


def _add_node(cctx, host, node):
    with cctx.db_connection.writer(cctx) as conn:
        return compute_node.create(conn, {'host': host,
                                          'hypervisor_hostname': node})


def _count_nodes(cctx):
    with cctx.db_connection.reader(cctx) as conn:
        return len(compute_node.get_all(conn))


def test_target_cell_binds_database_and_queue(deployment):
    ctx, registry = deployment
    with registry.api.reader(ctx) as conn:
        mapping = cell_mapping.get_by_uuid(conn, CELL1)
    with cells.target_cell(ctx, mapping) as cctx:
        assert cctx.cell_uuid == CELL1
        assert cctx.mq_connection == 'fake://'
        assert cctx.db_connection is registry.cell_database(mapping)
        _add_node(cctx, 'h1', 'n1')
    assert ctx.cell_uuid is None and ctx.db_connection is None


def test_scatter_gather_all_cells(deployment):
    ctx, registry = deployment
    with registry.api.reader(ctx) as conn:
        with cells.target_cell(
                ctx, cell_mapping.get_by_uuid(conn, CELL2)) as cctx:
            _add_node(cctx, 'h2', 'n2')
    results = cells.scatter_gather_all_cells(ctx, 30, _count_nodes)
    assert results == {cells.CELL0_UUID: 0, CELL1: 0, CELL2: 1}


def test_a_cell_that_is_down_or_hangs_yields_a_marker(deployment):
    ctx, registry = deployment
    with registry.api.reader(ctx) as conn:
        mappings = [cell_mapping.get_by_uuid(conn, CELL1)]
    mappings.append({'uuid': DOWN, 'transport_url': 'fake://',
                     'database_connection': UNREACHABLE})

    started = time.monotonic()
    results = cells.scatter_gather_cells(ctx, mappings, 10, _count_nodes)
    assert results[CELL1] == 0
    assert cells.is_failure(results[DOWN])
    assert time.monotonic() - started < 10

    def slow_in_cell1(cctx):
        if cctx.cell_uuid == CELL1:
            time.sleep(5)
        return _count_nodes(cctx)

    mappings[1] = {'uuid': CELL2, 'transport_url': 'fake://',
                   'database_connection': registry.cell_database(
                       {'database_connection': mappings[0][
                           'database_connection']}).url}
    started = time.monotonic()
    results = cells.scatter_gather_cells(ctx, mappings, 1, slow_in_cell1)
    assert time.monotonic() - started < 3
    assert results[CELL1] is cells.DID_NOT_RESPOND
    assert results[CELL2] == 0


def test_discover_hosts(deployment):
    ctx, registry = deployment
    with registry.api.reader(ctx) as conn:
        one = cell_mapping.get_by_uuid(conn, CELL1)
        two = cell_mapping.get_by_uuid(conn, CELL2)
    with cells.target_cell(ctx, one) as cctx:
        _add_node(cctx, 'h1', 'n1a')
        _add_node(cctx, 'h1', 'n1b')
    with cells.target_cell(ctx, two) as cctx:
        with cctx.db_connection.writer(cctx) as conn:
            service.create(conn, 'h2', 'nova-compute')
    new = host_discovery.discover_hosts(ctx, registry)
    assert [(m['host'], m['cell_uuid']) for m in new] == [('h1', CELL1)]
    assert host_discovery.discover_hosts(ctx, registry) == []
    new = host_discovery.discover_hosts(ctx, registry, cell_uuid=CELL2,
                                        by_service=True)
    assert [(m['host'], m['cell_uuid']) for m in new] == [('h2', CELL2)]
    with registry.api.reader(ctx) as conn:
        assert [m['host'] for m in host_mapping.get_all(conn)] == [
            'h1', 'h2']
