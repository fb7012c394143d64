"""Fixtures shared by all nova_core tests."""

import os

import pytest

from tests import backends
from tests import placement_fixtures


def pytest_addoption(parser):
    parser.addoption(
        '--backends', default=','.join(backends.BACKENDS),
        help='databases for the tests that run on every backend '
             '(default: %(default)s)')


def pytest_configure(config):
    # CI must exercise every database; --backends is for local runs only.
    chosen = set(config.getoption('--backends').split(','))
    if os.environ.get('CI') == 'true' and chosen != set(backends.BACKENDS):
        raise pytest.UsageError(
            'CI=true runs the tests on every backend; drop --backends')


def pytest_generate_tests(metafunc):
    if 'backend' in metafunc.fixturenames:
        chosen = metafunc.config.getoption('--backends').split(',')
        metafunc.parametrize('backend', chosen, scope='session')


@pytest.fixture(scope='session')
def placement_database_url(backend, tmp_path_factory):
    """One migrated placement database per backend per test process."""
    database = backends.Database(backend, str(tmp_path_factory.mktemp('db')))
    placement_fixtures.migrate(database.url)
    yield database.url
    database.drop()


@pytest.fixture
def placement_on(placement_database_url):
    """A placement client on a clean database of each backend."""
    placement_fixtures.truncate(placement_database_url)
    with placement_fixtures.placement_client(
            placement_database_url, sync=False) as client:
        yield client


@pytest.fixture
def placement(tmp_path):
    """A placement client (noauth2, token admin, latest) on a fresh SQLite."""
    url = 'sqlite:///%s' % (tmp_path / 'placement.sqlite')
    with placement_fixtures.placement_client(url) as client:
        yield client
