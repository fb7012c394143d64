"""Fixtures for the tests that run nova_core's programs as child processes."""

import pytest

from tests import servers


@pytest.fixture
def processes(tmp_path):
    """Start servers with ``processes.placement_api(...)``; killed at the end."""
    procs = servers.Processes(tmp_path)
    yield procs
    procs.cleanup()


@pytest.fixture(scope='module')
def noauth_placement(tmp_path_factory):
    """One noauth2 server on a fresh SQLite file, shared by a module's tests.

    For tests that drive it as a client would; its log must end without a
    traceback or a 500.
    """
    tmp = tmp_path_factory.mktemp('placement')
    conf = servers.write_conf(tmp / 'placement.conf',
                              {'api': {'auth_strategy': 'noauth2'}})
    procs = servers.Processes(tmp)
    try:
        server = procs.placement_api('--config-file', conf,
                                     '--state-dir', str(tmp / 'state'))
        yield server.wait_ready()
        log = server.log()
        assert 'Traceback' not in log and 'status: 500' not in log, log
    finally:
        procs.cleanup()
