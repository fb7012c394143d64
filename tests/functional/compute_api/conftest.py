"""A whole in-process cloud with the compute API in front of it."""

import pytest

from nova_core.api.compute import deploy
from nova_core.api.compute import direct
from nova_core.scheduler import rpcapi as scheduler_rpcapi
from tests import cloud as cloud_mod

ADMIN_PROJECT = 'admin'


@pytest.fixture
def make_api(tmp_path):
    clouds = []

    def make(**kwargs):
        path = tmp_path / str(len(clouds))
        path.mkdir()
        cloud = cloud_mod.InProcessCloud(path, **kwargs)
        clouds.append(cloud)
        cloud.start()
        app = deploy.make_app(
            cloud.api_conf, servers=cloud.servers,
            scheduler=scheduler_rpcapi.SchedulerAPI(cloud.api_conf))
        return cloud, direct.ComputeDirect(app)

    yield make
    for cloud in clouds:
        cloud.stop()


@pytest.fixture(scope='module')
def shared(tmp_path_factory):
    """One cloud and its API for a whole test module (tests that do not
    depend on an empty cloud)."""
    cloud = cloud_mod.InProcessCloud(tmp_path_factory.mktemp('cloud'))
    cloud.start()
    try:
        app = deploy.make_app(
            cloud.api_conf, servers=cloud.servers,
            scheduler=scheduler_rpcapi.SchedulerAPI(cloud.api_conf))
        yield cloud, direct.ComputeDirect(app)
    finally:
        cloud.stop()


@pytest.fixture
def api(shared):
    """An admin client (noauth2 token ``admin``) on the module's cloud."""
    return shared[1]
