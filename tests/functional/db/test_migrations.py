"""The migrations build exactly the schema the table modules describe."""

import pprint

from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest
import sqlalchemy as sa

from nova_core.placement.db import migration
from nova_core.placement.db import models
from tests import backends


@pytest.fixture
def empty_engine(backend, tmp_path):
    """An engine on a new, empty database of *backend*."""
    database = backends.Database(backend, str(tmp_path))
    engine = sa.create_engine(database.url)
    yield engine
    engine.dispose()
    database.drop()


def _compare(conn):
    context = alembic_migration.MigrationContext.configure(conn, opts={
        'compare_type': True, 'compare_server_default': True})
    return autogenerate.compare_metadata(context, models.metadata)


def test_upgrade_from_empty_to_head(empty_engine):
    with empty_engine.connect() as conn:
        assert migration.current_revision(conn) is None
        migration.upgrade(conn)
        conn.commit()
        assert migration.current_revision(conn) == migration.head_revision()
        # A second upgrade finds nothing to do.
        migration.upgrade(conn)
        conn.commit()
    tables = set(sa.inspect(empty_engine).get_table_names())
    assert tables == set(models.metadata.tables) | {'alembic_version'}


def test_models_match_the_migrated_schema(empty_engine):
    with empty_engine.connect() as conn:
        migration.upgrade(conn)
        conn.commit()
        diff = _compare(conn)
    assert diff == [], 'models and migrations differ:\n%s' % pprint.pformat(
        diff)


def test_comparison_sees_a_difference(empty_engine):
    """The check above would notice a column the models do not have."""
    with empty_engine.connect() as conn:
        migration.upgrade(conn)
        conn.commit()
        conn.execute(sa.text('ALTER TABLE traits ADD COLUMN stray INTEGER'))
        conn.commit()
        diff = _compare(conn)
    assert [(d[0], d[2], d[3].name) for d in diff] == [
        ('remove_column', 'traits', 'stray')], diff
