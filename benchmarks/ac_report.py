#!/usr/bin/env python3
"""Allocation-candidate speed-ups from a perf harness result file.

    .venv/bin/python benchmarks/ac_report.py RESULT.json [--threshold X]

For every query whose name starts with ``ac_`` in a ``bench.py --json``
file (targets named ``upstream`` and ``nova_core``): upstream's median,
ours, the speed-up (upstream median / our median, from the same
interleaved run), both candidate counts and whether the answers agree, and
a flag on every query below the issue's bar: 20x at 1,000 roots, 50x at
10,000 (the bar for other sizes is the one of the nearest of the two,
below 10,000 it is 20x; --threshold overrides it). Concurrent rows
(``@cN``) also show the throughput ratio (ours / upstream requests per
second). Exit status 0 even when something is flagged: this is a report,
not a test.
"""

import argparse
import json
import math
import sys

import tables

UPSTREAM, OURS = 'upstream', 'nova_core'


def bar_for(n_roots):
    return 50.0 if n_roots >= 10000 else 20.0


def rows_of(doc, threshold):
    """One dict per ac_ query of a bench.py result document."""
    rows = []
    for res in doc.get('results', []):
        if not res['query'].startswith('ac_'):
            continue
        up = res['targets'].get(UPSTREAM) or {}
        ours = res['targets'].get(OURS) or {}
        speedup = tables.ratio(up.get('median_ms'), ours.get('median_ms'))
        check = []
        if res.get('count_mismatch'):
            check.append('COUNT-DIFFERS')
        if res.get('digest_mismatch'):
            check.append('RESULT-DIFFERS')
        for name, t in ((UPSTREAM, up), (OURS, ours)):
            if t.get('errors'):
                check.append('%s-errors:%s' % (name, t['errors']))
        rps_ratio = ours.get('ratio_rps_vs_first')
        rows.append({
            'query': res['query'], 'desc': res.get('desc'),
            'upstream_median_ms': up.get('median_ms'),
            'ours_median_ms': ours.get('median_ms'),
            'speedup': speedup,
            'throughput_ratio': rps_ratio,
            'upstream_count': up.get('count_sum', up.get('count')),
            'ours_count': ours.get('count_sum', ours.get('count')),
            'check': ' '.join(check) or 'ok',
            'below_bar': speedup is None or speedup < threshold,
            'repeats': up.get('n'),
        })
    return rows


def render(rows, threshold, title):
    table = tables.text_table(
        ['query', 'upstream ms', 'ours ms', 'speed-up', 'tput ratio',
         'up count', 'our count', 'check', 'flag'],
        [[r['query'], r['upstream_median_ms'], r['ours_median_ms'],
          tables.fmt(r['speedup'], 1) + 'x' if r['speedup'] else '-',
          tables.fmt(r['throughput_ratio'], 2),
          r['upstream_count'], r['ours_count'], r['check'],
          'BELOW %gx' % threshold if r['below_bar'] else '']
         for r in rows], title=title)
    ups = [r['speedup'] for r in rows if r['speedup']]
    below = [r['query'] for r in rows if r['below_bar']]
    lines = [table, '']
    if ups:
        geo = math.exp(sum(math.log(u) for u in ups) / len(ups))
        lines.append('speed-up = upstream median / our median (same '
                     'interleaved run); min %.1fx, geometric mean %.1fx, '
                     'max %.1fx over %d queries' % (min(ups), geo, max(ups),
                                                    len(ups)))
    lines.append('bar %gx: %s' % (threshold, ('%d below: %s' % (
        len(below), ', '.join(below))) if below else 'every query above'))
    return '\n'.join(lines)


def report(path, threshold=None):
    with open(path) as f:
        doc = json.load(f)
    meta = doc.get('meta', {})
    n_roots = (meta.get('dataset') or {}).get('compute_nodes', 0)
    threshold = threshold or bar_for(n_roots)
    rows = rows_of(doc, threshold)
    title = ('%s: N=%s roots, microversion %s, loadavg %s -> %s' % (
        path, n_roots, meta.get('microversion'), meta.get('loadavg_start'),
        meta.get('loadavg_end')))
    return rows, threshold, render(rows, threshold, title)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('results', nargs='+', help='bench.py --json files')
    ap.add_argument('--threshold', type=float,
                    help='speed-up bar (default: 20 below 10,000 roots, '
                    '50 from 10,000)')
    ap.add_argument('--json', help='also write the rows here')
    a = ap.parse_args()
    out = {}
    for path in a.results:
        rows, threshold, text = report(path, a.threshold)
        print(text)
        print()
        out[path] = {'threshold': threshold, 'rows': rows}
    if a.json:
        tables.write_json(a.json, {'reports': out})
    return 0


if __name__ == '__main__':
    sys.exit(main())
