"""The plugin distributions under plugins/, installed for the tests.

tools/venv.sh installs every one of them into the venv (editable, no
dependencies), which is how CI has them. When a distribution is not
installed (a venv made before it was added, and not refreshed), the
``plugin_path`` fixture makes it visible as an installation would, without
network: ``setup.py egg_info`` writes its metadata (entry points included,
from its own setup.py) into a temporary directory, which goes on sys.path
with the distribution's source directory.
"""

import importlib.metadata
import os
import pathlib
import subprocess
import sys

import pytest

PLUGINS_DIR = pathlib.Path(__file__).resolve().parents[3] / 'plugins'


def distributions():
    """The plugin distribution directories, sorted."""
    if not PLUGINS_DIR.is_dir():
        return []
    return sorted(d for d in PLUGINS_DIR.iterdir()
                  if (d / 'setup.py').is_file() or
                  (d / 'pyproject.toml').is_file())


def _dist_name(directory):
    out = subprocess.run(
        [sys.executable, 'setup.py', '--name'], cwd=directory, check=True,
        capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def _is_installed(name):
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.fixture(scope='session')
def plugin_path(tmp_path_factory):
    """sys.path entries (maybe none) that make every plugin distribution
    visible; prepended to sys.path for the session."""
    extra = []
    for directory in distributions():
        if (not (directory / 'setup.py').is_file() or
                _is_installed(_dist_name(directory))):
            continue
        egg_base = tmp_path_factory.mktemp('egg-info')
        subprocess.run([sys.executable, 'setup.py', '-q', 'egg_info',
                        '--egg-base', str(egg_base)],
                       cwd=directory, check=True, capture_output=True)
        extra += [str(egg_base), str(directory)]
    sys.path[:0] = extra
    yield extra
    for entry in extra:
        sys.path.remove(entry)


@pytest.fixture
def plugin_env(plugin_path):
    """os.environ for a child process that must see the plugins."""
    env = dict(os.environ)
    if plugin_path:
        env['PYTHONPATH'] = os.pathsep.join(
            plugin_path + [p for p in [env.get('PYTHONPATH')] if p])
    return env
