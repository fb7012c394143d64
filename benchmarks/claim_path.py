#!/usr/bin/env python3
"""The scheduler's placement round trip, in-process: candidates, then a claim.

    .venv/bin/python benchmarks/claim_path.py [--providers 2000] [--rounds 500]
        [--connection URL] [--profile claim|get]

Builds --providers compute-node providers (VCPU / MEMORY_MB / DISK_GB) in a
placement app called in-process (``PlacementDirect``, as
benchmarks/scheduler_scale.py does) on a fresh SQLite file (or on
--connection, a MariaDB / PostgreSQL server URL whose database is dropped
and made again), then times --rounds rounds of what one scheduling
decision asks of placement:

* ``GET /allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1
  &limit=1000`` at microversion 1.38 (the first round after a claim pays
  the snapshot's refresh);
* ``PUT /allocations/{new uuid}`` at 1.38 with consumer type INSTANCE and
  consumer generation null, of one candidate's allocation request (as
  ``placement_client.allocations.claim_resources`` does).

Reports wall and CPU milliseconds per GET and per claim (medians and
means) and SQL statements per GET and per claim (a ``before_cursor_execute``
counter on the app's engine: it sees only statements run through
SQLAlchemy's ``Connection.execute``; the snapshot's version probe and the
write path's ``db.prepared`` statements run on the driver's cursor and
are not counted). To compare two trees, run it with
``PYTHONPATH=<other checkout>`` as well, in the same session.
"""

import argparse
import cProfile
import json
import os
import pathlib
import pstats
import statistics
import sys
import tempfile
import time
import uuid as uuidlib

import sqlalchemy as sa

from nova_core.placement import deploy
from nova_core.placement import direct
from nova_core.testing import scheduler as sf

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
from tests import placement_fixtures  # noqa: E402  (needs ROOT)

QUERY = ('/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1'
         '&limit=1000')
VERSION = '1.38'
PROJECT = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5'
USER = 'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5'


def _database(connection, workdir):
    if not connection:
        return 'sqlite:///%s/placement.sqlite' % workdir
    url = sa.engine.make_url(connection)
    name = url.database or 'claim_path_bench'
    server = sa.create_engine(url.set(database=(
        'postgres' if url.get_backend_name() == 'postgresql' else 'mysql')),
        isolation_level='AUTOCOMMIT')
    with server.connect() as conn:
        conn.exec_driver_sql('DROP DATABASE IF EXISTS %s' % name)
        conn.exec_driver_sql('CREATE DATABASE %s' % name)
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _app(url):
    return deploy.make_app(placement_fixtures.make_conf(url))


def _check(resp, status):
    if resp.status_code != status:
        raise SystemExit('%s: %s' % (resp.status_code, resp.text))
    return resp


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--providers', type=int, default=2000)
    parser.add_argument('--rounds', type=int, default=500)
    parser.add_argument('--warmup', type=int, default=20)
    parser.add_argument('--connection')
    parser.add_argument('--profile', choices=('claim', 'get'))
    parser.add_argument('--json', action='store_true')
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='claim-path-')
    url = _database(args.connection, workdir)
    app = _app(url)
    client = direct.PlacementDirect(app=app, token='admin')
    for i in range(args.providers):
        sf.add_compute_node(client, 'node-%05d' % i, vcpus=64,
                            memory_mb=262144, disk_gb=4000)
    statements = [0]

    def count(*_args):
        statements[0] += 1

    sa.event.listen(app.database.engine, 'before_cursor_execute', count)
    profiler = cProfile.Profile() if args.profile else None
    rows = {'get': [], 'claim': []}
    for n in range(args.warmup + args.rounds):
        measure = n >= args.warmup
        stats = []
        for kind in ('get', 'claim'):
            if kind == 'get':
                call = lambda: client.get(QUERY, microversion=VERSION)  # noqa
            else:
                request = candidates[n % len(candidates)]
                body = {'allocations': request['allocations'],
                        'project_id': PROJECT, 'user_id': USER,
                        'consumer_generation': None,
                        'consumer_type': 'INSTANCE'}
                call = lambda: client.put(  # noqa
                    '/allocations/%s' % uuidlib.uuid4(), json=body,
                    microversion=VERSION)
            before = statements[0]
            profiling = measure and profiler and args.profile == kind
            if profiling:
                profiler.enable()
            wall, cpu = time.perf_counter(), time.process_time()
            resp = call()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if profiling:
                profiler.disable()
            stats.append((wall, cpu, statements[0] - before))
            if kind == 'get':
                candidates = _check(resp, 200).json()['allocation_requests']
            else:
                _check(resp, 204)
        if measure:
            rows['get'].append(stats[0])
            rows['claim'].append(stats[1])
    result = {'providers': args.providers, 'rounds': args.rounds,
              'backend': app.database.engine.dialect.name,
              'tree': os.path.dirname(os.path.dirname(os.path.dirname(
                  os.path.abspath(deploy.__file__))))}
    for kind, samples in rows.items():
        walls = [s[0] * 1000 for s in samples]
        cpus = [s[1] * 1000 for s in samples]
        result[kind] = {
            'wall_ms_median': round(statistics.median(walls), 3),
            'wall_ms_mean': round(statistics.mean(walls), 3),
            'cpu_ms_mean': round(statistics.mean(cpus), 3),
            'statements': round(statistics.mean(s[2] for s in samples), 2)}
    app.database.dispose()
    if args.json:
        print(json.dumps(result))
    else:
        print('%s (%s, %d providers, %d rounds)' % (
            result['tree'], result['backend'], args.providers, args.rounds))
        for kind in ('get', 'claim'):
            r = result[kind]
            print('  %-5s wall %7.3f ms median %7.3f mean, cpu %7.3f ms, '
                  '%5.2f statements' % (kind, r['wall_ms_median'],
                                        r['wall_ms_mean'], r['cpu_ms_mean'],
                                        r['statements']))
    if profiler:
        pstats.Stats(profiler, stream=sys.stderr).sort_stats(
            'cumulative').print_stats(45)


if __name__ == '__main__':
    main()
