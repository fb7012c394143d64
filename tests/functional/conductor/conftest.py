"""Fixtures of the conductor tests: a test bed and a conductor on it."""

import pytest

from nova_core.api.compute import servers_api
from nova_core.conductor import manager as conductor_manager
from nova_core.db import flavor as db_flavor
from tests.functional.conductor import fixtures


@pytest.fixture
def env(tmp_path):
    bed = fixtures.Env(tmp_path)
    bed.scheduler = fixtures.FakeScheduler(bed)
    bed.compute = fixtures.FakeCompute()
    bed.conductor_api = fixtures.DirectConductor()
    bed.manager = conductor_manager.ConductorManager(
        bed.conf, bed.cells, bed.placement, bed.scheduler, bed.compute)
    bed.conductor_api.manager = bed.manager
    bed.servers = servers_api.ServersAPI(
        bed.conf, bed.cells, bed.conductor_api, bed.compute,
        placement_client=bed.placement)
    yield bed
    bed.close()


@pytest.fixture
def flavor(env):
    with env.api.writer(env.ctx) as conn:
        return db_flavor.create(conn, name='small', memory_mb=1024, vcpus=1,
                                root_gb=1, flavorid='small')
