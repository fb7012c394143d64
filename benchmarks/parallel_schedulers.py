#!/usr/bin/env python3
"""Several scheduler processes racing for nearly full hosts: no over-allocation.

    .venv/bin/python benchmarks/parallel_schedulers.py \\
        [--backend mariadb|sqlite] [--hosts 200] [--cells 2] \\
        [--processes 4] [--demand 1.1] [--host-vcpus 4] [--host-ram 8192] \\
        [--host-disk 100] [--flavors 1:2048:20,2:4096:40] \\
        [--host-subset-size 1] [--seed 1] [--json FILE] [--keep]

What runs, all real processes and databases:

- one ``nova-core-placement-api`` child (noauth2; on a fresh MariaDB
  database with ``--backend mariadb`` (root without password on
  127.0.0.1:3306, NOVA_CORE_TEST_MYSQL_URL to change it), else SQLite);
- an API database with one cell mapping per cell and the cell databases
  (same backend), migrated with nova_core's migrations; per host a
  ``nova-core-compute`` service row and a compute_nodes row whose uuid is
  the uuid of a resource provider created in placement with the host's
  inventory (VCPU / MEMORY_MB / DISK_GB, allocation ratio 1.0, reserved 0);
- ``--processes`` scheduler worker processes (multiprocessing, spawn), each
  building ``SchedulerManager(conf, placement_client.from_conf(conf),
  CellDatabases(conf))`` exactly as ``nova-core-scheduler`` does (HTTP to
  the placement child with ``admin_token`` auth, the HostManager reading
  the cell databases, the default filters and weighers) and calling
  ``select_destinations`` directly, in a loop, one instance per call: no
  RPC and no conductor (the RPC layer adds latency, not contention; the
  race under test is between the claims in placement).

The demand is a list of single-instance requests, flavors drawn (seeded)
from ``--flavors`` ``VCPUS:RAM_MB:DISK_GB,...`` until their VCPUs reach
``--demand`` times the cloud's VCPUs; the workers take the next request
from a shared counter as fast as they can until the list is exhausted.

Per call a worker records: decision (host chosen) or NoValidHost, and the
claim conflicts of the call -- a chosen host's claim refused by placement
(another scheduler took the room first) so that the manager went on to the
next host. The manager counts these only in the explanation of a
NoValidHost, so the worker counts them itself by wrapping
``placement_client.allocations.claim_resources`` (False = refused) and the
client's PUTs (409 ``placement.concurrent_update`` = a provider-generation
race that claim_resources retried); manager.py is not changed.

Then placement is checked: for every provider and resource class, usage <=
(total - reserved) * allocation_ratio (zero over-allocation); the consumers
holding allocations are exactly the instances with a decision, each with
one allocation on the host it was sent to and the flavor's amounts (no
lost, double or leaked claims); NoValidHost instances hold nothing.

``--host-subset-size 1`` (Nova's default) makes every scheduler pick the
same best-weighed host: the worst case for conflicts. Results go to
``benchmarks/results/parallel_schedulers-h{hosts}-p{processes}-{backend}
[-s{subset}].json`` unless --json says otherwise; a summary is printed.
"""

import argparse
import datetime
import json
import logging
import multiprocessing
import os
import pathlib
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib
import warnings

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

PROJECT, USER = 'bench-parallel', 'bench-parallel'
RESULTS = ROOT / 'benchmarks' / 'results'


# -- the cloud: placement child, API and cell databases, hosts --------------------


class Cloud:
    """Placement child + API / cell databases + *hosts* compute hosts."""

    def __init__(self, tmp, backend='sqlite', hosts=200, cells=2,
                 host_vcpus=4, host_ram=8192, host_disk=100, log=print):
        from tests import servers
        self.tmp = pathlib.Path(tmp)
        self.backend = backend
        self.n_hosts = hosts
        self.n_cells = cells
        self.inventory = {'VCPU': host_vcpus, 'MEMORY_MB': host_ram,
                          'DISK_GB': host_disk}
        self.log = log
        self.procs = servers.Processes(self.tmp)
        self.databases = {}
        self.placement_server = None
        self.cells = None
        self.hosts = {}          # provider / compute node uuid -> host name
        self.cell_of = {}        # host name -> cell uuid
        self.timings = {}

    # -- set-up -------------------------------------------------------------------

    def start(self):
        started = time.monotonic()
        try:
            self._databases()
            self._placement()
            self.timings['placement_ready_s'] = time.monotonic() - started
            self._cells()
            self.timings['databases_ready_s'] = time.monotonic() - started
            self._hosts()
        except BaseException:
            self.stop()
            raise
        self.timings['setup_s'] = time.monotonic() - started
        return self

    def _databases(self):
        from tests import backends
        kind = 'mysql' if self.backend == 'mariadb' else 'sqlite'
        names = ['placement', 'api'] + ['cell%d' % (i + 1)
                                        for i in range(self.n_cells)]
        for name in names:
            self.databases[name] = backends.Database(kind, str(self.tmp))

    def _placement(self):
        from tests import servers
        conf = servers.write_conf(self.tmp / 'placement.conf', {
            'api': {'auth_strategy': 'noauth2'},
            'placement_database': {
                'connection': self.databases['placement'].url,
                'sync_on_startup': 'true'},
        })
        self.placement_server = self.procs.placement_api(
            '--config-file', conf, '--state-dir',
            str(self.tmp / 'placement-state'))
        self.placement_server.wait_ready(timeout=120)

    def write_conf(self, name='scheduler', extra=None):
        """The configuration file of a scheduler worker; its path."""
        from tests import servers
        sections = {
            'DEFAULT': {'state_path': str(self.tmp / 'state'),
                        # The rows are written once, never heart-beaten:
                        # they must stay "up" for the whole run.
                        'service_down_time': 3600},
            'api_database': {'connection': self.databases['api'].url},
            'placement': {'auth_type': 'admin_token',
                          'endpoint': self.placement_server.url,
                          'token': 'admin'},
        }
        for section, options in (extra or {}).items():
            sections.setdefault(section, {}).update(options)
        os.makedirs(self.tmp / 'state', exist_ok=True)
        return servers.write_conf(self.tmp / ('%s.conf' % name), sections)

    def _cells(self):
        from nova_core import context as nc_context
        from nova_core.db import cell_mapping
        from nova_core.db import cells as db_cells
        from nova_core.db import migration as db_migration
        from nova_core import placement_client
        self.conf_path = self.write_conf('setup')
        self.conf = load_conf(self.conf_path)
        self.cells = db_cells.CellDatabases(self.conf)
        self.ctx = nc_context.get_admin_context(db=self.cells,
                                                config=self.conf)
        db_migration.sync(self.cells.api, 'api')
        self.cell_uuids = []
        with self.cells.api.writer(self.ctx) as conn:
            for index in range(self.n_cells):
                cell_uuid = str(uuidlib.uuid4())
                self.cell_uuids.append(cell_uuid)
                cell_mapping.create(
                    conn, cell_uuid, 'cell%d' % (index + 1), 'none:///',
                    self.databases['cell%d' % (index + 1)].url)
        for index in range(self.n_cells):
            db_migration.sync(self.cells.for_url(
                self.databases['cell%d' % (index + 1)].url), 'main')
        self.placement = placement_client.from_conf(self.conf)

    def _hosts(self):
        from nova_core.db import compute_node
        from nova_core.db import service as db_service
        started = time.monotonic()
        rows = {cell: [] for cell in range(self.n_cells)}
        for index in range(self.n_hosts):
            name = 'host%05d' % (index + 1)
            rp_uuid = str(uuidlib.uuid4())
            self._provider(name, rp_uuid)
            self.hosts[rp_uuid] = name
            cell = index % self.n_cells
            self.cell_of[name] = self.cell_uuids[cell]
            rows[cell].append((name, rp_uuid))
        self.timings['providers_s'] = time.monotonic() - started
        for cell, hosts in rows.items():
            database = self.cells.for_url(
                self.databases['cell%d' % (cell + 1)].url)
            with database.writer(self.ctx) as conn:
                for name, rp_uuid in hosts:
                    service = db_service.create(
                        conn, name, 'nova-core-compute', topic='compute')
                    db_service.heartbeat(conn, service['id'])
                    compute_node.create(conn, {
                        'uuid': rp_uuid, 'service_id': service['id'],
                        'host': name, 'hypervisor_hostname': name,
                        'vcpus': self.inventory['VCPU'],
                        'memory_mb': self.inventory['MEMORY_MB'],
                        'local_gb': self.inventory['DISK_GB'],
                        'hypervisor_type': 'fake',
                        'hypervisor_version': 1000,
                        'cpu_info': '{"arch": "x86_64"}', 'stats': '{}',
                        'cpu_allocation_ratio': 1.0,
                        'ram_allocation_ratio': 1.0,
                        'disk_allocation_ratio': 1.0, 'mapped': 1})
        self.timings['hosts_s'] = time.monotonic() - started

    def _provider(self, name, rp_uuid):
        resp = self.placement.post(self.ctx, '/resource_providers',
                                   {'name': name, 'uuid': rp_uuid},
                                   version='1.20')
        _check(resp, 200, 'POST /resource_providers')
        generation = resp.json()['generation']
        url = '/resource_providers/%s/inventories' % rp_uuid
        resp = self.placement.put(self.ctx, url, {
            'resource_provider_generation': generation,
            'inventories': {rc: {'total': total, 'reserved': 0,
                                 'allocation_ratio': 1.0}
                            for rc, total in self.inventory.items()}})
        _check(resp, 200, 'PUT ' + url)

    @property
    def capacity(self):
        return {rc: total * self.n_hosts
                for rc, total in self.inventory.items()}

    # -- tear-down ----------------------------------------------------------------

    def stop(self, keep=False):
        if self.placement_server is not None:
            try:
                self.placement_server.stop()
            except Exception:  # cleanup() kills what is left
                pass
        self.procs.cleanup()
        if self.cells is not None:
            self.cells.dispose()
        if not keep:
            for database in self.databases.values():
                database.drop()

    # -- what placement says afterwards ---------------------------------------------

    def verify(self, decisions, failures):
        """Check placement against the decisions; a dict of findings.

        *decisions*: ``{instance uuid: (provider uuid, {rc: amount})}``;
        *failures*: ``{instance uuid: {rc: amount}}`` of the NoValidHosts.
        A NoValidHost whose flavor still fits on some provider at the end
        was spurious: nothing is ever freed, so the room was there then.
        """
        over = []
        free = []                # per provider {rc: room left}
        held = {}                # consumer -> [(rp, resources)]
        used_total = {}
        for rp_uuid in self.hosts:
            base = '/resource_providers/%s' % rp_uuid
            inventories = self._get(base + '/inventories')['inventories']
            usages = self._get(base + '/usages')['usages']
            room = {}
            free.append(room)
            for rc, inv in inventories.items():
                limit = int((inv['total'] - inv.get('reserved', 0)) *
                            inv.get('allocation_ratio', 1.0))
                used = usages.get(rc, 0)
                room[rc] = limit - used
                used_total[rc] = used_total.get(rc, 0) + used
                if used > limit:
                    over.append({'provider': rp_uuid,
                                 'host': self.hosts[rp_uuid],
                                 'resource_class': rc, 'used': used,
                                 'capacity': limit})
            allocs = self._get(base + '/allocations')['allocations']
            for consumer, alloc in allocs.items():
                held.setdefault(consumer, []).append(
                    (rp_uuid, alloc['resources']))
        problems = []
        for consumer, (rp_uuid, resources) in decisions.items():
            holding = held.get(consumer, [])
            if len(holding) != 1:
                problems.append('%s (sent to %s) holds %d allocations' % (
                    consumer, self.hosts.get(rp_uuid), len(holding)))
            elif holding[0][0] != rp_uuid:
                problems.append('%s sent to %s, allocated on %s' % (
                    consumer, self.hosts.get(rp_uuid),
                    self.hosts.get(holding[0][0])))
            elif holding[0][1] != resources:
                problems.append('%s holds %s, its flavor is %s' % (
                    consumer, holding[0][1], resources))
        leaked = sorted(set(held) - set(decisions))
        for consumer in leaked[:20]:
            problems.append('%s holds allocations without a decision%s' % (
                consumer, ' (it got NoValidHost)'
                if consumer in failures else ''))
        spurious = sum(
            1 for resources in failures.values()
            if any(all(room.get(rc, 0) >= amount
                       for rc, amount in resources.items())
                   for room in free))
        expected = {}
        for _rp, resources in decisions.values():
            for rc, amount in resources.items():
                expected[rc] = expected.get(rc, 0) + amount
        return {
            'providers_checked': len(self.hosts),
            'over_allocated': len(over),
            'over_allocations': over[:50],
            'consumers_with_allocations': len(held),
            'decisions': len(decisions),
            'leaked_consumers': len(leaked),
            'allocation_problems': problems[:50],
            'allocation_problem_count': len(problems),
            'no_valid_host': len(failures),
            'no_valid_host_with_room_left': spurious,
            'usage_total': used_total,
            'usage_expected_from_decisions': expected,
            'usage_matches_decisions': used_total == {
                rc: expected.get(rc, 0) for rc in used_total},
            'ok': not over and not problems and not spurious and
            used_total == {
                rc: expected.get(rc, 0) for rc in used_total},
        }

    def _get(self, url):
        resp = self.placement.get(self.ctx, url, version='1.36')
        _check(resp, 200, 'GET ' + url)
        return resp.json()


def _check(resp, status, what):
    if resp.status_code != status:
        raise RuntimeError('%s: %s %s' % (what, resp.status_code, resp.text))


def load_conf(path):
    """nova_core's options read from *path* (as the console scripts do)."""
    from oslo_config import cfg
    from nova_core import conf as nova_conf
    from nova_core import rpc
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    rpc.register_opts(conf)
    conf(['--config-file', str(path)], project='nova_core',
         default_config_files=[])
    return conf


# -- demand -----------------------------------------------------------------------


def parse_flavors(text):
    """``'1:2048:20,2:4096:40'`` -> [{'VCPU': 1, 'MEMORY_MB': .., ..}]."""
    flavors = []
    for item in text.split(','):
        vcpus, ram, disk = (int(x) for x in item.split(':'))
        flavors.append({'VCPU': vcpus, 'MEMORY_MB': ram, 'DISK_GB': disk})
    return flavors


def make_demand(flavors, capacity, factor, seed):
    """Flavors drawn until their VCPUs reach *factor* x the VCPU capacity."""
    rng = random.Random(seed)
    demand, vcpus = [], 0
    while vcpus < factor * capacity['VCPU']:
        flavor = rng.choice(flavors)
        demand.append(flavor)
        vcpus += flavor['VCPU']
    return demand


def request_spec(instance_uuid, flavor, index):
    """A request spec (SPEC.md "request_spec") for one instance."""
    return {
        'instance_uuid': instance_uuid,
        'project_id': PROJECT, 'user_id': USER,
        'flavor': {'id': index, 'flavorid': 'bench-%d' % flavor['VCPU'],
                   'name': 'bench-%d' % flavor['VCPU'],
                   'memory_mb': flavor['MEMORY_MB'], 'vcpus': flavor['VCPU'],
                   'root_gb': flavor['DISK_GB'], 'ephemeral_gb': 0,
                   'swap': 0, 'rxtx_factor': 1.0, 'is_public': True,
                   'disabled': False, 'extra_specs': {}},
        'image': {'id': '155d900f-4e14-4e4c-a73d-069cbf4541e6',
                  'name': 'cirros', 'properties': {}},
        'num_instances': 1, 'availability_zone': None,
        'scheduler_hints': {}, 'instance_group': None,
        'ignore_hosts': [], 'force_hosts': [], 'force_nodes': [],
        'requested_destination': None, 'is_bfv': False,
        'request_level_params': {'root_required': [], 'root_forbidden': []},
    }


# -- the scheduler worker processes ----------------------------------------------


def worker(number, conf_path, demand, counter, ready, go, results):
    """One scheduler process: select_destinations until the demand is gone.

    Puts one dict on *results*: per call (instance uuid, flavor index,
    provider uuid or None, claims refused, generation retries, seconds).
    """
    try:
        results.put(_work(number, conf_path, demand, counter, ready, go))
    except BaseException as exc:  # the parent must not wait forever
        import traceback
        results.put({'worker': number, 'error': '%s\n%s' % (
            exc, traceback.format_exc())})


def _work(number, conf_path, demand, counter, ready, go):
    logging.basicConfig(level=logging.WARNING)
    # oslo.service's eventlet backend warns at import; not our subject.
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
    from nova_core import context as nc_context
    from nova_core.db import cells as db_cells
    from nova_core import exception
    from nova_core import placement_client
    from nova_core.placement_client import allocations
    from nova_core.scheduler import manager as scheduler_manager

    conf = load_conf(conf_path)
    cells = db_cells.CellDatabases(conf)
    client = placement_client.from_conf(conf)
    manager = scheduler_manager.SchedulerManager(conf, client, cells)
    ctx = nc_context.get_admin_context(db=cells, config=conf)
    ctx.project_id, ctx.user_id = PROJECT, USER

    # Counting without touching manager.py: the manager calls
    # allocations.claim_resources through the module, and claim_resources
    # calls client.put.
    counts = {'refused': 0, 'generation_retries': 0, 'http_s': 0.0,
              'http_calls': 0}
    original_claim = allocations.claim_resources
    original_put = client.put
    original_request = client.request

    def timed_request(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original_request(*args, **kwargs)
        finally:
            counts['http_s'] += time.perf_counter() - t0
            counts['http_calls'] += 1

    def counting_claim(*args, **kwargs):
        held = original_claim(*args, **kwargs)
        if not held:
            counts['refused'] += 1
        return held

    def counting_put(ctx_, url, json, version=placement_client.MAX_VERSION):
        resp = original_put(ctx_, url, json, version=version)
        if (resp.status_code == 409 and
                placement_client.error_code(resp) ==
                'placement.concurrent_update'):
            counts['generation_retries'] += 1
        return resp

    allocations.claim_resources = counting_claim
    client.put = counting_put
    client.request = timed_request

    calls = []
    with ready.get_lock():
        ready.value += 1
    go.wait()
    started = time.perf_counter()
    while True:
        with counter.get_lock():
            index = counter.value
            if index >= len(demand):
                break
            counter.value += 1
        instance_uuid = str(uuidlib.uuid4())
        spec = request_spec(instance_uuid, demand[index], index)
        counts.update(refused=0, generation_retries=0, http_s=0.0,
                      http_calls=0)
        t0 = time.perf_counter()
        try:
            selections = manager.select_destinations(
                ctx, spec, [instance_uuid], return_alternates=True)
            chosen = selections[0][0]['compute_node_uuid']
            summary = None
        except exception.NoValidHost as failure:
            chosen = None
            summary = ((getattr(failure, 'explanation', None) or {})
                       .get('summary'))
        calls.append({'uuid': instance_uuid, 'flavor': index,
                      'host': chosen, 'refused': counts['refused'],
                      'generation_retries': counts['generation_retries'],
                      'seconds': time.perf_counter() - t0,
                      'placement_s': counts['http_s'],
                      'placement_requests': counts['http_calls'],
                      'summary': summary})
    wall = time.perf_counter() - started
    cells.dispose()
    return {'worker': number, 'pid': os.getpid(), 'calls': calls,
            'wall_s': wall}


def run_schedulers(conf_path, demand, processes, timeout=3600):
    """Start *processes* workers, release them at once; (results, wall)."""
    mp = multiprocessing.get_context('spawn')
    counter = mp.Value('l', 0)
    ready = mp.Value('l', 0)
    go = mp.Event()
    results = mp.Queue()
    procs = [mp.Process(target=worker, args=(
        n, conf_path, demand, counter, ready, go, results), daemon=True)
        for n in range(processes)]
    for proc in procs:
        proc.start()
    try:
        # Every worker imports and builds its manager before the race.
        deadline = time.monotonic() + 120
        while ready.value < processes:
            dead = [p.pid for p in procs if not p.is_alive()]
            if dead or time.monotonic() > deadline:
                go.set()
                raise RuntimeError('scheduler workers not ready (dead: %s)%s'
                                   % (dead, _first_error(results)))
            time.sleep(0.05)
        started = time.perf_counter()
        go.set()
        collected = [results.get(timeout=timeout) for _ in procs]
        wall = time.perf_counter() - started
    finally:
        for proc in procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()   # our own child, by its handle (its pid)
                proc.join(5)
    errors = [r['error'] for r in collected if 'error' in r]
    if errors:
        raise RuntimeError('scheduler worker failed:\n' + errors[0])
    return collected, wall


def _first_error(results):
    try:
        return ':\n' + results.get(timeout=1).get('error', '')
    except Exception:  # queue.Empty: nothing said
        return ''


# -- one run ----------------------------------------------------------------------


def _pct(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summarise(worker_results, demand, wall):
    calls = [c for r in worker_results for c in r['calls']]
    decided = [c for c in calls if c['host']]
    failed = [c for c in calls if not c['host']]
    refused = sum(c['refused'] for c in calls)
    per_worker = []
    for r in sorted(worker_results, key=lambda r: r['worker']):
        mine = r['calls']
        per_worker.append({
            'worker': r['worker'], 'pid': r['pid'], 'calls': len(mine),
            'decisions': sum(1 for c in mine if c['host']),
            'no_valid_host': sum(1 for c in mine if not c['host']),
            'claim_conflicts': sum(c['refused'] for c in mine),
            'generation_retries': sum(c['generation_retries'] for c in mine),
            'wall_s': r['wall_s'],
            'decisions_per_s': (sum(1 for c in mine if c['host']) /
                                r['wall_s']) if r['wall_s'] else None})
    seconds = [c['seconds'] for c in decided]
    return {
        'requests': len(demand),
        'calls': len(calls),
        'decisions': len(decided),
        'no_valid_host': len(failed),
        'claim_conflicts': refused,
        'decisions_with_conflict': sum(1 for c in decided if c['refused']),
        'no_valid_host_after_conflict': sum(1 for c in failed
                                            if c['refused']),
        'conflicts_per_decision': refused / len(decided) if decided else None,
        'reschedule_rate': (sum(1 for c in decided if c['refused']) /
                            len(decided)) if decided else None,
        'max_conflicts_in_one_call': max((c['refused'] for c in calls),
                                         default=0),
        'generation_retries': sum(c['generation_retries'] for c in calls),
        'wall_s': wall,
        'decisions_per_s': len(decided) / wall if wall else None,
        'calls_per_s': len(calls) / wall if wall else None,
        'decision_ms': {
            'median': 1000 * statistics.median(seconds) if seconds else None,
            'p95': 1000 * _pct(seconds, 0.95) if seconds else None,
            'max': 1000 * max(seconds) if seconds else None},
        'placement_ms_per_decision_median': (1000 * statistics.median(
            [c['placement_s'] for c in decided]) if decided else None),
        'placement_requests_per_call': (sum(
            c['placement_requests'] for c in calls) / len(calls)
            if calls else None),
        'no_valid_host_ms_median': (1000 * statistics.median(
            [c['seconds'] for c in failed]) if failed else None),
        'no_valid_host_summaries': sorted({c['summary'] for c in failed
                                           if c['summary']})[:5],
        'per_worker': per_worker,
    }


def run(tmp, backend='sqlite', hosts=200, cells=2, processes=4,
        demand_factor=1.1, host_vcpus=4, host_ram=8192, host_disk=100,
        flavors='1:2048:20,2:4096:40', host_subset_size=1, seed=1,
        keep=False, log=print):
    """Set up, race, verify, tear down: the results dict."""
    cloud = Cloud(tmp, backend=backend, hosts=hosts, cells=cells,
                  host_vcpus=host_vcpus, host_ram=host_ram,
                  host_disk=host_disk, log=log)
    log('setting up: %s, %d hosts in %d cells, placement child ...'
        % (backend, hosts, cells))
    cloud.start()
    try:
        log('set up in %.1f s (providers %.1f s)' % (
            cloud.timings['setup_s'], cloud.timings['providers_s']))
        conf_path = cloud.write_conf('scheduler', {
            'filter_scheduler': {'host_subset_size': host_subset_size}})
        demand = make_demand(parse_flavors(flavors), cloud.capacity,
                             demand_factor, seed)
        demand_totals = {rc: sum(f[rc] for f in demand)
                         for rc in cloud.capacity}
        log('racing: %d scheduler processes, %d single-instance requests '
            '(%s of capacity %s)' % (processes, len(demand), demand_totals,
                                     cloud.capacity))
        load_before = os.getloadavg()
        worker_results, wall = run_schedulers(conf_path, demand, processes)
        load_after = os.getloadavg()
        summary = summarise(worker_results, demand, wall)
        decisions = {c['uuid']: (c['host'], dict(demand[c['flavor']]))
                     for r in worker_results for c in r['calls']
                     if c['host']}
        failures = {c['uuid']: dict(demand[c['flavor']])
                    for r in worker_results for c in r['calls']
                    if not c['host']}
        log('verifying placement ...')
        verification = cloud.verify(decisions, failures)
        usage = verification['usage_total']
        return {
            'meta': {
                'argv': sys.argv[1:],
                'date': datetime.datetime.now(datetime.timezone.utc)
                .isoformat(timespec='seconds'),
                'git': _git_rev(),
                'python': platform.python_version(),
                'cpus': os.cpu_count(),
                'load_average_before_after': [load_before, load_after],
                'backend': backend,
                'placement': 'nova-core-placement-api child over HTTP '
                             '(noauth2, admin_token client auth)',
                'scheduler': 'SchedulerManager.select_destinations called '
                             'directly in each worker process (no RPC)',
                'hosts': hosts, 'cells': cells, 'processes': processes,
                'host_inventory': cloud.inventory,
                'flavors': parse_flavors(flavors),
                'demand_factor': demand_factor,
                'host_subset_size': host_subset_size, 'seed': seed,
                'timings': cloud.timings,
            },
            'capacity': cloud.capacity,
            'demand': demand_totals,
            'results': summary,
            'fill': {rc: usage.get(rc, 0) / total
                     for rc, total in cloud.capacity.items()},
            'verification': verification,
        }
    finally:
        cloud.stop(keep=keep)


def _git_rev():
    try:
        return subprocess.run(['git', 'rev-parse', '--short', 'HEAD'],
                              cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def render(result):
    r, v, m = result['results'], result['verification'], result['meta']
    lines = [
        'parallel schedulers: %d processes, %d hosts (%d cells, %s each), '
        '%s, host_subset_size %d' % (
            m['processes'], m['hosts'], m['cells'],
            '/'.join(str(x) for x in m['host_inventory'].values()),
            m['backend'], m['host_subset_size']),
        '  requests %d (demand %s vs capacity %s)' % (
            r['requests'], result['demand'], result['capacity']),
        '  decisions %d, NoValidHost %d, in %.2f s: %.1f decisions/s '
        '(median %.1f ms, p95 %.1f ms per decision, of which placement '
        'HTTP %.1f ms median)' % (
            r['decisions'], r['no_valid_host'], r['wall_s'],
            r['decisions_per_s'], r['decision_ms']['median'] or 0,
            r['decision_ms']['p95'] or 0,
            r['placement_ms_per_decision_median'] or 0),
        '  claim conflicts %d (next host taken): %d decisions (%.1f%%) '
        'needed more than one claim, at most %d in one call; %d provider '
        'generation retries inside claims' % (
            r['claim_conflicts'], r['decisions_with_conflict'],
            100.0 * (r['reschedule_rate'] or 0),
            r['max_conflicts_in_one_call'], r['generation_retries']),
        '  fill: %s' % ', '.join('%s %.1f%%' % (rc, 100 * f)
                                 for rc, f in result['fill'].items()),
        '  placement check: %d providers, over-allocated %d, consumers '
        'with allocations %d == decisions %d, leaked %d, problems %d, '
        'usage matches decisions: %s, NoValidHost while a host had room '
        '%d -> %s' % (
            v['providers_checked'], v['over_allocated'],
            v['consumers_with_allocations'], v['decisions'],
            v['leaked_consumers'], v['allocation_problem_count'],
            v['usage_matches_decisions'], v['no_valid_host_with_room_left'],
            'OK' if v['ok'] else 'FAILED'),
    ]
    for w in r['per_worker']:
        lines.append('    worker %d (pid %d): %d decisions, %d NoValidHost, '
                     '%d conflicts, %.1f decisions/s' % (
                         w['worker'], w['pid'], w['decisions'],
                         w['no_valid_host'], w['claim_conflicts'],
                         w['decisions_per_s'] or 0))
    return '\n'.join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n', 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--backend', choices=('mariadb', 'sqlite'),
                        default='mariadb')
    parser.add_argument('--hosts', type=int, default=200)
    parser.add_argument('--cells', type=int, default=2)
    parser.add_argument('--processes', type=int, default=4)
    parser.add_argument('--demand', type=float, default=1.1,
                        help='requested VCPUs / VCPU capacity (default 1.1)')
    parser.add_argument('--host-vcpus', type=int, default=4)
    parser.add_argument('--host-ram', type=int, default=8192)
    parser.add_argument('--host-disk', type=int, default=100)
    parser.add_argument('--flavors', default='1:2048:20,2:4096:40',
                        help='VCPUS:RAM_MB:DISK_GB,... drawn at random')
    parser.add_argument('--host-subset-size', type=int, default=1)
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--json', help='results file (default under '
                                       'benchmarks/results/)')
    parser.add_argument('--keep', action='store_true',
                        help='keep the databases (not dropped)')
    a = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix='ncbench-parallel-') as tmp:
        result = run(tmp, backend=a.backend, hosts=a.hosts, cells=a.cells,
                     processes=a.processes, demand_factor=a.demand,
                     host_vcpus=a.host_vcpus, host_ram=a.host_ram,
                     host_disk=a.host_disk, flavors=a.flavors,
                     host_subset_size=a.host_subset_size, seed=a.seed,
                     keep=a.keep)
    path = a.json or str(RESULTS / (
        'parallel_schedulers-h%d-p%d-%s%s.json' % (
            a.hosts, a.processes, a.backend, '' if a.host_subset_size == 1
            else '-s%d' % a.host_subset_size)))
    with open(path, 'w') as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write('\n')
    print(render(result))
    print('results: %s' % path)
    return 0 if result['verification']['ok'] else 1


if __name__ == '__main__':
    sys.exit(main())
