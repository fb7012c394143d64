"""The API and cell migrations build exactly the tables the models describe."""

import pprint
import threading

from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import engine as db_engine
from nova_core.db import main_models
from nova_core.db import migration
from tests import backends

MODELS = {'api': api_models.metadata, 'main': main_models.metadata}


@pytest.fixture
def empty_database(backend, tmp_path):
    """A Database on a new, empty database of *backend*."""
    created = backends.Database(backend, str(tmp_path))
    database = db_engine.Database.for_url(created.url)
    yield database
    database.dispose()
    created.drop()


def _compare(conn, which):
    context = alembic_migration.MigrationContext.configure(conn, opts={
        'compare_type': True, 'compare_server_default': True})
    return autogenerate.compare_metadata(context, MODELS[which])


@pytest.mark.parametrize('which', ['api', 'main'])
def test_sync_from_empty_to_head_matches_the_models(empty_database, which):
    assert migration.version(empty_database) is None
    with pytest.raises(Exception) as not_ready:
        migration.check_schema(empty_database, which)
    assert 'sync' in str(not_ready.value)
    head = migration.head_revision(which)
    assert migration.sync(empty_database, which) == head
    # A second sync finds nothing to do.
    assert migration.sync(empty_database, which) == head
    migration.check_schema(empty_database, which)
    engine = empty_database.engine
    tables = set(sa.inspect(engine).get_table_names())
    assert tables == set(MODELS[which].tables) | {'alembic_version'}
    with engine.connect() as conn:
        diff = _compare(conn, which)
    assert diff == [], 'models and migrations differ:\n%s' % pprint.pformat(
        diff)


def test_concurrent_syncs_migrate_once(empty_database):
    errors = []

    def sync():
        try:
            migration.sync(empty_database, 'main')
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert migration.version(empty_database) == migration.head_revision(
        'main')


def test_unknown_schema_is_refused():
    with pytest.raises(ValueError):
        migration.head_revision('placement')
