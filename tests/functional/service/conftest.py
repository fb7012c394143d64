"""Fixtures for the tests that run nova_core's programs as child processes."""

import pytest

from tests import servers


@pytest.fixture
def processes(tmp_path):
    """Start servers with ``processes.placement_api(...)``; killed at the end."""
    procs = servers.Processes(tmp_path)
    yield procs
    procs.cleanup()
