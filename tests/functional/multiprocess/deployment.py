"""A nova_core cloud of real processes: databases, RabbitMQ vhosts, console scripts.

:class:`Deployment` does what an operator does, with the programs an
operator runs: fresh databases (API, cell0, one per cell) on MariaDB or
PostgreSQL, a RabbitMQ vhost for the API level and one per cell (on the
machine's broker, or on a private :class:`tests.rabbitmq.RabbitNode`),
``nova-core-placement-api`` (noauth2, SQLite), ``nova-core-manage``
(``api_db sync``, ``cell_v2 map_cell0``, ``cell_v2 create_cell``, ``db
sync``), then ``nova-core-scheduler`` and a super ``nova-core-conductor``
on the API vhost, a ``nova-core-conductor`` per cell and
``nova-core-compute`` processes (whose configuration has no database
section at all) on the cell's vhost, and ``cell_v2 discover_hosts``.

The test process plays the API: :attr:`Deployment.servers` is a
``ServersAPI`` on the API database and the API vhost. :meth:`stop` stops
every child by its PID, drops the databases and deletes the vhosts.
"""

import os
import signal
import threading
import time

from oslo_config import cfg

from nova_core.api.compute import servers_api
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import conf as nova_conf
from nova_core import context as nc_context
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import flavor as db_flavor
from nova_core.db import host_mapping as db_host_mapping
from nova_core.db import service as db_service
from nova_core import placement_client
from nova_core import rpc
from tests import backends
from tests import cloud as cloud_mod
from tests import rabbitmq
from tests import servers

FLAVORS = cloud_mod.FLAVORS
STARTED = 'started on host'

# Short timings, so that failures surface within a test's patience.
TIMINGS = {
    'DEFAULT': {'report_interval': 1, 'service_down_time': 8,
                'periodic_interval': 2, 'rpc_response_timeout': 30},
    # Each RPC server of a conductor takes a while to stop: keep them few.
    'conductor': {'build_watchdog_interval': 2, 'build_stuck_timeout': 30,
                  'workers': 2},
    # Reconnect promptly after a broker restart.
    'oslo_messaging_rabbit': {'rabbit_retry_interval': 1,
                              'rabbit_retry_backoff': 1,
                              'rabbit_interval_max': 2},
}


def load_conf(path, databases=True):
    """nova_core's options read from *path*, without setting up logging."""
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=databases)
    rpc.register_opts(conf)
    conf(['--config-file', str(path)], project='nova_core',
         default_config_files=[])
    return conf


def _merge(*dicts):
    merged = {}
    for sections in dicts:
        for section, options in (sections or {}).items():
            merged.setdefault(section, {}).update(options)
    return merged


class Vhosts:
    """Vhosts for the API level and each cell: on a private node or shared."""

    def __init__(self, names, node=None):
        self.node = node
        self.url = {}
        self._made = []
        for name in names:
            if node is not None:
                vhost = node.add_vhost()
                self._made.append(vhost)
                self.url[name] = node.url(vhost)
            else:
                vhost = rabbitmq.SharedVhost()
                self._made.append(vhost)
                self.url[name] = vhost.url

    def delete(self):
        for vhost in self._made:
            if self.node is not None:
                if self.node.process is not None:
                    self.node.delete_vhost(vhost)
            else:
                vhost.delete()


class Deployment(cloud_mod.CloudHelpers):
    """API, cell0 and *cells* cells with *hosts_per_cell* computes each.

    :param backend: ``'mysql'`` or ``'postgresql'`` for every database.
    :param fake_driver: ``{host: {option: value}}`` ``[fake_driver]``
        settings of particular hosts (``'*'``: all).
    :param sections: ``{section: {option: value}}`` for every service.
    :param rabbit_node: a started RabbitNode carrying all vhosts; default:
        vhosts on the machine's broker.
    """

    def __init__(self, tmp_path, backend='mysql', cells=2, hosts_per_cell=2,
                 fake_driver=None, sections=None, rabbit_node=None):
        self.tmp = tmp_path
        self.backend = backend
        self.cell_names = ['cell%d' % (i + 1) for i in range(cells)]
        self.hosts_per_cell = hosts_per_cell
        self.fake_driver = fake_driver or {}
        self.sections = _merge(TIMINGS, sections)
        self.rabbit_node = rabbit_node
        self.procs = servers.Processes(tmp_path)
        self.databases = {}
        self.vhosts = None
        self.placement_server = None
        self.computes = {}        # host -> Server
        self.compute_cell = {}    # host -> cell name
        self.conductors = {}      # 'super' / cell name -> Server
        self.scheduler = None
        self.cell_uuids = {}
        self.cells = None
        self.timings = {}

    # -- set-up ---------------------------------------------------------------

    def start(self):
        started = time.monotonic()
        try:
            self._resources()
            self.timings['resources'] = time.monotonic() - started
            self._setup_cells()
            self.timings['cells'] = time.monotonic() - started
            self._start_services()
        except BaseException:
            self.stop()
            raise
        self.timings['start'] = time.monotonic() - started
        return self

    def _resources(self):
        for name in ['api', 'cell0'] + self.cell_names:
            self.databases[name] = backends.Database(self.backend,
                                                     str(self.tmp))
        self.vhosts = Vhosts(['api'] + self.cell_names, self.rabbit_node)
        conf = servers.write_conf(self.tmp / 'placement.conf',
                                  {'api': {'auth_strategy': 'noauth2'}})
        self.placement_server = self.procs.placement_api(
            '--config-file', conf, '--state-dir',
            str(self.tmp / 'placement-state'))
        self.placement_server.wait_ready()

    def url(self, name):
        return self.databases[name].url

    def _common(self, name, transport):
        state = self.tmp / 'state' / name
        os.makedirs(state, exist_ok=True)
        return _merge(self.sections, {
            'DEFAULT': {'transport_url': transport, 'state_path': str(state)},
            'placement': {'auth_type': 'admin_token',
                          'endpoint': self.placement_server.url,
                          'token': 'admin'},
        })

    def write_service_conf(self, name, level, database=None, api=True,
                           extra=None):
        """The config file of one process; *level* 'api' or a cell name."""
        sections = self._common(name, self.vhosts.url[level])
        if api:
            sections['api_database'] = {'connection': self.url('api')}
        if database:
            sections['database'] = {'connection': self.url(database)}
        sections = _merge(sections, extra)
        return servers.write_conf(self.tmp / ('%s.conf' % name), sections)

    def manage(self, conf, *args, check=True):
        return self.manage_all([(conf, args)], check=check)[0]

    @staticmethod
    def manage_all(commands, check=True):
        """Run ``nova-core-manage --config-file CONF ARGS...`` in parallel.

        *commands* is a list of (conf, args); the CompletedProcess-like
        results in the same order.
        """
        results = [None] * len(commands)

        def one(index, conf, args):
            started = time.monotonic()
            results[index] = servers.run(servers.script('nova-core-manage'),
                                         '--config-file', conf, *args)
            results[index].seconds = time.monotonic() - started

        threads = [threading.Thread(target=one, args=(i, conf, args))
                   for i, (conf, args) in enumerate(commands)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for (conf, args), result in zip(commands, results):
            if check and (result is None or result.returncode):
                raise AssertionError('nova-core-manage %s: %s\n%s%s' % (
                    ' '.join(args), getattr(result, 'returncode', None),
                    getattr(result, 'stdout', ''),
                    getattr(result, 'stderr', '')))
        return results

    def _setup_cells(self):
        self.manage_conf = self.write_service_conf('manage', 'api')
        # Each cell database is synced with a configuration naming only it
        # (as on the cell's own conductor host), all at once, while the API
        # database is synced: then cell0 and the cells are mapped.
        syncs = [(self.manage_conf, ('api_db', 'sync'))]
        for name in ['cell0'] + self.cell_names:
            conf = self.write_service_conf('manage-' + name, name if
                                           name != 'cell0' else 'api',
                                           database=name, api=False)
            syncs.append((conf, ('db', 'sync')))
        self.manage_all(syncs)
        creates = [(self.manage_conf, ('cell_v2', 'map_cell0',
                                       '--database_connection',
                                       self.url('cell0')))]
        for name in self.cell_names:
            creates.append((self.manage_conf, (
                'cell_v2', 'create_cell', '--name', name, '--transport-url',
                self.vhosts.url[name], '--database_connection',
                self.url(name), '--verbose')))
        results = self.manage_all(creates)
        for name, result in zip(self.cell_names, results[1:]):
            self.cell_uuids[name] = result.stdout.strip().splitlines()[-1]
        self.api_conf = load_conf(self.manage_conf)
        self.cells = db_cells.CellDatabases(self.api_conf)
        self.ctx = nc_context.get_admin_context(db=self.cells,
                                                config=self.api_conf)
        self.ctx.project_id = 'demo-project'
        self.ctx.user_id = 'demo-user'
        with self.cells.api.writer(self.ctx) as conn:
            for name, (vcpus, ram, disk) in FLAVORS.items():
                db_flavor.create(conn, name, ram, vcpus, root_gb=disk,
                                 flavorid=name)
        self.placement = placement_client.from_conf(self.api_conf)
        self.conductor_api = conductor_rpcapi.ConductorAPI(self.api_conf)
        self.servers = servers_api.ServersAPI(
            self.api_conf, self.cells, self.conductor_api,
            compute_rpcapi.ComputeAPI(self.api_conf), self.placement)

    def _start_services(self):
        started = time.monotonic()
        self.scheduler = self._service(
            'nova-core-scheduler', 'scheduler',
            self.write_service_conf('scheduler', 'api'))
        self.conductors['super'] = self._service(
            'nova-core-conductor', 'conductor-super',
            self.write_service_conf('conductor-super', 'api'))
        for name in self.cell_names:
            self.conductors[name] = self._service(
                'nova-core-conductor', 'conductor-' + name,
                self.write_service_conf('conductor-' + name, name,
                                        database=name))
        # A compute's first act is a call to its conductor; a message sent
        # before the conductor's queue exists is lost.
        for server in [self.scheduler] + list(self.conductors.values()):
            self.wait_started(server)
        for name in self.cell_names:
            for index in range(self.hosts_per_cell):
                self.start_compute(name, '%s-host%d' % (name, index + 1),
                                   wait=False)
        for server in self.computes.values():
            self.wait_started(server)
        self.timings['services'] = time.monotonic() - started
        self.discover_hosts(list(self.computes))

    def _service(self, script, name, conf):
        return self.procs.start([servers.script(script), '--config-file',
                                 conf], name=name)

    def compute_conf(self, cell, host, fake_driver=None):
        options = {}
        for key in ('*', host):
            options.update(self.fake_driver.get(key, {}))
        options.update(fake_driver or {})
        extra = {'DEFAULT': {'host': host}}
        if options:
            extra['fake_driver'] = {
                k: ','.join(map(str, v)) if isinstance(v, (list, tuple))
                else v for k, v in options.items()}
        return self.write_service_conf('compute-' + host, cell, api=False,
                                       extra=extra)

    def start_compute(self, cell, host, fake_driver=None, wait=True):
        """Start (or restart) ``nova-core-compute`` as *host* in *cell*."""
        conf = self.compute_conf(cell, host, fake_driver)
        server = self._service('nova-core-compute', 'compute-' + host, conf)
        self.computes[host] = server
        self.compute_cell[host] = cell
        if wait:
            self.wait_started(server)
        return server

    @staticmethod
    def wait_started(server, timeout=60):
        """Wait for the console script's "started on host" log line."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                raise AssertionError('%s exited with %s:\n%s' % (
                    server.log_path, server.proc.returncode, server.log()))
            if STARTED in server.log():
                return server
            time.sleep(0.2)
        raise AssertionError('%s did not start in %ss:\n%s'
                             % (server.log_path, timeout, server.log()))

    def discover_hosts(self, hosts, timeout=60):
        """``cell_v2 discover_hosts`` until every host in *hosts* is mapped."""
        deadline = time.monotonic() + timeout
        while True:
            self.manage(self.manage_conf, 'cell_v2', 'discover_hosts',
                        check=False)
            with self.cells.api.reader(self.ctx) as conn:
                mapped = {m['host'] for m in db_host_mapping.get_all(conn)}
            if set(hosts) <= mapped:
                return mapped
            if time.monotonic() > deadline:
                raise AssertionError('hosts %s not mapped after %ss'
                                     % (sorted(set(hosts) - mapped), timeout))
            time.sleep(0.5)

    # -- tear-down ------------------------------------------------------------

    def stop(self):
        started = time.monotonic()
        # Computes first: stopping, one waits for its calls to the
        # conductor in flight, which must still be there to answer.
        computes = set(self.computes.values())
        _stop_all([s for s in self.procs.servers if s in computes])
        _stop_all([s for s in self.procs.servers if s not in computes])
        self.procs.cleanup()
        self.timings['stop_processes'] = time.monotonic() - started
        for url in set((self.vhosts.url if self.vhosts else {}).values()):
            try:
                rpc.cleanup_transports(url)
            except Exception:  # the broker may be gone already
                pass
        if self.cells is not None:
            self.cells.dispose()
        for database in self.databases.values():
            database.drop()
        self.timings['drop'] = time.monotonic() - started
        if self.vhosts is not None:
            self.vhosts.delete()
        self.timings['stop'] = time.monotonic() - started

    # -- what tests look at ---------------------------------------------------

    def cell_conf(self, cell):
        """An in-process ConfigOpts on *cell*'s vhost (as a compute's)."""
        return load_conf(self.write_service_conf(
            'client-' + cell, cell, api=False), databases=False)

    poll_interval = 0.5

    def failure_context(self):
        return '\n' + self.log_tails()

    def log_tails(self, lines=15):
        out = []
        for server in self.procs.servers:
            tail = server.log().splitlines()[-lines:]
            out.append('--- %s\n%s' % (server.log_path, '\n'.join(tail)))
        return '\n'.join(out)

    @staticmethod
    def usage_of(servers_shown):
        """What *servers_shown* in ACTIVE should hold in placement."""
        total = {}
        for server in servers_shown:
            if server.get('vm_state') != 'active':
                continue
            flavor = server['flavor']
            for rc, amount in (('VCPU', flavor['vcpus']),
                               ('MEMORY_MB', flavor['memory_mb']),
                               ('DISK_GB', flavor['root_gb'] +
                                flavor.get('ephemeral_gb', 0))):
                total[rc] = total.get(rc, 0) + amount
        return {rc: amount for rc, amount in total.items() if amount}

    def compute_services(self, cell):
        """The nova-compute service records of *cell*'s database."""
        with self.cells.api.reader(self.ctx) as conn:
            mapping = db_cell_mapping.get_by_uuid(conn,
                                                  self.cell_uuids[cell])
        with db_cells.target_cell(self.ctx, mapping,
                                  cells=self.cells) as cctx:
            with cctx.db_connection.reader(cctx) as conn:
                return db_service.get_all(conn,
                                          binary=servers_api.COMPUTE_BINARY)

    def service_is_up(self, service):
        return servers_api.service_is_up(service,
                                         self.api_conf.service_down_time)


def _stop_all(servers_):
    """SIGTERM *servers_* at once; wait for them all (killed after 20s)."""
    threads = [threading.Thread(target=_stop_quietly, args=(server,))
               for server in servers_]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)


def _stop_quietly(server):
    try:
        server.stop(signal.SIGTERM, timeout=20)
    except Exception:  # kill() in cleanup takes care of the rest
        pass

