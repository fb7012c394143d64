#!/usr/bin/env python3
"""Compare GET /allocation_candidates of nova_core with upstream placement.

A development tool, not a test: it starts upstream placement (from a
virtualenv holding ``openstack-placement``) and nova_core's placement, each
on a fresh SQLite file, loads the same random provider forests into both
over HTTP (nesting, sharing providers, traits, aggregates, allocations),
asks both the same random queries over every microversion and reports any
difference: status, error text, allocation requests (as multisets) and
provider summaries. Standard library only::

    tools/placement_candidates_diff.py --cases 200 --seed 1 \\
        --upstream-venv /tmp/conformance-venv --nova-bin .venv/bin

Forests and queries come from candidates_diff_data.py (a generic profile of
any shape and a nova-like one). Upstream's 500s (a sharing provider that is a
child in a tree) are counted apart, not as differences; two other upstream
defects are patched out of the upstream server (see _PATCHED_APP).
Exit status 1 if any difference was found.
"""

import argparse
import collections
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import candidates_diff_data as data
from candidates_diff_data import SHARING

# -- servers -----------------------------------------------------------------------

def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


# Two upstream defects, patched out of the upstream server by default so that
# the rest of such answers is compared (--no-patch-upstream serves it as
# shipped and only counts them):
# - it sums the amounts of a class asked by two groups into an object that
#   later candidates share, unless group_policy=none, so their amounts grow
#   with every combination tried;
# - it merges equal options of the unsuffixed group found under different
#   trees (all of it from sharing providers), keeping one arbitrary tree, so
#   that combinations with the other groups are lost.
_PATCHED_APP = """
import copy
from placement.objects import allocation_candidate as ac
from placement.objects import research_context
research_context.RequestWideSearchContext.copy_arr_if_needed = (
    lambda self, arr: copy.copy(arr))
_eq = ac.AllocationRequest.__eq__
ac.AllocationRequest.__eq__ = lambda self, other: _eq(self, other) and (
    self.anchor_root_provider_uuid == other.anchor_root_provider_uuid)
_consolidate = ac._consolidate_allocation_requests
def _consolidate_anchorless(areqs, rw_ctx):
    areq = _consolidate(areqs, rw_ctx)
    areq.anchor_root_provider_uuid = None
    return areq
ac._consolidate_allocation_requests = _consolidate_anchorless
from placement.wsgi.api import application  # noqa
"""


def start_upstream(venv, workdir, patched):
    port = _free_port()
    with open(os.path.join(workdir, 'placement.conf'), 'w') as f:
        f.write('[api]\nauth_strategy = noauth2\n[placement_database]\n'
                'connection = sqlite:///%s/placement.sqlite\n'
                'sync_on_startup = true\n' % workdir)
    app = 'placement.wsgi.api:application'
    if patched:
        with open(os.path.join(workdir, 'patched_placement.py'), 'w') as f:
            f.write(_PATCHED_APP)
        app = 'patched_placement:application'
    env = dict(os.environ, OS_PLACEMENT_CONFIG_DIR=workdir)
    proc = subprocess.Popen(
        [os.path.join(venv, 'bin', 'python'), '-m', 'gunicorn', '--bind',
         '127.0.0.1:%d' % port, '--workers', '1', '--log-level', 'warning',
         '--chdir', workdir, app],
        env=env, stdout=open(os.path.join(workdir, 'log'), 'w'),
        stderr=subprocess.STDOUT, start_new_session=True)
    return proc, port


def start_nova_core(bindir, workdir):
    port = _free_port()
    conf = os.path.join(workdir, 'nova_core.conf')
    with open(conf, 'w') as f:
        f.write('[api]\nauth_strategy = noauth2\n[placement_database]\n'
                'connection = sqlite:///%s/placement.sqlite\n'
                'sync_on_startup = true\n' % workdir)
    proc = subprocess.Popen(
        [os.path.join(bindir, 'nova-core-placement-api'), '--config-file',
         conf, '--bind', '127.0.0.1:%d' % port],
        stdout=open(os.path.join(workdir, 'log'), 'w'),
        stderr=subprocess.STDOUT, start_new_session=True)
    return proc, port


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = None

    def call(self, method, path, body=None, version='1.39'):
        headers = {'x-auth-token': 'admin', 'accept': 'application/json',
                   'openstack-api-version': 'placement %s' % version}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers['content-type'] = 'application/json'
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    '127.0.0.1', self.port, timeout=120)
            try:
                self.conn.request(method, path, data, headers)
                resp = self.conn.getresponse()
                text = resp.read()
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
                continue
            if resp.getheader('connection', '').lower() == 'close':
                self.conn.close()
                self.conn = None
            return resp.status, json.loads(text) if text else None
        raise AssertionError('unreachable')

    def wait(self):
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if self.call('GET', '/')[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit('server on port %d did not start' % self.port)

    def ok(self, method, path, body=None, version='1.39'):
        status, data = self.call(method, path, body, version)
        if status >= 300:
            raise SystemExit('%s %s -> %s %s' % (method, path, status, data))
        return data


def load(client, providers, allocations):
    for rc in data.CLASSES:
        if rc.startswith('CUSTOM_'):
            client.ok('PUT', '/resource_classes/%s' % rc, version='1.7')
    for trait in data.TRAITS + data.NOVA_TRAITS:
        if trait.startswith('CUSTOM_'):
            client.ok('PUT', '/traits/%s' % trait)
    for p in providers:
        body = {'uuid': p['uuid'], 'name': p['name']}
        if p['parent']:
            body['parent_provider_uuid'] = p['parent']
        client.ok('POST', '/resource_providers', body, version='1.20')
        gen = 0
        if p['inventories']:
            gen = client.ok('PUT', '/resource_providers/%s/inventories'
                            % p['uuid'], {'resource_provider_generation': gen,
                                          'inventories': p['inventories']}
                            )['resource_provider_generation']
        if p['traits']:
            gen = client.ok('PUT', '/resource_providers/%s/traits' % p['uuid'],
                            {'resource_provider_generation': gen,
                             'traits': sorted(p['traits'])}
                            )['resource_provider_generation']
        if p['aggregates']:
            client.ok('PUT', '/resource_providers/%s/aggregates' % p['uuid'],
                      {'resource_provider_generation': gen,
                       'aggregates': sorted(p['aggregates'])})
    for consumer, allocs in allocations.items():
        client.ok('PUT', '/allocations/%s' % consumer, {
            'allocations': {rp: {'resources': res} for rp, res in allocs.items()},
            'project_id': 'p', 'user_id': 'u', 'consumer_generation': None},
            version='1.28')


def unload(client, providers, allocations):
    for consumer in allocations:
        client.ok('DELETE', '/allocations/%s' % consumer)
    for p in reversed(providers):
        client.ok('DELETE', '/resource_providers/%s' % p['uuid'])


# -- comparing ----------------------------------------------------------------------

def canonical(body, version):
    requests = collections.Counter()
    for item in body['allocation_requests']:
        allocs = item['allocations']
        if isinstance(allocs, list):
            flat = frozenset((a['resource_provider']['uuid'], rc, n)
                             for a in allocs for rc, n in a['resources'].items())
        else:
            flat = frozenset((uuid, rc, n) for uuid, a in allocs.items()
                             for rc, n in a['resources'].items())
        mappings = frozenset((suffix, frozenset(uuids)) for suffix, uuids
                             in item.get('mappings', {}).items())
        requests[(flat, mappings)] += 1
    summaries = {}
    for uuid, summary in body['provider_summaries'].items():
        summaries[uuid] = dict(summary, traits=sorted(summary.get('traits', [])))
    return requests, summaries


def compare(path, version, upstream, ours, sharing, patched):
    """``(category, text)`` of a difference, or None.

    Only category 'diff' is a difference of ours; the others are known
    upstream defects where nova_core answers differently on purpose.
    """
    (u_status, u_body), (o_status, o_body) = upstream, ours
    if u_status == 500 and o_status != 500:
        return 'upstream-500', 'upstream failed, ours answered %d' % o_status
    if u_status != o_status:
        return 'diff', 'status %s != %s: %s / %s' % (
            u_status, o_status, _detail(u_body), _detail(o_body))
    if u_status != 200:
        u_detail, o_detail = _detail(u_body), _detail(o_body)
        if u_detail != o_detail:
            return 'diff', 'detail %r != %r' % (u_detail, o_detail)
        return None
    if not patched and _shared_amounts_mutated(path):
        return 'upstream-amounts', 'skipped (upstream adds amounts twice)'
    if 'limit=' in path:
        u_len = len(u_body['allocation_requests'])
        o_len = len(o_body['allocation_requests'])
        if u_len != o_len:
            return 'diff', 'limited count %d != %d' % (u_len, o_len)
        return None
    u_req, u_sum = canonical(u_body, version)
    o_req, o_sum = canonical(o_body, version)
    if u_req != o_req:
        extra = o_req - u_req
        if not patched and not u_req - o_req and all(
                _uses_sharing(request, sharing) for request in extra):
            return 'sharing-anchor', 'ours has %d more' % sum(extra.values())
        return 'diff', 'requests: upstream only %s; ours only %s' % (
            list((u_req - o_req).elements())[:3], list(extra.elements())[:3])
    if u_sum != o_sum:
        keys = sorted(set(u_sum) ^ set(o_sum))[:4] or [
            (k, u_sum[k], o_sum[k]) for k in u_sum if u_sum[k] != o_sum[k]][:2]
        return 'diff', 'summaries differ: %s' % keys
    return None


def _shared_amounts_mutated(path):
    """Upstream corrupts amounts of a class asked by two groups unless
    group_policy=none (it adds into an object shared between candidates)."""
    if 'group_policy=none' in path:
        return False
    seen = collections.Counter()
    for part in path.split('?', 1)[1].split('&'):
        key, _sep, value = part.partition('=')
        if key.startswith('resources'):
            seen.update({item.split(':')[0] for item in value.split(',')})
    return any(count > 1 for count in seen.values())


def _uses_sharing(request, sharing):
    (allocations, mappings) = request
    if mappings:
        unsuffixed = dict(mappings).get('')
        return bool(unsuffixed) and unsuffixed <= sharing
    return any(uuid in sharing for uuid, _rc, _n in allocations)


def _detail(body):
    try:
        text = body['errors'][0]['detail'].strip().splitlines()[-1].strip()
    except (KeyError, IndexError, TypeError, AttributeError):
        return body
    # Upstream lists set members in hash order: compare them sorted.
    return re.sub(r"\[([^\]]*)\]", lambda m: '[%s]' % ', '.join(
        sorted(m.group(1).split(', '))), text)


def compare_query(args, upstream, ours, path, version, sharing):
    """compare() of one query; a limited answer that differs in size is
    judged by the unlimited answers."""
    result = compare(path, version,
                     upstream.call('GET', path, version=version),
                     ours.call('GET', path, version=version), sharing,
                     args.patch_upstream)
    if result is None or 'limit=' not in path or result[0] != 'diff':
        return result
    unlimited = re.sub(r'&?limit=\d+', '', path).replace('?&', '?')
    full = compare(unlimited, version,
                   upstream.call('GET', unlimited, version=version),
                   ours.call('GET', unlimited, version=version), sharing,
                   args.patch_upstream)
    if full is not None and full[0] != 'diff':
        return full
    return result


def run_case(args, rng, case, upstream, ours, known):
    """Load one forest into both servers, compare queries; differences."""
    profile = args.profile
    if profile == 'mixed':
        profile = ('generic', 'nova')[case % 2]
    providers = data.FORESTS[profile](rng)
    allocations = data.random_allocations(rng, providers)
    for client in (upstream, ours):
        load(client, providers, allocations)
    sharing = {p['uuid'] for p in providers if SHARING in p['traits']}
    differences = 0
    for _ in range(args.queries):
        version = rng.choice(data.VERSIONS)
        version, path = data.QUERIES[profile](rng, version, providers)
        result = compare_query(args, upstream, ours, path, version, sharing)
        if result is None:
            continue
        category, text = result
        if category == 'diff':
            differences += 1
        else:
            known[category] += 1
            if not args.verbose:
                continue
        print('case %d %s %s %s\n    %s' % (case, category, version, path,
                                            text), flush=True)
        if args.dump:
            print(json.dumps(providers, default=sorted), flush=True)
    for client in (upstream, ours):
        unload(client, providers, allocations)
    return differences


def run(args):
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix='ac-diff-')
    procs = []
    keep = True
    differences = 0
    try:
        up_dir, our_dir = os.path.join(tmp, 'up'), os.path.join(tmp, 'ours')
        os.makedirs(up_dir)
        os.makedirs(our_dir)
        proc, up_port = start_upstream(args.upstream_venv, up_dir,
                                        args.patch_upstream)
        procs.append(proc)
        proc, our_port = start_nova_core(args.nova_bin, our_dir)
        procs.append(proc)
        upstream, ours = Client(up_port), Client(our_port)
        upstream.wait()
        ours.wait()
        known = collections.Counter()
        differences = sum(run_case(args, rng, case, upstream, ours, known)
                          for case in range(args.cases))
        print('%d cases, %d queries, %d differences; known upstream '
              'defects: %s' % (args.cases, args.cases * args.queries,
                               differences, dict(known) or 'none'))
        keep = differences or known['upstream-500']
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
    if keep:
        print('server logs kept in %s' % tmp)
    else:
        shutil.rmtree(tmp)
    return 1 if differences else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--cases', type=int, default=50)
    parser.add_argument('--queries', type=int, default=30)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--profile', default='mixed',
                        choices=['generic', 'nova', 'mixed'],
                        help='generic: any shape; nova: compute nodes with '
                             'NUMA nodes, PFs and shared disk, nova-like '
                             'queries; mixed (default): alternate')
    parser.add_argument('--upstream-venv', default='/tmp/conformance-venv')
    parser.add_argument('--nova-bin', default=os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        '.venv', 'bin'))
    parser.add_argument('--no-patch-upstream', dest='patch_upstream',
                        action='store_false',
                        help='serve upstream as shipped (answers with '
                             'corrupted amounts are then not compared)')
    parser.add_argument('--verbose', action='store_true',
                        help='also print the known upstream defects met')
    parser.add_argument('--dump', action='store_true',
                        help='print the forest of each difference')
    sys.exit(run(parser.parse_args()))


if __name__ == '__main__':
    main()
