#!/usr/bin/env python3
"""The scheduler at scale: decisions per second and a big multi-create.

    .venv/bin/python benchmarks/scheduler_scale.py [--hosts 10000] \\
        [--seconds 30] [--multi 1000] [--cell-connection URL] \\
        [--keep DIR] [--full-refresh-every-request] [--profile FILE] \\
        [--churn N] [--heartbeats N] [--max-placement-results N] \\
        [--placement-http] [--concurrency N]

A cloud of --hosts fake compute hosts, without computes: one cell whose
database gets a ``services`` and a ``compute_nodes`` row per host, written
through ``nova_core.db`` (service.create / compute_node.create, one
transaction), and the matching resource providers (same uuids, VCPU /
MEMORY_MB / DISK_GB inventory) in a placement run **in-process**
(``PlacementDirect``, the WSGI app called without HTTP; the scheduler
talks to it through ``placement_client.from_direct``). Providers are made
through placement's REST API in-process: ``POST /resource_providers`` then
``PUT /resource_providers/{uuid}/inventories`` per host (the reshaper
cannot create providers; going under the API into placement objects was
not needed, see the load time in the output). The API and cell databases
are SQLite files (--cell-connection: a MariaDB / PostgreSQL URL for the
cell database instead); --keep DIR keeps and reuses them (and the
placement database) between runs. A run deletes the allocations it made
before it ends, so that the next run on the same --keep data starts from
the same usage: allocations piling up run after run make every later run
slower (one directory reused for a day held 183,597 allocation rows). The
usage found at start is printed and kept in the results.

Then one ``SchedulerManager`` (default ``enabled_filters`` and weighers,
the real ``HostManager`` on the cell database) is timed:

* decisions/s: ``select_destinations`` of single-instance requests in a
  loop for --seconds, each with a new instance uuid, so each claims in
  placement (a flavor of 1 VCPU, 512 MB, 1 GB); p50 / p99 latency;
* one --multi-instance multi-create in one ``select_destinations`` call
  (every instance claimed).

Both also report the process's CPU seconds (decisions per CPU second): on
a machine shared with other work, wall-clock figures swing by two or
three times between runs; compare two versions by alternating runs on the
same --keep data and look at both figures.

With --placement-http the scheduler talks to placement over HTTP instead,
as deployed: a ``nova-core-placement-api`` child on the same placement
database (noauth2; the scheduler's ``[placement]`` is ``admin_token`` with
the child's endpoint), started by PID and stopped by PID. With
--concurrency N, N threads of the scheduler's process call
``select_destinations`` at once, as the threads of its RPC server do
when requests arrive together; the decisions of a second are then the
worker's throughput (the instances race for the best hosts, as those of
concurrent requests do: refused claims are counted). The CPU seconds of
the placement child are reported too.

Meanwhile a writer process (as conductors of other processes would) may
change --churn compute node rows per second (as resource trackers do) and
report --heartbeats compute services per second, to show the host
manager's incremental refresh.
--full-refresh-every-request sets ``host_state_full_refresh_interval`` to
0: the host manager then reads every row of the cell on every request (the
behaviour before its cache), for comparison. --profile FILE writes a
cProfile of the decision loop. Results: benchmarks/results/*.json.
"""

import argparse
import cProfile
import json
import multiprocessing
import os
import pathlib
import platform
import pstats
import sys
import tempfile
import threading
import time
import uuid as uuidlib

from oslo_config import cfg

from nova_core import conf as nova_conf
from nova_core.conf import placement_client as placement_conf
from nova_core import context as nc_context
from nova_core.db import cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import compute_node
from nova_core.db import migration as db_migration
from nova_core.db import service as service_db
from nova_core.placement import deploy
from nova_core.placement import direct
from nova_core import placement_client
from nova_core import rpc
from nova_core.scheduler import manager as scheduler_manager
from nova_core.testing import scheduler as sf

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

CELL1 = '11111111-1111-1111-1111-111111111111'
VCPUS, MEMORY_MB, DISK_GB = 64, 262144, 4000
HERE = os.path.dirname(os.path.abspath(__file__))


def make_conf(workdir, cell_url, full_every_request, max_results=None,
              randomize=False, config_files=()):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    rpc.register_opts(conf)
    placement_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=list(config_files))
    conf.set_override('state_path', workdir)
    conf.set_override('auth_strategy', 'noauth2', group='api')
    conf.set_override('connection', 'sqlite:///%s/api.sqlite' % workdir,
                      group='api_database')
    conf.set_override('connection',
                      'sqlite:///%s/placement.sqlite' % workdir,
                      group='placement_database')
    conf.set_override('sync_on_startup', True, group='placement_database')
    if full_every_request:
        conf.set_override('host_state_full_refresh_interval', 0,
                          group='scheduler')
    if max_results:
        conf.set_override('max_placement_results', max_results,
                          group='scheduler')
    if randomize:
        conf.set_override('randomize_allocation_candidates', True,
                          group='placement')
    return conf, cell_url or 'sqlite:///%s/cell1.sqlite' % workdir


def load_cell(conf, cells, ctx, cell_url, hosts, known=None):
    """Cell mapping, services and compute nodes; [(host, node uuid)].
    *known*: {host: uuid} of providers already in placement (kept)."""
    known = known or {}
    db_migration.sync(cells.api, 'api')
    with cells.api.writer(ctx) as conn:
        if not cell_mapping.get_all(conn):
            cell_mapping.create(conn, db_cells.CELL0_UUID, 'cell0', 'fake://',
                                'sqlite:///%s/cell0.sqlite'
                                % conf.state_path)
            cell_mapping.create(conn, CELL1, 'cell1', 'fake://', cell_url)
    database = cells.for_url(cell_url)
    db_migration.sync(database, 'main')
    with database.reader(ctx) as conn:
        existing = compute_node.get_all(conn)
    if len(existing) >= hosts:
        return [(n['host'], n['uuid']) for n in existing[:hosts]], 0.0
    started = time.perf_counter()
    made = []
    with database.writer(ctx) as conn:
        for i in range(len(existing), hosts):
            host = 'cn%05d' % i
            svc = service_db.create(conn, host, 'nova-core-compute',
                                    topic='compute')
            conn.execute(service_db._T.update().where(
                service_db._T.c.id == svc['id']).values(
                    last_seen_up=service_db.base.utcnow()))
            node = compute_node.create(conn, {
                'uuid': known.get(host) or str(uuidlib.uuid4()),
                'host': host, 'hypervisor_hostname': host,
                'service_id': svc['id'], 'vcpus': VCPUS,
                'memory_mb': MEMORY_MB, 'local_gb': DISK_GB,
                'hypervisor_type': 'fake', 'hypervisor_version': 1000,
                'cpu_info': '{"arch": "x86_64"}',
                'host_ip': '10.%d.%d.%d' % (i >> 16, (i >> 8) & 255,
                                            i & 255),
                'stats': {}, 'mapped': 1,
                'cpu_allocation_ratio': 4.0, 'ram_allocation_ratio': 1.0,
                'disk_allocation_ratio': 1.0})
            made.append((host, node['uuid']))
    return ([(n['host'], n['uuid']) for n in existing] + made,
            time.perf_counter() - started)


def load_placement(client, nodes):
    """A provider with inventory per node not in placement yet."""
    resp = client.get('/resource_providers', microversion='1.14')
    known = {rp['uuid'] for rp in resp.json()['resource_providers']}
    started = time.perf_counter()
    for host, uuid in nodes:
        if uuid in known:
            continue
        sf.add_compute_node(client, host, uuid=uuid, vcpus=VCPUS,
                            memory_mb=MEMORY_MB, disk_gb=DISK_GB,
                            cpu_ratio=4.0)
    return time.perf_counter() - started


def keep_services_up(conf, cells, ctx, cell_url):
    """Refresh every service's last_seen_up in one statement (the
    benchmark's hosts must stay up however long the loading took)."""
    with cells.for_url(cell_url).writer(ctx) as conn:
        conn.execute(service_db._T.update().values(
            last_seen_up=service_db.base.utcnow()))


def churn(workdir, cell_url, per_second, heartbeats, stop):
    """In a process of its own (the conductors' work is not the
    scheduler's), until *stop*, each second: update *per_second* compute
    node rows and report *heartbeats* compute services
    (db.service.heartbeat, what a compute's periodic report does through
    its conductor)."""
    conf, _url = make_conf(workdir, cell_url, False)
    cells = db_cells.CellDatabases(conf)
    ctx = nc_context.get_admin_context(db=cells, config=conf)
    database = cells.for_url(cell_url)
    with database.reader(ctx) as conn:
        service_ids = [svc['id'] for svc in service_db.get_all(conn)]
        nodes = [(n['host'], n['uuid']) for n in compute_node.get_all(conn)]
    i = j = 0
    while not stop.is_set() and (per_second or heartbeats):
        tick = time.monotonic()
        with database.writer(ctx) as conn:
            for _ in range(per_second):
                _host, uuid = nodes[i % len(nodes)]
                compute_node.update(conn, uuid, {'vcpus_used': i % 7})
                i += 1
            for _ in range(heartbeats):
                service_db.heartbeat(conn, service_ids[j % len(service_ids)])
                j += 1
        stop.wait(max(0.0, 1.0 - (time.monotonic() - tick)))


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def start_placement(workdir):
    """A nova-core-placement-api child on the benchmark's placement
    database; (the server, the scheduler's config file naming it)."""
    from tests import servers
    root = pathlib.Path(workdir)
    conf = servers.write_conf(root / 'placement-api.conf', {
        'api': {'auth_strategy': 'noauth2'},
        'placement_database': {
            'connection': 'sqlite:///%s/placement.sqlite' % workdir},
    })
    server = servers.Processes(root).placement_api(
        '--config-file', conf, '--state-dir', str(root / 'placement-state'))
    server.wait_ready(timeout=120)
    scheduler_conf = servers.write_conf(root / 'scheduler.conf', {
        'placement': {'auth_type': 'admin_token', 'endpoint': server.url,
                      'token': 'admin'}})
    return server, scheduler_conf


def cpu_seconds_of(pid):
    """User + system CPU seconds of process *pid* so far (Linux)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def decisions(manager, ctx, seconds, profile=None, concurrency=1,
              consumers=None):
    """The single-instance loop; the instance uuids it scheduled are
    added to *consumers*."""
    consumers = [] if consumers is None else consumers
    latencies = []
    refused = []
    spec = sf.request_spec(vcpus=1, memory_mb=512, root_gb=1)
    prof = cProfile.Profile() if profile else None
    started = time.perf_counter()
    cpu_started = time.process_time()

    def loop():
        while time.perf_counter() - started < seconds:
            t0 = time.perf_counter()
            instance = str(uuidlib.uuid4())
            selections = manager.select_destinations(
                ctx, spec, [instance], return_alternates=True)
            latencies.append(time.perf_counter() - t0)
            consumers.append(instance)
            assert selections and selections[0]

    claim = scheduler_manager._Placer._claim

    def counting_claim(placer, instance_uuid, host, request):
        held = claim(placer, instance_uuid, host, request)
        if not held:
            refused.append(instance_uuid)
        return held
    scheduler_manager._Placer._claim = counting_claim
    if prof:
        prof.enable()
    try:
        threads = [threading.Thread(target=loop)
                   for _ in range(concurrency - 1)]
        for thread in threads:
            thread.start()
        loop()
        for thread in threads:
            thread.join()
    finally:
        scheduler_manager._Placer._claim = claim
    if prof:
        prof.disable()
        prof.dump_stats(profile)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {'decisions': len(latencies), 'seconds': round(elapsed, 3),
            'concurrency': concurrency, 'claims_refused': len(refused),
            'decisions_per_second': round(len(latencies) / elapsed, 1),
            'cpu_seconds': round(cpu, 3),
            'decisions_per_cpu_second': round(len(latencies) / cpu, 1),
            'latency_ms': {
                'p50': round(percentile(latencies, 0.5) * 1000, 2),
                'p99': round(percentile(latencies, 0.99) * 1000, 2),
                'max': round(max(latencies) * 1000, 2)}}


def multi_create(manager, ctx, count, profile=None, consumers=None):
    spec = sf.request_spec(vcpus=1, memory_mb=512, root_gb=1,
                           num_instances=count)
    uuids = [str(uuidlib.uuid4()) for _ in range(count)]
    if consumers is not None:
        consumers.extend(uuids)
    prof = cProfile.Profile() if profile else None
    if prof:
        prof.enable()
    t0 = time.perf_counter()
    cpu_started = time.process_time()
    selections = manager.select_destinations(ctx, spec, uuids)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - cpu_started
    if prof:
        prof.disable()
        prof.dump_stats(profile)
    hosts = {s[0]['service_host'] for s in selections}
    assert len(selections) == count
    return {'instances': count, 'seconds': round(elapsed, 3),
            'cpu_seconds': round(cpu, 3), 'distinct_hosts': len(hosts)}


def usage_now(client):
    """What the benchmark's project uses in placement, {class: amount}."""
    project = sf.request_spec()['project_id']
    return client.get('/usages?project_id=%s' % project,
                      microversion='1.9').json()['usages']


def release(client, consumers):
    """Delete the allocations of *consumers* (those the run made)."""
    started = time.perf_counter()
    for consumer in consumers:
        resp = client.delete('/allocations/%s' % consumer,
                             microversion='1.28')
        if resp.status_code not in (204, 404):
            raise RuntimeError('deleting the allocations of %s: %s %s' % (
                consumer, resp.status_code, resp.text))
    return time.perf_counter() - started


def host_manager_reads(manager):
    caches = manager.host_manager._caches
    return {uuid: dict(cache.reads) for uuid, cache in caches.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--hosts', type=int, default=10000)
    parser.add_argument('--seconds', type=float, default=30.0)
    parser.add_argument('--multi', type=int, default=1000)
    parser.add_argument('--churn', type=int, default=0,
                        help='compute node rows updated per second')
    parser.add_argument('--heartbeats', type=int, default=0,
                        help='compute service heartbeats per second (10,000 '
                        'computes reporting every 10 s: 1000)')
    parser.add_argument('--cell-connection')
    parser.add_argument('--keep')
    parser.add_argument('--full-refresh-every-request', action='store_true')
    parser.add_argument('--max-placement-results', type=int,
                        help='[scheduler] max_placement_results (default '
                        '1000, as Nova)')
    parser.add_argument('--randomize', action='store_true',
                        help='[placement] randomize_allocation_candidates')
    parser.add_argument('--placement-http', action='store_true',
                        help='placement in a nova-core-placement-api child, '
                        'over HTTP')
    parser.add_argument('--concurrency', type=int, default=1,
                        help='threads calling select_destinations at once')
    parser.add_argument('--profile')
    parser.add_argument('--out')
    args = parser.parse_args()

    workdir = args.keep or tempfile.mkdtemp(prefix='scheduler-scale-')
    os.makedirs(workdir, exist_ok=True)
    conf, cell_url = make_conf(workdir, args.cell_connection,
                               args.full_refresh_every_request,
                               args.max_placement_results, args.randomize)
    cells = db_cells.CellDatabases(conf)
    ctx = nc_context.get_admin_context(db=cells, config=conf)
    app = deploy.make_app(conf)
    client = direct.PlacementDirect(app=app, token='admin')
    known = {rp['name']: rp['uuid'] for rp in client.get(
        '/resource_providers', microversion='1.14').json()[
            'resource_providers']}
    nodes, cell_load = load_cell(conf, cells, ctx, cell_url, args.hosts,
                                 known)
    placement_load = load_placement(client, nodes)
    keep_services_up(conf, cells, ctx, cell_url)
    print('%d hosts; cell rows written in %.1fs, placement providers in '
          '%.1fs (placement in-process)' % (len(nodes), cell_load,
                                            placement_load))
    at_start = usage_now(client)
    if any(at_start.values()):
        print('WARNING: placement already holds allocations of earlier runs '
              '(%s); this run is slower for them: use a fresh --keep '
              'directory to compare figures' % ', '.join(
                  '%s=%s' % item for item in sorted(at_start.items())))

    server = None
    if args.placement_http:
        server, scheduler_conf = start_placement(workdir)
        conf, _url = make_conf(workdir, args.cell_connection,
                               args.full_refresh_every_request,
                               args.max_placement_results, args.randomize,
                               config_files=[scheduler_conf])
        scheduler_placement = placement_client.from_conf(conf)
    else:
        scheduler_placement = placement_client.from_direct(client)
    consumers = []
    try:
        return run(args, conf, cells, ctx, cell_url, nodes, cell_load,
                   placement_load, workdir, scheduler_placement, server,
                   at_start, consumers)
    finally:
        if server is not None:
            server.stop()
        took = release(client, consumers)
        print('deleted the allocations of the %d instances scheduled, in '
              '%.1fs' % (len(consumers), took))
        cells.dispose()


def run(args, conf, cells, ctx, cell_url, nodes, cell_load, placement_load,
        workdir, scheduler_placement, server, at_start, consumers):
    manager = scheduler_manager.SchedulerManager(
        conf, scheduler_placement, cells)
    # The first request reads the cell in full; not timed in the loop.
    t0 = time.perf_counter()
    manager.select_destinations(ctx, sf.request_spec(), None)
    first = time.perf_counter() - t0

    spawn = multiprocessing.get_context('spawn')
    stop = spawn.Event()
    writer = spawn.Process(target=churn, args=(
        workdir, cell_url, args.churn, args.heartbeats, stop), daemon=True)
    if args.churn or args.heartbeats:
        writer.start()
        time.sleep(3)       # its start-up is not the scheduler's time
    placement_cpu = cpu_seconds_of(server.pid) if server else None
    try:
        loop = decisions(manager, ctx, args.seconds, args.profile,
                         args.concurrency, consumers)
    finally:
        stop.set()
        if writer.pid is not None:
            writer.join()
    if server is not None:
        loop['placement_cpu_seconds'] = round(
            cpu_seconds_of(server.pid) - placement_cpu, 2)
    print('decisions: %(decisions_per_second).1f/s (%(decisions)d in '
          '%(seconds).1fs; %(decisions_per_cpu_second).1f per CPU second '
          'of the scheduler)' % loop,
          'p50 %(p50).1f ms, p99 %(p99).1f ms;' % loop['latency_ms'],
          '%d thread(s), %d claim(s) refused' % (loop['concurrency'],
                                                 loop['claims_refused']),
          ('; placement child: %.1f CPU seconds' %
           loop['placement_cpu_seconds']) if server else '')
    multi = multi_create(manager, ctx, args.multi,
                         args.profile + '.multi' if args.profile else None,
                         consumers)
    print('multi-create of %(instances)d: %(seconds).2fs (%(cpu_seconds).2f '
          'CPU seconds) on %(distinct_hosts)d hosts' % multi)
    result = {
        'benchmark': 'scheduler_scale',
        'placement': ('nova-core-placement-api child over HTTP'
                      if server else 'in-process (PlacementDirect, no HTTP)'),
        'concurrency': args.concurrency,
        'hosts': len(nodes), 'cells': 1,
        'cell_database': cell_url.split(':')[0],
        'placement_database': 'sqlite',
        'filters': list(conf.filter_scheduler.enabled_filters),
        'weighers': [type(w).__name__ for w in manager.weighers],
        'host_state_full_refresh_interval':
            conf.scheduler.host_state_full_refresh_interval,
        'max_placement_results': conf.scheduler.max_placement_results,
        'randomize_allocation_candidates':
            conf.placement.randomize_allocation_candidates,
        'host_state_refresh_interval':
            conf.scheduler.host_state_refresh_interval,
        'machine_load_average_at_start': os.getloadavg(),
        'cpus': os.cpu_count(),
        'churn_node_updates_per_second': args.churn,
        'service_heartbeats_per_second': args.heartbeats,
        'load_seconds': {'cell_rows': round(cell_load, 1),
                         'placement_providers': round(placement_load, 1)},
        'usage_at_start': at_start,
        'first_request_seconds': round(first, 3),
        'single_instance_loop': loop,
        'multi_create': multi,
        'host_manager_reads': host_manager_reads(manager),
        'python': platform.python_version(),
        'cpu': platform.processor() or platform.machine(),
    }
    suffix = ''
    if args.max_placement_results:
        suffix += '-limit%d' % args.max_placement_results
    if args.full_refresh_every_request:
        suffix += '-full-refresh'
    if args.churn or args.heartbeats:
        suffix += '-churn%d-hb%d' % (args.churn, args.heartbeats)
    if server:
        suffix += '-http'
    if args.concurrency > 1:
        suffix += '-c%d' % args.concurrency
    out = args.out or os.path.join(
        HERE, 'results', 'scheduler-scale-n%d-%s%s.json' % (
            len(nodes), cell_url.split(':')[0].split('+')[0], suffix))
    with open(out, 'w') as f:
        json.dump(result, f, indent=2)
        f.write('\n')
    print('wrote', out)
    if args.profile:
        pstats.Stats(args.profile).sort_stats('cumulative').print_stats(25)
    return 0


if __name__ == '__main__':
    sys.exit(main())
