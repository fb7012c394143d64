#!/usr/bin/env python3
"""One wide provider tree: the first candidates fast, memory bound by limit.

    .venv/bin/python benchmarks/wide_tree.py [--children 8] [--groups 8] \\
        [--limit 1000] [--repeat 5] [--upstream-timeout 900] \\
        [--big-children 16] [--memory-limits 100,1000,10000]

The tree: one root without inventory and C children with plenty of VCPU
each. The request: G granular groups of one VCPU each
(``resources1=VCPU:1&...&resourcesG=VCPU:1``), ``group_policy=isolate``,
``limit``. There are C**G combinations of one child per group and
C!/(C-G)! candidates (8 children, 8 groups: 16.8 million combinations,
40,320 candidates).

Part 1, side by side: both servers (fresh SQLite each, started as child
processes through the perf harness's target scripts) get the same tree;
the request with ``limit`` is timed against both, interleaved. Upstream
builds every combination before applying the limit, so it may take
minutes: a request that has not answered after --upstream-timeout seconds
is reported as "timed out after X s" and upstream is not asked again.

Part 2, ours only: for the tree of C children and a bigger one
(--big-children, e.g. 16 children and 8 groups: 4.3 billion
combinations), a fresh server per tree; after one small warm-up request
(which builds the candidate snapshot) the request is sent with each limit
of --memory-limits, in increasing order, several times: response size,
latency, and the server's VmRSS / VmHWM (peak) from /proc. The peak may
grow with the limit (the answer is built in memory), never with the
number of combinations: the same limit costs the same on both trees.
"""

import argparse
import json
import math
import sys
import time
import uuid

import perf_harness as perf
import servers
import tables

NS = uuid.UUID('0b6d2f6e-8a51-4f0e-9d87-5d8f6a3c9e21')
MICROVERSION = '1.39'
VCPU_PER_CHILD = 1024


def provider_uuid(children, name):
    return str(uuid.uuid5(NS, 'wide-%d-%s' % (children, name)))


def load_tree(client, children):
    """Root plus *children* children with VCPU; returns the root uuid."""
    root = provider_uuid(children, 'root')
    _ok(client.post('/resource_providers', body={
        'uuid': root, 'name': 'wide-root-%d' % children}), 200)
    for k in range(children):
        child = provider_uuid(children, 'child-%d' % k)
        _ok(client.post('/resource_providers', body={
            'uuid': child, 'name': 'wide-%d-child-%d' % (children, k),
            'parent_provider_uuid': root}), 200)
        _ok(client.put('/resource_providers/%s/inventories' % child, body={
            'resource_provider_generation': 0,
            'inventories': {'VCPU': {'total': VCPU_PER_CHILD}}}), 200)
    return root


def _ok(resp, status):
    if resp.status != status:
        raise SystemExit('%d (expected %d): %s' % (resp.status, status,
                                                   resp.body[:300]))
    return resp


def query(groups, limit):
    parts = ['resources%d=VCPU:1' % (g + 1) for g in range(groups)]
    parts += ['group_policy=isolate', 'limit=%d' % limit]
    return '/allocation_candidates?' + '&'.join(parts)


def check_answer(body, groups):
    """(candidates, provider summaries, problems) of one answer."""
    doc = json.loads(body)
    reqs = doc['allocation_requests']
    bad = 0
    for ar in reqs:
        allocs = ar['allocations']
        if len(allocs) != groups or any(
                a['resources'] != {'VCPU': 1} for a in allocs.values()):
            bad += 1
    return len(reqs), len(doc['provider_summaries']), bad


def sizes(children, groups):
    combos = children ** groups
    cands = math.perm(children, groups) if children >= groups else 0
    return combos, cands


# -- part 1 ---------------------------------------------------------------------


def side_by_side(a, log):
    path = query(a.groups, a.limit)
    results = {}
    with servers.Server(servers.UPSTREAM, 'sqlite', log=log) as up, \
            servers.Server(servers.OURS, 'sqlite', log=log) as ours:
        clients = {
            servers.UPSTREAM: perf.http.Client(
                up.url, microversion=MICROVERSION,
                timeout=a.upstream_timeout),
            servers.OURS: perf.http.Client(ours.url,
                                           microversion=MICROVERSION)}
        for name, client in clients.items():
            load_tree(client, a.children)
            results[name] = {'latencies_s': [], 'timed_out_after_s': None,
                             'errors': {}}
        procs = {servers.UPSTREAM: up, servers.OURS: ours}
        order = [servers.UPSTREAM, servers.OURS]
        for i in range(a.repeat):
            for name in (order if i % 2 == 0 else order[::-1]):
                _one_request(name, clients[name], procs[name], path,
                             results[name], a, log)
        for name in order:
            results[name]['memory_kb_after'] = procs[name].memory_kb()
    return {'path': path, 'results': results}


def _one_request(name, client, server, path, res, a, log):
    if res['timed_out_after_s'] is not None:
        return
    t0 = time.perf_counter()
    try:
        resp = client.get(path)
    except TimeoutError:
        res['timed_out_after_s'] = round(time.perf_counter() - t0, 1)
        log('[%s] timed out after %.0f s; stopping it' % (
            name, res['timed_out_after_s']))
        server.stop()
        return
    if resp.status != 200:
        key = str(resp.status)
        res['errors'][key] = res['errors'].get(key, 0) + 1
        return
    res['latencies_s'].append(resp.elapsed)
    count, summaries, bad = check_answer(resp.body, a.groups)
    res.update(count=count, provider_summaries=summaries,
               bad_candidates=bad, bytes=len(resp.body))
    log('[%s] %d candidates in %.3f s' % (name, count, resp.elapsed))


def side_by_side_table(part, a):
    combos, cands = sizes(a.children, a.groups)
    rows = []
    for name in (servers.UPSTREAM, servers.OURS):
        r = part['results'][name]
        lat = r['latencies_s']
        note = ''
        if r['timed_out_after_s'] is not None:
            note = 'timed out after %.0f s' % r['timed_out_after_s']
        elif r['errors']:
            note = 'errors %s' % r['errors']
        elif r.get('bad_candidates'):
            note = '%d BAD candidates' % r['bad_candidates']
        rows.append([name, len(lat), tables.ms(tables.median(lat)),
                     tables.ms(min(lat) if lat else None),
                     r.get('count'), r.get('bytes'),
                     tables.fmt(r['memory_kb_after'].get('rss', 0) / 1024.0),
                     note or 'ok'])
    up = tables.median(part['results'][servers.UPSTREAM]['latencies_s'])
    ours = tables.median(part['results'][servers.OURS]['latencies_s'])
    speedup = tables.ratio(up, ours)
    part['speedup'] = speedup
    title = ('1 root, %d children, %d groups VCPU:1, group_policy=isolate, '
             'limit=%d (%s combinations, %s candidates)' % (
                 a.children, a.groups, a.limit, format(combos, ','),
                 format(cands, ',')))
    text = tables.text_table(
        ['target', 'n', 'median ms', 'min ms', 'count', 'bytes',
         'RSS MB', 'note'], rows, title=title)
    return text + '\nspeed-up (upstream median / ours): %s' % (
        '%.0fx' % speedup if speedup else 'n/a (no upstream answer)')


# -- part 2 ---------------------------------------------------------------------


def memory_curve(children, a, log):
    out = {'children': children, 'groups': a.groups, 'rows': []}
    combos, cands = sizes(children, a.groups)
    out.update(combinations=combos, candidates=cands)
    with servers.Server(servers.OURS, 'sqlite', log=log) as ours:
        client = perf.http.Client(ours.url, microversion=MICROVERSION)
        load_tree(client, children)
        _ok(client.get(query(a.groups, 1)), 200)
        out['baseline_kb'] = ours.memory_kb()
        for limit in a.memory_limits:
            lat, mem = [], None
            for _ in range(a.memory_repeat):
                resp = _ok(client.get(query(a.groups, limit)), 200)
                lat.append(resp.elapsed)
                count, _summaries, bad = check_answer(resp.body, a.groups)
                mem = ours.memory_kb()
            out['rows'].append({
                'limit': limit, 'median_s': tables.median(lat),
                'count': count, 'bad_candidates': bad,
                'bytes': len(resp.body), 'rss_kb': mem['rss'],
                'hwm_kb': mem['hwm']})
            log('[ours %d children] limit %d: %d candidates, %.3f s, '
                'RSS %d kB, HWM %d kB' % (children, limit, count,
                                          tables.median(lat), mem['rss'],
                                          mem['hwm']))
    return out


def memory_table(curves):
    rows = []
    for c in curves:
        base = c['baseline_kb']
        for r in c['rows']:
            rows.append([
                c['children'], format(c['combinations'], ','), r['limit'],
                r['count'], tables.ms(r['median_s']),
                tables.fmt(r['bytes'] / 1e6, 2),
                tables.fmt(base['hwm'] / 1024.0),
                tables.fmt(r['rss_kb'] / 1024.0),
                tables.fmt(r['hwm_kb'] / 1024.0),
                tables.fmt((r['hwm_kb'] - base['hwm']) / 1024.0),
                'ok' if not r['bad_candidates'] else 'BAD'])
    return tables.text_table(
        ['children', 'combinations', 'limit', 'count', 'median ms',
         'body MB', 'base HWM MB', 'RSS MB', 'HWM MB', 'HWM-base MB',
         'check'], rows,
        title='our server, one process: memory per limit (HWM = peak RSS '
              'since start, base = after load + warm-up)')


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--children', type=int, default=8)
    ap.add_argument('--groups', type=int, default=8)
    ap.add_argument('--limit', type=int, default=1000)
    ap.add_argument('--repeat', type=int, default=5)
    ap.add_argument('--upstream-timeout', type=float, default=900)
    ap.add_argument('--skip-upstream', action='store_true',
                    help='only part 2')
    ap.add_argument('--big-children', type=int, default=16)
    ap.add_argument('--memory-limits', default='100,1000,10000',
                    type=lambda s: sorted(int(x) for x in s.split(',')))
    ap.add_argument('--memory-repeat', type=int, default=3)
    ap.add_argument('--json', default=None)
    a = ap.parse_args()

    def log(*args):
        print(*args, file=sys.stderr, flush=True)

    doc = {'meta': {'children': a.children, 'groups': a.groups,
                    'limit': a.limit, 'microversion': MICROVERSION}}
    texts = []
    if not a.skip_upstream:
        part = side_by_side(a, log)
        texts.append(side_by_side_table(part, a))
        doc['side_by_side'] = part
    curves = [memory_curve(c, a, log) for c in (a.children, a.big_children)]
    doc['memory'] = curves
    texts.append(memory_table(curves))
    print('\n\n'.join(texts))
    tables.write_json(a.json or perf.result_path(
        'wide-tree-c%d-g%d.json' % (a.children, a.groups)), doc)


if __name__ == '__main__':
    main()
