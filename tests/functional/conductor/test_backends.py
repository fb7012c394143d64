"""The build and bury flows on every database backend (SQLite, MariaDB, PostgreSQL)."""

import pytest

from nova_core.api.compute import servers_api
from nova_core.conductor import manager as conductor_manager
from nova_core.db import flavor as db_flavor
from nova_core import exception
from tests.functional.conductor import fixtures


@pytest.fixture
def bed(tmp_path, backend):
    env = fixtures.Env(tmp_path, backend=backend)
    env.scheduler = fixtures.FakeScheduler(env)
    env.compute = fixtures.FakeCompute()
    env.conductor_api = fixtures.DirectConductor()
    env.manager = conductor_manager.ConductorManager(
        env.conf, env.cells, env.placement, env.scheduler, env.compute)
    env.conductor_api.manager = env.manager
    env.servers = servers_api.ServersAPI(
        env.conf, env.cells, env.conductor_api, env.compute,
        placement_client=env.placement)
    with env.api.writer(env.ctx) as conn:
        env.flavor = db_flavor.create(conn, name='small', memory_mb=1024,
                                      vcpus=1, flavorid='small')
    yield env
    env.close()


def test_build_reschedule_and_bury(bed):
    uuids = bed.servers.create(bed.ctx, bed.flavor, 'img', 'vm', max_count=2)
    assert {bed.servers.get(bed.ctx, u)['status'] for u in uuids} == {'BUILD'}
    build = bed.compute.builds[0]
    bed.manager.build_instances(bed.ctx, build['instance'],
                                build['request_spec'], build['host_list'],
                                reason='boom')
    assert bed.compute.builds[-1]['host'] != build['host']
    bed.scheduler.fail_with = exception.NoValidHost(reason='none',
                                                    explanation={'x': 1})
    [buried] = bed.servers.create(bed.ctx, bed.flavor, 'img', 'vm')
    shown = bed.servers.get(bed.ctx, buried)
    assert shown['status'] == 'ERROR'
    assert shown['cell_uuid'] == fixtures.CELL0_UUID
    assert len(bed.servers.list(bed.ctx)) == 3
