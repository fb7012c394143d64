"""Booting servers in one process: API library, conductor, scheduler and computes on fake://.

The real services (as the console scripts assemble them) talk over the
in-process transport; databases are SQLite, placement is in process.
"""

import time
import uuid as uuidlib

from oslo_config import cfg
import pytest

from nova_core.api.compute import servers_api
from nova_core.cmd import assemble
from nova_core.cmd import compute as compute_cmd
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import conf as nova_conf
from nova_core import context
from nova_core.db import cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import flavor as db_flavor
from nova_core.db import migration as db_migration
from nova_core import placement_client
from nova_core.placement_client import allocations as placement_allocations
from nova_core import rpc
from tests.functional.conductor import fixtures
from tests import placement_fixtures


def _compute_conf(host, **fake):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=False)
    rpc.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('host', host)
    conf.set_override('report_interval', 1)
    for name, value in fake.items():
        conf.set_override(name, value, group='fake_driver')
    return conf


@pytest.fixture
def cloud(tmp_path):
    urls = {n: 'sqlite:///%s' % (tmp_path / ('%s.sqlite' % n))
            for n in ('api', 'cell0', 'cell1')}
    conf = fixtures.make_conf(tmp_path, urls['api'], urls['cell1'])
    rpc.register_opts(conf)
    cells = db_cells.CellDatabases(conf)
    ctx = context.RequestContext(user_id='u', project_id='p')
    db_migration.sync(cells.api, 'api')
    with cells.api.writer(ctx) as conn:
        for name, uuid in (('cell0', db_cells.CELL0_UUID),
                           ('cell1', str(uuidlib.uuid4()))):
            db_migration.sync(cells.for_url(urls[name]), 'main')
            cell_mapping.create(conn, uuid=uuid, name=name,
                                transport_url='fake://',
                                database_connection=urls[name])
        flavor = db_flavor.create(conn, name='small', memory_mb=1024,
                                  vcpus=1, flavorid='small')
        # More RAM than a host has, within the default ram quota.
        big = db_flavor.create(conn, name='huge', memory_mb=40000,
                               vcpus=1, flavorid='huge')
    with placement_fixtures.placement_client(
            'sqlite:///%s' % (tmp_path / 'placement.sqlite')) as direct:
        placement = placement_client.from_direct(direct)
        services = [assemble.conductor(conf, placement, cells),
                    assemble.scheduler(conf, placement, cells)]
        for host, fake in (('c1', {'fail_on_hosts': ['c1']}), ('c2', {})):
            services.append(compute_cmd.build(
                _compute_conf(host, vcpus=4, memory_mb=8192, **fake),
                placement))
        for service in services:
            service.start()
        api = servers_api.ServersAPI(
            conf, cells, conductor_rpcapi.ConductorAPI(conf),
            compute_rpcapi.ComputeAPI(conf), placement_client=placement)
        bed = type('Cloud', (), {})()
        bed.api, bed.ctx, bed.placement = api, ctx, placement
        bed.flavor, bed.big, bed.conf = flavor, big, conf
        try:
            yield bed
        finally:
            for service in reversed(services):
                service.stop()
            cells.dispose()


def _wait(cloud, uuid, statuses=('ACTIVE', 'ERROR'), timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = cloud.api.get(cloud.ctx, uuid)
        if server['status'] in statuses:
            return server
        time.sleep(0.1)
    raise AssertionError('server %s still %s' % (uuid, server['status']))


def test_boot_reschedules_off_failing_host(cloud):
    # c1 fails every spawn: whichever host is picked first, the server
    # ends ACTIVE on c2 (directly or after a reschedule).
    uuids = cloud.api.create(cloud.ctx, cloud.flavor, 'image-1', 'vm',
                             max_count=3)
    for uuid in uuids:
        server = _wait(cloud, uuid)
        assert server['status'] == 'ACTIVE', server.get('fault')
        assert server['host'] == 'c2'
        allocations = placement_allocations.get_allocations_for_consumer(
            cloud.ctx, cloud.placement, uuid)['allocations']
        assert len(allocations) == 1
    # Placement holds exactly what the ACTIVE servers use: the failed
    # attempts on c1 left nothing behind.
    usages = cloud.placement.get(cloud.ctx, '/usages?project_id=p',
                                 version='1.9').json()['usages']
    assert usages['VCPU'] == 3 and usages['MEMORY_MB'] == 3 * 1024


def test_no_valid_host_in_cell0(cloud):
    [uuid] = cloud.api.create(cloud.ctx, cloud.big, 'image-1', 'vm')
    server = _wait(cloud, uuid)
    assert server['status'] == 'ERROR'
    assert server['cell_uuid'] == db_cells.CELL0_UUID
    assert server['fault']['message'].startswith('No valid host')
    assert 'candidates' in server['fault']['details']
