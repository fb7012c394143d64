#!/usr/bin/env python3
"""Where a candidates request spends its time, in-process (no HTTP).

    .venv/bin/python benchmarks/engine_breakdown.py --n 1000 --n 10000 \\
        [--repeat 7] [--writes 1,10,100] [--connection URL]

For each N, the perf harness's dataset of N roots is loaded into a
database through the placement app itself (``PlacementDirect``: the WSGI
app called in-process, the harness's loader unchanged), by default a
SQLite file benchmarks/results/engine-n{N}.sqlite that is kept and reused
by later runs (a database already holding the dataset is not loaded
again; --connection gives another database, e.g. one a perf run filled).
Loading goes at the app's speed, minutes at N=10,000.

Then it times, separately, with medians of --repeat runs:

* snapshot: a full build from the database (what the first request of a
  process pays); the freshness check when nothing changed (what every
  request pays); and the incremental refresh after k claims
  (``PUT /allocations``) and after deleting them again, for each k of
  --writes;
* per query of the harness (every ``ac_`` query): the search
  (``candidate_search.find``), rendering the JSON body (``Answer.render``),
  and the whole in-process ``GET /allocation_candidates`` through the app,
  whose remainder ("other") is the WSGI stack, query parsing, policy and
  the freshness check. The search's input is captured from the app's own
  call (the handler's parsing, not a re-implementation).
"""

import argparse
import contextlib
import json
import os
import statistics
import sys
import time

from oslo_config import cfg

from nova_core import conf as nova_conf
from nova_core import context as nova_context
from nova_core.placement import candidate_search
from nova_core.placement import deploy
from nova_core.placement import direct
from nova_core.placement.objects import allocation_candidate as ac_obj

import perf_harness as perf
import tables

MICROVERSION = '1.39'


class DirectClient:
    """The perf harness's client interface over an in-process app."""

    def __init__(self, app, microversion=MICROVERSION):
        self._direct = direct.PlacementDirect(app=app, token='admin')
        self.microversion = microversion

    def request(self, method, path, body=None, microversion=None):
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        t0 = time.perf_counter()
        resp = self._direct.request(
            method, path, body=body,
            microversion=microversion or self.microversion)
        elapsed = time.perf_counter() - t0
        return perf.http.Response(resp.status_code, resp.content, elapsed,
                                  resp.headers)

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def put(self, path, body=None, **kw):
        return self.request('PUT', path, body=body, **kw)

    def post(self, path, body=None, **kw):
        return self.request('POST', path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request('DELETE', path, **kw)

    def close(self):
        pass


def make_app(url):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('auth_strategy', 'noauth2', group='api')
    conf.set_override('connection', url, group='placement_database')
    conf.set_override('sync_on_startup', True, group='placement_database')
    app = deploy.make_app(conf)
    return app, nova_context.get_admin_context(db=app.database, config=conf)


def timed(fn, repeat):
    """(median seconds, last result) of *repeat* calls."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


# -- snapshot freshness -----------------------------------------------------------


def drop_snapshot(app):
    app.database.cache.pop(ac_obj._CACHE_KEY, None)


def claim(client, consumer, allocations):
    resp = client.put('/allocations/%s' % consumer, body={
        'allocations': {rp: {'resources': res}
                        for rp, res in allocations.items()},
        'project_id': 'bench', 'user_id': 'bench',
        'consumer_generation': None, 'consumer_type': 'INSTANCE'})
    if resp.status != 204:
        raise SystemExit('claim: %d %s' % (resp.status, resp.body[:300]))


def freshness(app, ctx, client, ds, a):
    out = {}
    out['full_build_s'], snap = timed(
        lambda: (drop_snapshot(app), ac_obj.get_snapshot(ctx))[1], a.repeat)
    out['providers'] = len(snap)
    out['unchanged_check_s'], _ = timed(lambda: ac_obj.get_snapshot(ctx),
                                        a.repeat)
    out['after_writes'] = []
    for k in a.writes:
        targets = ds.claim_targets(k)
        consumers = ['%08x-0000-4000-8000-%012x' % (k, i)
                     for i in range(len(targets))]
        after_claims, after_deletes = [], []
        for _ in range(a.repeat):
            for consumer, allocs in zip(consumers, targets):
                claim(client, consumer, allocs)
            after_claims.append(timed(lambda: ac_obj.get_snapshot(ctx), 1)[0])
            for consumer in consumers:
                client.delete('/allocations/%s' % consumer)
            after_deletes.append(timed(lambda: ac_obj.get_snapshot(ctx),
                                       1)[0])
        out['after_writes'].append({
            'writes': len(targets),
            'refresh_after_claims_s': statistics.median(after_claims),
            'refresh_after_deletes_s': statistics.median(after_deletes)})
    return out


def freshness_table(n, f):
    rows = [['full build (first request of a process)', '-',
             tables.ms(f['full_build_s'], 2)],
            ['check, nothing changed (every request)', 0,
             tables.ms(f['unchanged_check_s'], 3)]]
    for w in f['after_writes']:
        rows.append(['refresh after k claims (PUT /allocations)',
                     w['writes'], tables.ms(w['refresh_after_claims_s'], 2)])
        rows.append(['refresh after deleting them', w['writes'],
                     tables.ms(w['refresh_after_deletes_s'], 2)])
    return tables.text_table(
        ['snapshot step', 'k', 'median ms'], rows,
        title='N=%d roots, %d providers: the snapshot' % (n, f['providers']))


# -- search and render --------------------------------------------------------------


@contextlib.contextmanager
def captured_calls():
    """Record what the app hands the engine: find()'s and render()'s
    arguments (the handler's own parsing), without changing the answer."""
    seen = {}
    find, render = candidate_search.find, candidate_search.Answer.render

    def spy_find(snapshot, groups, params=candidate_search.Params()):
        seen['find'] = (groups, params)
        return find(snapshot, groups, params)

    def spy_render(self, *args, **kwargs):
        seen['render'] = (args, kwargs)
        return render(self, *args, **kwargs)

    candidate_search.find = spy_find
    candidate_search.Answer.render = spy_render
    try:
        yield seen
    finally:
        candidate_search.find = find
        candidate_search.Answer.render = render


def breakdown(ctx, client, ds, a):
    qctx = perf.queries.Ctx(ds, MICROVERSION)
    rows = []
    for q in perf.queries.all_queries():
        if q.kind != 'ac' or not perf.http.mv_ge(MICROVERSION, q.min_mv):
            continue
        path = q.path(qctx, 0)
        with captured_calls() as seen:
            resp = client.get(path)
        if resp.status != 200:
            raise SystemExit('%s: %d %s' % (path, resp.status, resp.body))
        groups, params = seen['find']
        r_args, r_kwargs = seen['render']
        snap = ac_obj.get_snapshot(ctx)
        find_s, answer = timed(
            lambda: candidate_search.find(snap, groups, params), a.repeat)
        render_s, body = timed(lambda: answer.render(*r_args, **r_kwargs),
                               a.repeat)
        total_s, resp = timed(lambda: client.get(path), a.repeat)
        rows.append({'query': q.name, 'count': len(answer),
                     'bytes': len(body), 'find_s': find_s,
                     'render_s': render_s, 'get_total_s': total_s,
                     'other_s': total_s - find_s - render_s,
                     'render_share': render_s / total_s})
    return rows


def breakdown_table(n, rows):
    return tables.text_table(
        ['query', 'count', 'KB', 'GET ms', 'find ms', 'render ms',
         'other ms', 'render %'],
        [[r['query'], r['count'], tables.fmt(r['bytes'] / 1024.0),
          tables.ms(r['get_total_s'], 2), tables.ms(r['find_s'], 2),
          tables.ms(r['render_s'], 2), tables.ms(r['other_s'], 2),
          tables.fmt(100.0 * r['render_share'], 0)] for r in rows],
        title='N=%d roots: in-process GET /allocation_candidates = find + '
              'render + other (WSGI, parsing, policy, freshness check)' % n)


def run_size(n, url, a, log):
    ds = perf.dataset.Dataset(perf.dataset.DatasetParams(n))
    app, ctx = make_app(url)
    try:
        client = DirectClient(app)
        if perf.loader.state(client, ds) != 'loaded':
            log('N=%d: loading %s into %s' % (n, ds.summary(), url))
            info = perf.loader.Loader(client, ds, workers=a.load_workers,
                                      log=log).load()
            log('N=%d: loaded in %.1f s' % (n, info['total_s']))
        problems = perf.loader.verify(client, ds)
        if problems:
            raise SystemExit('N=%d: %s holds unexpected data: %s' % (
                n, url, problems))
        fresh = freshness(app, ctx, client, ds, a)
        rows = breakdown(ctx, client, ds, a)
    finally:
        app.database.dispose()
    return {'n': n, 'connection': url, 'dataset': ds.summary(),
            'freshness': fresh, 'queries': rows}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--n', type=int, action='append',
                    help='roots, repeatable (default 1000)')
    ap.add_argument('--connection', help='database URL (only with one --n)')
    ap.add_argument('--repeat', type=int, default=7)
    ap.add_argument('--writes', default='1,10,100',
                    type=lambda s: [int(x) for x in s.split(',')])
    ap.add_argument('--load-workers', type=int, default=4)
    ap.add_argument('--json')
    a = ap.parse_args()
    sizes = a.n or [1000]
    if a.connection and len(sizes) > 1:
        ap.error('--connection goes with a single --n')

    def log(*args):
        print(*args, file=sys.stderr, flush=True)

    results, texts = [], []
    for n in sizes:
        url = a.connection or 'sqlite:///%s' % perf.result_path(
            'engine-n%d.sqlite' % n)
        res = run_size(n, url, a, log)
        results.append(res)
        texts += [freshness_table(n, res['freshness']),
                  breakdown_table(n, res['queries'])]
    print('\n\n'.join(texts))
    tables.write_json(a.json or perf.result_path(
        'engine-breakdown-%s.json' % '-'.join(str(n) for n in sizes)),
        {'meta': {'repeat': a.repeat, 'microversion': MICROVERSION},
         'sizes': results})


if __name__ == '__main__':
    main()
