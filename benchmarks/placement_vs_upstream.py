#!/usr/bin/env python3
"""The perf harness, ours against upstream, for one size and one backend.

    .venv/bin/python benchmarks/placement_vs_upstream.py --n 1000 \\
        --backend sqlite [--repeat 5] [--only '^ac_'] [-- BENCH ARGS...]

Runs ``../shared/perf/bench.py`` with two targets it starts itself:
``upstream`` (openstack-placement under uwsgi, from /tmp/perf-venv) and
``nova_core`` (``.venv/bin/nova-core-placement-api``), loads the same
dataset of N roots into both through the REST API, times the same
requests against both, interleaved (A B, B A, ...), writes bench.py's JSON
(default benchmarks/results/vs-upstream-n{N}-{backend}.json) and prints
bench.py's tables followed by the allocation-candidate report
(``ac_report.py``: speed-ups, checks, queries below the bar).

On MariaDB (--backend mariadb: root without password on 127.0.0.1:3306,
NOVA_CORE_BENCH_MYSQL_URL to change) each side gets a fresh database,
created before and dropped after the run. Ports default to 8301
(upstream) and 8302 (ours) so as not to meet a bench.py run on its
README's ports. With --keep DIR the databases stay (SQLite files in DIR,
MariaDB databases on the server) and the next run with the same DIR and
ports reuses them without loading again: load the 10,000-root dataset once
(``-- --load-only``), then measure as often as
needed.
"""

import argparse
import os
import shlex
import subprocess
import sys

import ac_report
import perf_harness as perf
import servers


def bench_command(a, up, ours, json_path):
    python = perf.upstream_python()
    cmd = [python, 'bench.py', '--n', str(a.n), '--repeat', str(a.repeat),
           '--json', json_path,
           '--target', 'upstream=%s' % up.url,
           '--start', 'upstream=%s' % ' '.join(
               shlex.quote(c) for c in up.command()),
           '--target', 'nova_core=%s' % ours.url,
           '--start', 'nova_core=%s' % ' '.join(
               shlex.quote(c) for c in ours.command()),
           '--logdir', os.path.join(perf.RESULTS_DIR, 'logs')]
    if a.only:
        cmd += ['--only', a.only]
    if a.skip:
        cmd += ['--skip', a.skip]
    return cmd + a.bench_args


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--n', type=int, required=True,
                    help='compute-node roots (1000, 10000; 200 to try)')
    ap.add_argument('--backend', choices=servers.BACKENDS, default='sqlite')
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--only', help="bench.py --only (e.g. '^ac_')")
    ap.add_argument('--skip', help='bench.py --skip')
    ap.add_argument('--upstream-port', type=int, default=8301)
    ap.add_argument('--ours-port', type=int, default=8302)
    ap.add_argument('--json', help='result file (default benchmarks/results/'
                    'vs-upstream-n{N}-{backend}.json)')
    ap.add_argument('--keep', metavar='DIR',
                    help='keep both databases (SQLite files in DIR, '
                    'MariaDB databases on the server) and reuse them on the '
                    'next run with the same DIR and ports: the dataset is '
                    'loaded once')
    ap.add_argument('--threshold', type=float,
                    help='speed-up bar of the report (default 20x below '
                    '10,000 roots, 50x from 10,000)')
    ap.add_argument('bench_args', nargs='*',
                    help='after --: more bench.py arguments')
    a = ap.parse_args()
    json_path = os.path.abspath(a.json or perf.result_path(
        'vs-upstream-n%d-%s.json' % (a.n, a.backend)))
    up = servers.Server(servers.UPSTREAM, a.backend, a.upstream_port,
                        keep=a.keep)
    ours = servers.Server(servers.OURS, a.backend, a.ours_port, keep=a.keep)
    cmd = bench_command(a, up, ours, json_path)
    print('+ (cd %s && %s)' % (perf.PERF_DIR, ' '.join(
        shlex.quote(c) for c in cmd)), file=sys.stderr, flush=True)
    try:
        ours.db.create()
        up.db.create()
        status = subprocess.call(cmd, cwd=perf.PERF_DIR)
    finally:
        # bench.py stopped the servers it started; only the databases stay.
        ours.db.drop()
        up.db.drop()
    if not os.path.exists(json_path):
        sys.exit('bench.py exited with %s and wrote no %s' % (status,
                                                              json_path))
    print()
    _rows, _threshold, text = ac_report.report(json_path, a.threshold)
    print(text)
    return status


if __name__ == '__main__':
    sys.exit(main())
