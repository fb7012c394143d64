"""A whole nova_core cloud in one process, for tests and for library users' own tests.

API database, cell0 and N cells on SQLite files, the in-process ``fake://``
transport (one per cell: ``fake://cellN/``; the API level on ``fake://``),
placement in-process (PlacementDirect), a super conductor and a scheduler on
the API transport, a conductor per cell, and fake computes in each cell::

    cloud = InProcessCloud(tmp_path, cells=2, hosts_per_cell=2)
    cloud.start()
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                 cloud.image, 'vm')
    cloud.wait_for(uuids)
    cloud.stop()

Every service is wired by the same functions as the console scripts
(``nova_core.cmd.assemble`` and ``nova_core.cmd.compute.build``).
"""

import threading
import time
import uuid as uuidlib

from oslo_config import cfg

from nova_core.api.compute import servers_api
from nova_core.cmd import assemble
from nova_core.cmd import compute as compute_cmd
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import conf as nova_conf
from nova_core import context as nc_context
from nova_core.db import cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import flavor as db_flavor
from nova_core.db import host_discovery
from nova_core.db import migration as db_migration
from nova_core.placement import direct
from nova_core import placement_client
from nova_core import rpc

FLAVORS = {
    # name: (vcpus, memory_mb, root_gb)
    'm1.tiny': (1, 512, 1),
    'm1.small': (1, 2048, 20),
    'm1.medium': (2, 4096, 40),
    'm1.large': (4, 8192, 80),
}
IMAGE = {'id': '155d900f-4e14-4e4c-a73d-069cbf4541e6', 'name': 'cirros',
         'properties': {}}
FINAL_STATES = ('active', 'error')


def make_conf(overrides, databases=True):
    """A ConfigOpts with nova_core's options and ``{(group, opt): value}``."""
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=databases)
    rpc.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    for (group, name), value in overrides.items():
        conf.set_override(name, value, group=group)
    return conf


def _stop_quietly(svc):
    try:
        svc.stop()
    except Exception:  # stop the rest regardless
        pass


class CloudHelpers:
    """What tests ask of a cloud, in process or not.

    The cloud provides ``cells`` (CellDatabases), ``ctx``, ``servers``
    (ServersAPI) and ``placement`` (PlacementClient);
    :meth:`failure_context` adds to a timeout's message (logs, say).
    """

    poll_interval = 0.1

    def flavor(self, name):
        with self.cells.api.reader(self.ctx) as conn:
            return db_flavor.get_by_flavorid(conn, name)

    @property
    def image(self):
        return dict(IMAGE)

    def show(self, uuid):
        return self.servers.get(self.ctx, uuid)

    def failure_context(self):
        return ''

    def wait_for(self, uuids, states=FINAL_STATES, timeout=60,
                 predicate=None):
        """Wait until every server's vm_state is in *states* (and
        *predicate* holds for it); returns them."""
        deadline = time.monotonic() + timeout
        while True:
            shown = {u: self.show(u) for u in uuids}
            if all(s and s.get('vm_state') in states and
                   (predicate is None or predicate(s))
                   for s in shown.values()):
                return shown
            if time.monotonic() > deadline:
                pending = {u: (s or {}).get('vm_state')
                           for u, s in shown.items()
                           if not s or s.get('vm_state') not in states}
                raise AssertionError('servers not in %s after %ss: %s%s'
                                     % (states, timeout, pending,
                                        self.failure_context()))
            time.sleep(self.poll_interval)

    def usages(self):
        """Total placement usage: {resource class: amount}, zeros left out."""
        resp = self.placement.get(self.ctx, '/resource_providers')
        assert resp.status_code == 200, resp.text
        total = {}
        for rp in resp.json()['resource_providers']:
            usage = self.placement.get(
                self.ctx, '/resource_providers/%s/usages' % rp['uuid'])
            for rc, amount in usage.json()['usages'].items():
                total[rc] = total.get(rc, 0) + amount
        return {rc: amount for rc, amount in total.items() if amount}


class InProcessCloud(CloudHelpers):
    """API, cell0, *cells* cells with *hosts_per_cell* fake computes each.

    :param fake_driver: ``{host: {option: value}}`` of ``[fake_driver]``
        settings for particular hosts (``'*'`` for all).
    :param overrides: ``{(group, option): value}`` for every service.
    """

    def __init__(self, tmp_path, cells=1, hosts_per_cell=2, fake_driver=None,
                 overrides=None):
        self.tmp = tmp_path
        self.n_cells = cells
        self.hosts_per_cell = hosts_per_cell
        self.fake_driver = fake_driver or {}
        self.overrides = {(None, 'report_interval'): 1,
                          (None, 'service_down_time'): 10,
                          (None, 'periodic_interval'): 2,
                          (None, 'state_path'): str(tmp_path)}
        self.overrides.update(overrides or {})
        self.url = {'api': 'sqlite:///%s/api.sqlite' % tmp_path,
                    'cell0': 'sqlite:///%s/cell0.sqlite' % tmp_path}
        self.cell_names = ['cell%d' % (i + 1) for i in range(cells)]
        for name in self.cell_names:
            self.url[name] = 'sqlite:///%s/%s.sqlite' % (tmp_path, name)
        self.transport = {name: 'fake://%s/' % name
                          for name in self.cell_names}
        self.cell_uuids = {}
        self.services = []
        self.computes = {}
        self.placement_direct = None

    # -- configuration ---------------------------------------------------------

    def conf_for(self, cell=None, host=None, databases=True, extra=None):
        values = dict(self.overrides)
        values[('api_database', 'connection')] = self.url['api']
        values[('placement_database', 'connection')] = (
            'sqlite:///%s/placement.sqlite' % self.tmp)
        values[('placement_database', 'sync_on_startup')] = True
        values[('api', 'auth_strategy')] = 'noauth2'
        values[('database', 'connection')] = self.url[cell or 'cell1']
        if not databases:
            values = {k: v for k, v in values.items()
                      if k[0] not in ('api_database', 'database',
                                      'placement_database')}
        values[(None, 'transport_url')] = (
            self.transport[cell] if cell else rpc.EMBEDDED_URL)
        if host:
            values[(None, 'host')] = host
        values.update(extra or {})
        return make_conf(values, databases=databases)

    # -- set-up ------------------------------------------------------------------

    def _sync(self):
        self.api_conf = self.conf_for()
        self.ctx = nc_context.get_admin_context(config=self.api_conf)
        self.ctx.project_id = 'demo-project'
        self.ctx.user_id = 'demo-user'
        self.cells = db_cells.CellDatabases(self.api_conf)
        self.ctx.db = self.cells
        db_migration.sync(self.cells.api, 'api')
        with self.cells.api.writer(self.ctx) as conn:
            cell_mapping.create(conn, db_cells.CELL0_UUID, 'cell0',
                                'none:///', self.url['cell0'])
            for name in self.cell_names:
                self.cell_uuids[name] = str(uuidlib.uuid4())
                cell_mapping.create(conn, self.cell_uuids[name], name,
                                    self.transport[name], self.url[name])
            for name, (vcpus, ram, disk) in FLAVORS.items():
                db_flavor.create(conn, name, ram, vcpus, root_gb=disk,
                                 flavorid=name)
        for name in ['cell0'] + self.cell_names:
            db_migration.sync(self.cells.for_url(self.url[name]), 'main')

    def start(self):
        self._sync()
        self.placement_direct = direct.PlacementDirect(self.api_conf)
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
            compute_rpcapi.ComputeAPI(self.api_conf), self.placement)
        return self

    def start_compute(self, cell, host):
        extra = {}
        for key in ('*', host):
            for name, value in self.fake_driver.get(key, {}).items():
                extra[('fake_driver', name)] = value
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
        rpc.cleanup_transports()
        if self.placement_direct is not None:
            self.placement_direct.app.database.dispose()
        if getattr(self, 'cells', None) is not None:
            self.cells.dispose()
