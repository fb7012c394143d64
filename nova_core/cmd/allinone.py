"""A whole cloud in one process: the wiring of ``nova-core-aio`` and of the tests' cloud.

API database, cell0 and N cells (SQLite files under ``[DEFAULT] state_path``
unless real databases are named), the in-process ``fake://`` transport (one
bus per cell: ``fake://cellN/``; the API level on ``fake://``) unless a real
transport URL is given, placement in-process, a super conductor and a
scheduler on the API transport, a conductor per cell and fake computes in
each cell. Every service is wired by the same functions as the console
scripts (``assemble`` and ``compute.build``), so the all-in-one runs the
same code as a deployment of separate processes.

A second start on the same state reuses it: the cell mappings are found by
name, schemas are upgraded in place, the default flavors and image are
added only when the API database is new.
"""

import threading
import uuid as uuidlib

from nova_core.api.compute import servers_api
from nova_core.cmd import assemble
from nova_core.cmd import compute as compute_cmd
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import context as nc_context
from nova_core.db import cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import engine as db_engine
from nova_core.db import flavor as db_flavor
from nova_core.db import host_discovery
from nova_core.db import migration as db_migration
from nova_core import image
from nova_core import loading
from nova_core import network
from nova_core.placement import direct
from nova_core import placement_client
from nova_core import rpc

# The flavors a new cloud starts with: name: (vcpus, memory_mb, root_gb).
FLAVORS = {
    'm1.tiny': (1, 512, 1),
    'm1.small': (1, 2048, 20),
    'm1.medium': (2, 4096, 40),
    'm1.large': (4, 8192, 80),
}
# The image a new cloud starts with (metadata only: the fake driver boots
# anything).
IMAGE = {'id': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'name': 'cirros',
         'properties': {}}


def _stop_quietly(svc):
    try:
        svc.stop()
    except Exception:  # stop the rest regardless
        pass


class AllInOne:
    """API, cell0, *cells* cells with *hosts_per_cell* fake computes each.

    :param make_conf: ``make_conf(overrides, databases)`` returns a new
        ConfigOpts with nova_core's options (and ``rpc``'s), the
        deployment's files read, and ``{(group, option): value}`` set as
        overrides: every service gets its own configuration.
    :param overrides: ``{(group, option): value}`` for every service
        (``[DEFAULT] state_path`` among them).
    :param transport_url: a real transport for the API level and every cell
        (one vhost for all); default the in-process ``fake://`` buses.
    :param database_connection: a real database URL for cell1, from which
        the others are named Nova's way (``..._api``, ``..._cell0``,
        ``..._cell2``, ``..._placement``); they must exist. Default: SQLite
        files under ``state_path``.
    :param host_extra: ``host -> {(group, option): value}`` for a compute
        (``'*'`` for all), e.g. ``[fake_driver]`` capacity.
    :param bus: a name that keeps this cloud's in-process buses apart from
        another cloud's in the same process (``fake://BUS/``,
        ``fake://BUS-cell1/``); without it the buses are ``fake://`` and
        ``fake://cell1/``, which a second cloud in the process would share.
    """

    def __init__(self, make_conf, overrides, cells=1, hosts_per_cell=2,
                 transport_url=None, database_connection=None,
                 host_extra=None, bus=None):
        self.make_conf = make_conf
        self.overrides = dict(overrides)
        self.host_extra = host_extra or {}
        self.cell_names = ['cell%d' % (i + 1) for i in range(cells)]
        self.hosts_per_cell = hosts_per_cell
        self.url = self._database_urls(database_connection)
        prefix = bus + '-' if bus else ''
        self.transport = {name: transport_url or 'fake://%s%s/' % (prefix,
                                                                   name)
                          for name in self.cell_names}
        self.api_transport = transport_url or (
            'fake://%s/' % bus if bus else rpc.EMBEDDED_URL)
        self.cell_uuids = {}
        self.services = []
        self.computes = {}
        self.placement_app = None
        self.first_start = False

    def _database_urls(self, connection):
        state = self.overrides[(None, 'state_path')]
        if not connection:
            urls = {name: 'sqlite:///%s/%s.sqlite' % (state, name)
                    for name in ['api', 'cell0', 'placement'] +
                    self.cell_names}
            return urls
        urls = {name: db_engine.with_suffix(connection, '_' + name)
                for name in ['api', 'cell0', 'placement'] +
                self.cell_names[1:]}
        urls['cell1'] = connection
        return urls

    # -- configuration -----------------------------------------------------

    def conf_for(self, cell=None, host=None, databases=True, extra=None):
        """The configuration of one service: the API level (no *cell*),
        a cell's conductor, or a compute (*host*, ``databases=False``)."""
        values = dict(self.overrides)
        if databases:
            values[('api_database', 'connection')] = self.url['api']
            values[('placement_database', 'connection')] = \
                self.url['placement']
            values[('placement_database', 'sync_on_startup')] = True
            values[('database', 'connection')] = self.url[cell or 'cell1']
        values[(None, 'transport_url')] = (
            self.transport[cell] if cell else self.api_transport)
        if host:
            values[(None, 'host')] = host
        values.update(extra or {})
        return self.make_conf(values, databases)

    # -- set-up ------------------------------------------------------------

    def prepare(self):
        """Schemas, cell mappings, the image and network plugins, and on a
        new API database the default flavors and image; returns self."""
        self.api_conf = self.conf_for()
        self.cells = db_cells.CellDatabases(self.api_conf)
        self.ctx = nc_context.get_admin_context(config=self.api_conf)
        self.ctx.db = self.cells
        db_migration.sync(self.cells.api, 'api')
        with self.cells.api.writer(self.ctx) as conn:
            existing = {m['name']: m for m in cell_mapping.get_all(conn)}
            self.first_start = not existing
            if 'cell0' not in existing:
                cell_mapping.create(conn, db_cells.CELL0_UUID, 'cell0',
                                    'none:///', self.url['cell0'])
            for name in self.cell_names:
                if name in existing:
                    self.cell_uuids[name] = existing[name]['uuid']
                    continue
                self.cell_uuids[name] = str(uuidlib.uuid4())
                cell_mapping.create(conn, self.cell_uuids[name], name,
                                    self.transport[name], self.url[name])
            if self.first_start:
                for name, (vcpus, ram, disk) in FLAVORS.items():
                    db_flavor.create(conn, name, ram, vcpus, root_gb=disk,
                                     flavorid=name)
        for name in ['cell0'] + self.cell_names:
            db_migration.sync(self.cells.for_url(self.url[name]), 'main')
        self.images = image.load(self.api_conf, self.cells.api)
        self.networks = network.load(self.api_conf, self.cells.api)
        if self.first_start:
            image.ensure_image(self.ctx, self.images, IMAGE['name'],
                               id=IMAGE['id'], properties=IMAGE['properties'])
        return self

    def start(self):
        """Prepare, then start placement and every service; returns self."""
        self.prepare()
        [make_placement] = loading.load_apps(['placement']).values()
        self.placement_app = make_placement(self.api_conf)
        self.placement_direct = direct.PlacementDirect(app=self.placement_app)
        self.placement = placement_client.from_direct(self.placement_direct)
        self._start(assemble.scheduler(self.api_conf, self.placement,
                                       cells=self.cells))
        self._start(assemble.conductor(self.api_conf, self.placement,
                                       cells=self.cells))
        for name in self.cell_names:
            conf = self.conf_for(cell=name)
            self._start(assemble.conductor(
                conf, self.placement, cells=db_cells.CellDatabases(conf)))
            for index in range(self.hosts_per_cell):
                self.start_compute(name, '%s-host%d' % (name, index + 1))
        self.discover_hosts()
        self.servers = servers_api.ServersAPI(
            self.api_conf, self.cells,
            conductor_rpcapi.ConductorAPI(self.api_conf),
            compute_rpcapi.ComputeAPI(self.api_conf), self.placement,
            images=self.images, networks=self.networks)
        return self

    def start_compute(self, cell, host):
        extra = {}
        for key in ('*', host):
            extra.update(self.host_extra.get(key, {}))
        conf = self.conf_for(cell=cell, host=host, databases=False,
                             extra=extra)
        svc = compute_cmd.build(conf, self.placement)
        self._start(svc)
        self.computes[host] = svc
        return svc

    def _start(self, svc):
        svc.start()
        self.services.append(svc)
        return svc

    def discover_hosts(self):
        return host_discovery.discover_hosts(self.ctx, self.cells)

    def compute_app(self):
        """The compute API (``nova_core.api.apps`` entry point ``compute``)
        around this cloud's servers library."""
        [make_compute] = loading.load_apps(['compute']).values()
        return make_compute(self.api_conf, servers=self.servers)

    def stop(self):
        # Computes first (their heartbeats call the conductors), then the
        # rest; within each group side by side, since each stop waits for
        # its RPC servers to drain.
        computes = set(map(id, self.computes.values()))
        for group in ([s for s in self.services if id(s) in computes],
                      [s for s in self.services if id(s) not in computes]):
            threads = [threading.Thread(target=_stop_quietly, args=(svc,))
                       for svc in group]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        self.services = []
        # Only this cloud's transports: another cloud of the process may
        # still be using its own.
        for url in set(self.transport.values()) | {self.api_transport}:
            rpc.cleanup_transports(url)
        if self.placement_app is not None:
            self.placement_app.database.dispose()
        if getattr(self, 'cells', None) is not None:
            self.cells.dispose()
