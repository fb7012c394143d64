"""The image API on a fresh API database (SQLite), through ImageDirect."""

import pytest

from nova_core.api.image import deploy
from nova_core.api.image import direct
from nova_core import context as nc_context
from nova_core.db import cells as db_cells
from nova_core.db import migration as db_migration
from nova_core import image
from tests import cloud as cloud_mod


def build(path, overrides=None):
    """(images plugin, admin ImageDirect, CellDatabases) on a new API
    database under *path*; *overrides*: ``{(group, option): value}``."""
    values = {('api_database', 'connection'): 'sqlite:///%s/api.sqlite' % path,
              ('api', 'auth_strategy'): 'noauth2',
              (None, 'state_path'): str(path)}
    values.update(overrides or {})
    conf = cloud_mod.make_conf(values)
    cells = db_cells.CellDatabases(conf)
    db_migration.sync(cells.api, 'api')
    images = image.load(conf, cells.api)
    return images, direct.ImageDirect(deploy.make_app(conf, images)), cells


def admin_context(images):
    ctx = nc_context.get_admin_context(db=images.database)
    ctx.project_id = 'admin'
    return ctx


@pytest.fixture
def make_images(tmp_path):
    """``make()`` -> (images plugin, admin ImageDirect) on a new database."""
    made = []

    def make(overrides=None):
        path = tmp_path / str(len(made))
        path.mkdir()
        images, client, cells = build(path, overrides)
        made.append(cells)
        return images, client

    yield make
    for cells in made:
        cells.dispose()
