#!/usr/bin/env python3
"""Schedulers at work: candidate queries and claims interleaved, both servers.

    .venv/bin/python benchmarks/mixed_workload.py --n 1000 \\
        [--backend sqlite|mariadb] [--threads 4] [--duration 30] \\
        [--rounds 2] [--delete-every 3] \\
        [--keep DIR --upstream-port P --ours-port Q]

Both servers (upstream under uwsgi from /tmp/perf-venv, ours) are started
as child processes through the perf harness's target scripts and loaded
with the harness's dataset of N roots (its dataset and loader modules,
imported from ../shared/perf). Then, per round and per target (targets
alternate: A B, B A, ...), --threads client threads work for --duration
seconds like schedulers: each asks one of the harness's
allocation-candidate queries (those with a limit, and the upstream gate
query), picks one of the returned candidates and claims it
(``PUT /allocations/{new consumer}`` with that candidate's allocations);
every --delete-every claims it deletes its oldest consumer (an instance
going away). After each phase the phase's consumers are deleted, so every
phase starts from the same data.

Reported per target: candidate queries answered per second (200s),
successful claims per second (204s), claim conflicts (409s), deletes per
second, errors (anything else: 5xx, unexpected 4xx, timeouts), median
latencies; then ours / upstream ratios. Rates are medians over the rounds;
ratios are the medians of the per-round ratios (both sides of a ratio come
from the same round). After the last round the harness's post-load check
(provider count, project usages) runs again against both.
"""

import argparse
import random
import sys
import threading
import time
import uuid

import perf_harness as perf
import servers
import tables

MICROVERSION = '1.39'
QUERIES = ('ac_simple_limit1000', 'ac_traits_limit1000',
           'ac_member_of_limit1000', 'ac_upstream_gate',
           'ac_numa_isolate_limit1000', 'ac_sharing_limit1000')
PROJECT, USER = 'bench-mixed', 'bench-mixed'


class Phase:
    """One target, one round: counters shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {'candidates_ok': 0, 'empty_answers': 0, 'claims_ok': 0,
                       'conflicts': 0, 'deletes_ok': 0}
        self.errors = {}
        self.latency = {'get': [], 'put': [], 'delete': []}
        self.consumers = []
        self.wall = 0.0

    def add(self, counter, op=None, resp=None):
        with self.lock:
            self.counts[counter] = self.counts.get(counter, 0) + 1
            if op and resp is not None:
                self.latency[op].append(resp.elapsed)

    def error(self, key):
        with self.lock:
            self.errors[key] = self.errors.get(key, 0) + 1

    def summary(self):
        wall = self.wall or float('nan')
        return dict(self.counts, wall_s=self.wall, errors=self.errors,
                    candidates_per_s=self.counts['candidates_ok'] / wall,
                    claims_per_s=self.counts['claims_ok'] / wall,
                    deletes_per_s=self.counts['deletes_ok'] / wall,
                    median_ms={op: _ms(tables.median(v))
                                for op, v in self.latency.items()})


def _ms(seconds):
    return None if seconds is None else seconds * 1000.0


def claim_body(allocations):
    return {'allocations': allocations, 'project_id': PROJECT,
            'user_id': USER, 'consumer_generation': None,
            'consumer_type': 'INSTANCE'}


def worker(client, ctx, queries, phase, deadline, seed, tid, a):
    rng = random.Random(repr(seed))
    own = {'consumers': [], 'claims': 0}  # oldest consumer first
    i = 0
    while time.time() < deadline:
        q = queries[(tid + i) % len(queries)]
        i += 1
        try:
            _one_cycle(client, ctx, q, i, rng, own, phase, a)
        except OSError as exc:  # timeouts, refused or dropped connections
            phase.error(type(exc).__name__)
    with phase.lock:
        phase.consumers += own['consumers']
    client.close()


def _one_cycle(client, ctx, q, i, rng, own, phase, a):
    resp = client.get(q.path(ctx, i))
    if resp.status != 200:
        phase.error('GET %d' % resp.status)
        return
    phase.add('candidates_ok', 'get', resp)
    cands = resp.json()['allocation_requests']
    if not cands:
        phase.add('empty_answers')
        return
    chosen = rng.choice(cands)
    consumer = str(uuid.uuid4())
    resp = client.put('/allocations/%s' % consumer,
                      body=claim_body(chosen['allocations']))
    if resp.status == 204:
        phase.add('claims_ok', 'put', resp)
        own['consumers'].append(consumer)
        own['claims'] += 1
    elif resp.status == 409:
        phase.add('conflicts', 'put', resp)
    else:
        phase.error('PUT %d %s' % (resp.status, resp.error_code()))
        return
    if resp.status == 204 and own['claims'] % a.delete_every == 0:
        gone = own['consumers'].pop(0)
        resp = client.delete('/allocations/%s' % gone)
        if resp.status == 204:
            phase.add('deletes_ok', 'delete', resp)
        else:
            phase.error('DELETE %d' % resp.status)


def run_phase(target, ds, queries, rnd, a):
    ctx = perf.queries.Ctx(ds, MICROVERSION)
    phase = Phase()
    client = perf.http.Client(target.url, microversion=MICROVERSION,
                              timeout=a.timeout)
    deadline = time.time() + a.duration
    threads = [threading.Thread(target=worker, args=(
        client, ctx, queries, phase, deadline, (rnd, tid), tid, a))
        for tid in range(a.threads)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    phase.wall = time.perf_counter() - t0
    for consumer in phase.consumers:  # back to the loaded data
        resp = client.delete('/allocations/%s' % consumer)
        if resp.status != 204:
            phase.error('cleanup DELETE %d' % resp.status)
    client.close()
    return phase.summary()


def load(target, ds, log):
    client = perf.http.Client(target.url, microversion=MICROVERSION)
    state = perf.loader.state(client, ds)
    if state != 'loaded':
        log('[%s] loading %s' % (target.kind, ds.summary()))
        info = perf.loader.Loader(client, ds, workers=8, log=log).load()
        log('[%s] loaded in %.1f s' % (target.kind, info['total_s']))
    problems = perf.loader.verify(client, ds)
    if problems:
        raise SystemExit('[%s] dataset check failed: %s' % (target.kind,
                                                            problems))


def aggregate(rounds, names):
    out = {}
    for name in names:
        per = [r[name] for r in rounds]
        out[name] = {key: tables.median([p[key] for p in per]) for key in (
            'candidates_per_s', 'claims_per_s', 'deletes_per_s')}
        for key in ('candidates_ok', 'claims_ok', 'conflicts', 'deletes_ok',
                    'empty_answers'):
            out[name][key] = sum(p.get(key, 0) for p in per)
        errors = {}
        for p in per:
            for k, v in p['errors'].items():
                errors[k] = errors.get(k, 0) + v
        out[name]['errors'] = errors
        out[name]['median_ms'] = {op: tables.median(
            [p['median_ms'][op] for p in per]) for op in ('get', 'put',
                                                          'delete')}
    ratios = {}
    for key in ('candidates_per_s', 'claims_per_s', 'deletes_per_s'):
        ratios[key] = tables.median([tables.ratio(
            r[servers.OURS][key], r[servers.UPSTREAM][key]) for r in rounds])
    return out, ratios


def render(agg, ratios, rounds, a):
    names = (servers.UPSTREAM, servers.OURS)
    rows = []
    for name in names:
        s = agg[name]
        rows.append([name, tables.fmt(s['candidates_per_s'], 2),
                     tables.fmt(s['claims_per_s'], 2),
                     tables.fmt(s['deletes_per_s'], 2),
                     s['candidates_ok'], s['claims_ok'], s['conflicts'],
                     s['empty_answers'],
                     sum(s['errors'].values()),
                     tables.fmt(s['median_ms']['get']),
                     tables.fmt(s['median_ms']['put'])])
    rows.append(['ours/upstream', tables.fmt(ratios['candidates_per_s'], 2),
                 tables.fmt(ratios['claims_per_s'], 2),
                 tables.fmt(ratios['deletes_per_s'], 2)] + [''] * 7)
    text = tables.text_table(
        ['target', 'cand/s', 'claims/s', 'del/s', 'answers', 'claims',
         '409s', 'empty', 'errors', 'GET med ms', 'PUT med ms'], rows,
        title='%d threads x %.0f s per phase, %d rounds (targets '
              'alternating), N=%d roots, %s' % (
                  a.threads, a.duration, len(rounds), a.n, a.backend))
    for name in names:
        if agg[name]['errors']:
            text += '\n%s errors: %s' % (name, agg[name]['errors'])
    return text + ('\nrates: medians over the rounds; ratios: median of the '
                   'per-round ours/upstream ratios (>1: ours does more)')


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--n', type=int, default=1000)
    ap.add_argument('--backend', choices=servers.BACKENDS, default='sqlite')
    ap.add_argument('--threads', type=int, default=4)
    ap.add_argument('--duration', type=float, default=30)
    ap.add_argument('--rounds', type=int, default=2)
    ap.add_argument('--delete-every', type=int, default=3)
    ap.add_argument('--timeout', type=float, default=300,
                    help='per request, seconds')
    ap.add_argument('--keep', metavar='DIR',
                    help='use (and keep) the databases of a '
                    'placement_vs_upstream.py --keep DIR run, with the same '
                    'ports and backend')
    ap.add_argument('--upstream-port', type=int)
    ap.add_argument('--ours-port', type=int)
    ap.add_argument('--json')
    a = ap.parse_args()

    def log(*args):
        print(*args, file=sys.stderr, flush=True)

    ds = perf.dataset.Dataset(perf.dataset.DatasetParams(a.n))
    queries = [q for q in perf.queries.all_queries() if q.name in QUERIES]
    rounds = []
    with servers.Server(servers.UPSTREAM, a.backend, a.upstream_port,
                        log=log, keep=a.keep) as up, \
            servers.Server(servers.OURS, a.backend, a.ours_port, log=log,
                           keep=a.keep) as ours:
        for target in (up, ours):
            load(target, ds, log)
        order = [up, ours]
        for rnd in range(a.rounds):
            result = {}
            for target in (order if rnd % 2 == 0 else order[::-1]):
                result[target.kind] = run_phase(target, ds, queries, rnd, a)
                log('[%s] round %d: %s' % (target.kind, rnd,
                                           result[target.kind]))
            rounds.append(result)
        checks = {t.kind: perf.loader.verify(perf.http.Client(
            t.url, microversion=MICROVERSION), ds) for t in (up, ours)}
    agg, ratios = aggregate(rounds, (servers.UPSTREAM, servers.OURS))
    print(render(agg, ratios, rounds, a))
    for name, problems in checks.items():
        print('%s after the rounds: %s' % (
            name, 'data as loaded' if not problems else problems))
    tables.write_json(a.json or perf.result_path(
        'mixed-n%d-%s.json' % (a.n, a.backend)), {
            'meta': {'n': a.n, 'backend': a.backend, 'threads': a.threads,
                     'duration_s': a.duration, 'queries': list(QUERIES),
                     'dataset': ds.summary()},
            'rounds': rounds, 'aggregate': agg, 'ratios': ratios,
            'checks_after': checks})


if __name__ == '__main__':
    main()
