"""The shared perf harness (../shared/perf): where it is, and its modules.

The benchmarks reuse the harness's dataset, loader, query set and HTTP
client rather than copying them, so that every figure here is measured on
the same data as ``bench.py``. Importing this module puts the harness's
folder on ``sys.path`` (that is its whole purpose); set NOVA_CORE_PERF_DIR
to use a harness elsewhere, NOVA_CORE_PERF_VENV for the virtualenv that
holds upstream placement (default /tmp/perf-venv).
"""

import os
import sys

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
PERF_DIR = os.path.abspath(os.environ.get(
    'NOVA_CORE_PERF_DIR', os.path.join(REPO_DIR, '..', 'shared', 'perf')))
PERF_VENV = os.environ.get('NOVA_CORE_PERF_VENV', '/tmp/perf-venv')
NOVA_CORE_BIN = os.environ.get('NOVA_CORE_BIN',
                               os.path.join(REPO_DIR, '.venv', 'bin'))
RESULTS_DIR = os.path.join(BENCH_DIR, 'results')

if not os.path.isdir(os.path.join(PERF_DIR, 'placement_perf')):
    sys.exit('perf harness not found in %s (set NOVA_CORE_PERF_DIR)'
             % PERF_DIR)
if PERF_DIR not in sys.path:
    sys.path.insert(0, PERF_DIR)

from placement_perf import dataset  # noqa: E402
from placement_perf import http  # noqa: E402
from placement_perf import loader  # noqa: E402
from placement_perf import queries  # noqa: E402
from placement_perf import runner  # noqa: E402

__all__ = ['dataset', 'http', 'loader', 'queries', 'runner', 'PERF_DIR',
           'PERF_VENV', 'NOVA_CORE_BIN', 'REPO_DIR', 'RESULTS_DIR',
           'upstream_python', 'result_path']


def upstream_python():
    """The interpreter of the virtualenv holding upstream placement."""
    python = os.path.join(PERF_VENV, 'bin', 'python')
    if not os.access(python, os.X_OK):
        sys.exit('%s missing: python3 -m venv %s && %s/bin/pip install -r '
                 '%s/requirements.txt' % (python, PERF_VENV, PERF_VENV,
                                          PERF_DIR))
    return python


def result_path(name):
    """Default place of a result file: benchmarks/results/NAME."""
    os.makedirs(RESULTS_DIR, exist_ok=True)
    return os.path.join(RESULTS_DIR, name)
