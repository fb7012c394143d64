"""Every distribution under plugins/ passes its own tests.

Each runs in a child pytest from its own directory, as its author runs it
(its pytest.ini, its tests/, the installed nova_core and nova_core.testing;
none of nova_core's conftest or fixtures).
"""

import subprocess
import sys

import pytest

from tests.functional.plugins import conftest


@pytest.mark.parametrize('directory', conftest.distributions(),
                         ids=lambda d: d.name)
def test_plugin_tests_pass(directory, plugin_env):
    assert (directory / 'tests').is_dir(), 'a plugin ships its tests'
    proc = subprocess.run(
        [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'],
        cwd=directory, env=plugin_env, capture_output=True, text=True,
        timeout=300)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
    assert ' passed' in proc.stdout
