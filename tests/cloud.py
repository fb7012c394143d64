"""A whole nova_core cloud in one process, for tests and for library users' own tests.

API database, cell0 and N cells on SQLite files, the in-process ``fake://``
transport (one bus per cell: ``fake://cloud-XXXX-cellN/``; the API level on
``fake://cloud-XXXX/``; each cloud's own, so that clouds of one process never
hear each other),
placement in-process (PlacementDirect), a super conductor and a scheduler on
the API transport, a conductor per cell, and fake computes in each cell::

    cloud = InProcessCloud(tmp_path, cells=2, hosts_per_cell=2)
    cloud.start()
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                 cloud.image, 'vm')
    cloud.wait_for(uuids)
    cloud.stop()

The wiring is the all-in-one's (``nova_core.cmd.allinone``), which builds
every service with the same functions as the console scripts.
"""

import time
import uuid as uuidlib

from oslo_config import cfg

from nova_core.cmd import allinone
from nova_core import conf as nova_conf
from nova_core.db import flavor as db_flavor
from nova_core import rpc

FLAVORS = allinone.FLAVORS
IMAGE = allinone.IMAGE
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



def delete_servers(client, uuids, timeout=30):
    """DELETE each server through the compute API *client*, then wait
    until each reads 404."""
    for uuid in uuids:
        assert client.delete('/servers/%s' % uuid).status_code == 204
    deadline = time.monotonic() + timeout
    for uuid in uuids:
        while client.get('/servers/%s' % uuid).status_code != 404:
            assert time.monotonic() < deadline
            time.sleep(0.1)


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


class InProcessCloud(allinone.AllInOne, CloudHelpers):
    """API, cell0, *cells* cells with *hosts_per_cell* fake computes each.

    The all-in-one's wiring (``nova_core.cmd.allinone``) on a fresh
    directory, with short service intervals and a demo project in ``ctx``.

    :param fake_driver: ``{host: {option: value}}`` of ``[fake_driver]``
        settings for particular hosts (``'*'`` for all).
    :param overrides: ``{(group, option): value}`` for every service.
    """

    def __init__(self, tmp_path, cells=1, hosts_per_cell=2, fake_driver=None,
                 overrides=None):
        self.tmp = tmp_path
        self.n_cells = cells
        self.fake_driver = fake_driver or {}
        values = {(None, 'report_interval'): 1,
                  (None, 'service_down_time'): 10,
                  (None, 'periodic_interval'): 2,
                  (None, 'state_path'): str(tmp_path),
                  ('api', 'auth_strategy'): 'noauth2'}
        values.update(overrides or {})
        host_extra = {
            host: {('fake_driver', name): value
                   for name, value in options.items()}
            for host, options in self.fake_driver.items()}
        super().__init__(
            make_conf, values, cells=cells, hosts_per_cell=hosts_per_cell,
            host_extra=host_extra, bus='cloud-' + uuidlib.uuid4().hex[:8])

    def prepare(self):
        super().prepare()
        self.ctx.project_id = 'demo-project'
        self.ctx.user_id = 'demo-user'
        return self
