#!/usr/bin/env python3
"""Compare, candidate by candidate, our answers with upstream's on the perf dataset.

    .venv/bin/python benchmarks/compare_answers.py --n 1000 \\
        --keep /var/tmp/ncbench/n1k-sqlite [--backend sqlite|mariadb] \\
        [--upstream-port 8301 --ours-port 8302]

bench.py compares digests and counts; when they differ this says how.
Both servers are started on the databases a ``placement_vs_upstream.py
--keep DIR`` run left (same DIR, backend and ports; they are loaded first
if empty). Every allocation-candidate query of the harness is asked of
both once, and the answers are compared as sets of allocation requests
(provider -> resources) and provider summaries (capacity, used):

* ``same``: the same set;
* ``ours has K more``: upstream's set is a strict subset of ours, and every
  extra candidate takes the unsuffixed group's resources from sharing
  providers only, the documented deviation: upstream builds that option
  once per tree in the sharing provider's aggregates, then deduplicates
  them ignoring the tree (AllocationRequest equality), so one tree per
  sharing provider keeps it, the first in CPython's iteration order of a
  set of id tuples; when that tree cannot serve the other groups the option
  is gone altogether. nova_core offers it to every tree it can serve;
* ``DIFFERENT``: anything else (exit status 1).

Queries with a limit: every candidate we return must be in the answer of
the same query without the limit (upstream picks other ones, in its own
order, so the two limited sets are not compared with each other).
"""

import argparse
import json
import sys

import perf_harness as perf
import servers

MICROVERSION = '1.39'
SHARING = 'MISC_SHARES_VIA_AGGREGATE'


def candidates(doc):
    """{canonical allocation request: provider -> resources}.

    The key holds the mappings too: two candidates with the same
    allocations and other group -> provider mappings are two candidates
    (for upstream as for us); a repeated candidate would fail the count.
    """
    out = {}
    for ar in doc['allocation_requests']:
        allocs = {rp: a['resources'] for rp, a in ar['allocations'].items()}
        mappings = {suffix: sorted(rps)
                    for suffix, rps in ar.get('mappings', {}).items()}
        out[json.dumps([allocs, mappings], sort_keys=True)] = allocs
    if len(out) != len(doc['allocation_requests']):
        raise SystemExit('a candidate is repeated in an answer')
    return out


def summaries(doc):
    return {rp: {rc: (v['capacity'], v['used'])
                 for rc, v in s['resources'].items()}
            for rp, s in doc['provider_summaries'].items()}


def unsuffixed_classes(path):
    """Resource classes of the unsuffixed group of an allocation query."""
    query = path.split('?', 1)[1]
    for part in query.split('&'):
        key, _, value = part.partition('=')
        if key == 'resources':
            return {item.split(':')[0] for item in value.split(',')}
    return set()


def from_sharing_only(allocs, classes, doc_ours):
    """True if every class of *classes* comes from a sharing provider."""
    found = set()
    for rp, resources in allocs.items():
        traits = doc_ours['provider_summaries'][rp].get('traits', [])
        for rc in resources:
            if rc in classes:
                if SHARING not in traits:
                    return False
                found.add(rc)
    return found == classes


def compare(path, up_doc, our_doc):
    up, ours = candidates(up_doc), candidates(our_doc)
    if set(up) == set(ours):
        same_summaries = summaries(up_doc) == summaries(our_doc)
        return ('same' if same_summaries else 'DIFFERENT summaries'), \
            len(up), len(ours)
    if set(up) < set(ours):
        classes = unsuffixed_classes(path)
        extra = [ours[k] for k in set(ours) - set(up)]
        if classes and all(from_sharing_only(a, classes, our_doc)
                           for a in extra):
            return 'ours has %d more (unsuffixed group from sharing ' \
                'providers)' % len(extra), len(up), len(ours)
    return 'DIFFERENT: %d only ours, %d only upstream' % (
        len(set(ours) - set(up)), len(set(up) - set(ours))), len(up), \
        len(ours)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--n', type=int, required=True)
    ap.add_argument('--keep', required=True, metavar='DIR')
    ap.add_argument('--backend', choices=servers.BACKENDS, default='sqlite')
    ap.add_argument('--upstream-port', type=int, default=8301)
    ap.add_argument('--ours-port', type=int, default=8302)
    ap.add_argument('--timeout', type=float, default=600)
    a = ap.parse_args()

    params = perf.dataset.DatasetParams(a.n, 1, 0.2, 0.2, 4)
    ds = perf.dataset.Dataset(params)
    ctx = perf.queries.Ctx(ds, MICROVERSION)
    queries = [q for q in perf.queries.all_queries() if q.kind == 'ac']
    up = servers.Server(servers.UPSTREAM, a.backend, a.upstream_port,
                        keep=a.keep)
    ours = servers.Server(servers.OURS, a.backend, a.ours_port, keep=a.keep)
    bad = 0
    with up, ours:
        clients = {name: perf.http.Client(s.url, microversion=MICROVERSION,
                                          timeout=a.timeout)
                   for name, s in (('upstream', up), ('ours', ours))}
        marker = perf.loader.marker_trait(params)
        for name, client in clients.items():
            if client.get('/traits/%s' % marker).status != 204:
                sys.exit('%s holds no N=%d dataset: run placement_vs_'
                         'upstream.py --keep %s first' % (name, a.n, a.keep))
        full = {}
        print('%-28s %9s %9s  %s' % ('query', 'upstream', 'ours', 'result'))
        for q in queries:
            path = q.path(ctx, 0)
            docs = {}
            for name, client in clients.items():
                resp = client.get(path)
                if resp.status != 200:
                    sys.exit('%s: %s answered %d: %s' % (
                        q.name, name, resp.status, resp.body[:300]))
                docs[name] = resp.json()
            if not q.limited:
                verdict, n_up, n_ours = compare(path, docs['upstream'],
                                                docs['ours'])
                full[path] = candidates(docs['ours'])
            else:
                base = path.replace('&limit=1000', '')
                if base not in full:
                    full[base] = candidates(clients['ours'].get(base).json())
                mine = candidates(docs['ours'])
                outside = set(mine) - set(full[base])
                n_up, n_ours = len(candidates(docs['upstream'])), len(mine)
                verdict = ('all in the unlimited answer' if not outside else
                           'DIFFERENT: %d not in the unlimited answer'
                           % len(outside))
            bad += verdict.startswith('DIFFERENT')
            print('%-28s %9d %9d  %s' % (q.name, n_up, n_ours, verdict),
                  flush=True)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
