"""A conductor test bed: SQLite API + cell databases, in-process placement, fake peers.

The scheduler and compute are in-memory fakes (the conductor talks to
them only through their rpcapi methods); placement is the real app in
process, so that allocations are really claimed, moved and removed.
"""

import uuid as uuidlib

from oslo_config import cfg

from nova_core import conf as nova_conf
from nova_core import context as nova_context
from nova_core.db import cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import migration as db_migration
from nova_core import exception
from nova_core import placement_client
from nova_core.placement_client import allocations as placement_allocations
from tests import backends
from tests import placement_fixtures

CELL0_UUID = db_cells.CELL0_UUID


def make_conf(tmp_path, api_url, cell_url, **overrides):
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    conf([], project='nova_core', default_config_files=[])
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('connection', api_url, group='api_database')
    conf.set_override('connection', cell_url, group='database')
    for key, value in overrides.items():
        group, _sep, name = key.rpartition('__')
        conf.set_override(name, value, group=group or None)
    return conf


class FakeScheduler:
    """select_destinations over a fixed host list, claiming in placement."""

    def __init__(self, env, max_attempts=3):
        self.env = env
        self.max_attempts = max_attempts
        self.fail_with = None
        self.calls = []
        self.before_return = None

    def select_destinations(self, ctx, request_spec, instance_uuids,
                            return_alternates=True):
        self.calls.append((request_spec, list(instance_uuids)))
        if self.fail_with is not None:
            raise self.fail_with
        result, claimed = [], []
        for index, uuid in enumerate(instance_uuids):
            hosts = self.env.hosts[index:] + self.env.hosts[:index]
            chosen = None
            for host in hosts:
                request = self.env.alloc_request(host, request_spec['flavor'])
                if placement_allocations.claim_resources(
                        ctx, self.env.placement, uuid, request,
                        request_spec['project_id'], request_spec['user_id']):
                    chosen = host
                    break
            if chosen is None:
                for done in claimed:
                    placement_allocations.remove_allocations(
                        ctx, self.env.placement, done)
                raise exception.NoValidHost(
                    reason='0 hosts left', explanation={
                        'candidates': 0, 'summary': 'no capacity',
                        'instances_requested': len(instance_uuids),
                        'instances_placed': index})
            claimed.append(uuid)
            alternates = [h for h in hosts if h is not chosen and
                          h['cell_uuid'] == chosen['cell_uuid']]
            result.append([self.env.selection(h, request_spec['flavor'])
                           for h in [chosen] + alternates[
                               :self.max_attempts - 1]])
        if self.before_return:
            self.before_return()
        return result


class FakeCompute:
    """Records what the conductor and API cast to computes."""

    def __init__(self):
        self.builds = []
        self.terminates = []

    def build_and_run_instance(self, ctx, instance, host, request_spec,
                               node=None, limits=None, host_list=None,
                               allocations=None):
        self.builds.append({'ctx': ctx, 'instance': instance, 'host': host,
                            'request_spec': request_spec, 'node': node,
                            'host_list': host_list,
                            'allocations': allocations})

    def terminate_instance(self, ctx, instance, host):
        self.terminates.append({'ctx': ctx, 'instance': instance,
                                'host': host})


class DirectConductor:
    """ConductorAPI stand-in: runs the manager's method in the caller."""

    def __init__(self):
        self.manager = None
        self.casts = []
        self.deliver = True

    def schedule_and_build_instances(self, ctx, instance_uuids):
        self.casts.append(list(instance_uuids))
        if self.deliver:
            self.manager.schedule_and_build_instances(ctx, instance_uuids)


class Env:
    """API DB, cell0, cell1 and cell2, placement with one RP per host."""

    def __init__(self, tmp_path, hosts_per_cell=2, vcpus=4, memory_mb=4096,
                 backend='sqlite', **overrides):
        self.tmp_path = tmp_path
        # Databases of tests/backends.py (dropped by close()).
        self._databases = {name: backends.Database(backend, str(tmp_path))
                           for name in ('api', 'cell0', 'cell1', 'cell2')}
        self.urls = {name: database.url
                     for name, database in self._databases.items()}
        self.conf = make_conf(tmp_path, self.urls['api'], self.urls['cell1'],
                              **overrides)
        self.cells = db_cells.CellDatabases(self.conf)
        self.api = self.cells.api
        db_migration.sync(self.api, 'api')
        self.ctx = nova_context.RequestContext(
            user_id='user', project_id='project', request_id='req-test')
        self.cell_uuids = {'cell0': CELL0_UUID,
                           'cell1': str(uuidlib.uuid4()),
                           'cell2': str(uuidlib.uuid4())}
        self.cell_dbs = {}
        for name in ('cell0', 'cell1', 'cell2'):
            database = self.cells.for_url(self.urls[name])
            db_migration.sync(database, 'main')
            self.cell_dbs[name] = database
            with self.api.writer(self.ctx) as conn:
                cell_mapping.create(
                    conn, uuid=self.cell_uuids[name], name=name,
                    transport_url='fake://%s' % name,
                    database_connection=self.urls[name])
        self._placement_cm = placement_fixtures.placement_client(
            'sqlite:///%s' % (tmp_path / 'placement.sqlite'))
        self.direct = self._placement_cm.__enter__()
        self.placement = placement_client.from_direct(self.direct)
        self.hosts = []
        for cell in ('cell1', 'cell2'):
            for index in range(hosts_per_cell):
                self.add_host('%s-host%d' % (cell, index), cell, vcpus,
                              memory_mb)

    def add_host(self, name, cell, vcpus, memory_mb):
        rp = str(uuidlib.uuid4())
        resp = self.placement.post(None, '/resource_providers',
                                   {'name': name, 'uuid': rp})
        assert resp.status_code in (200, 201), resp.text
        resp = self.placement.put(
            None, '/resource_providers/%s/inventories' % rp,
            {'resource_provider_generation': 0, 'inventories': {
                'VCPU': {'total': vcpus}, 'MEMORY_MB': {'total': memory_mb}}})
        assert resp.status_code == 200, resp.text
        host = {'host': name, 'node': name, 'rp': rp,
                'cell_uuid': self.cell_uuids[cell], 'cell': cell}
        self.hosts.append(host)
        return host

    @staticmethod
    def alloc_request(host, flavor):
        return {'allocations': {host['rp']: {'resources': {
            'VCPU': flavor['vcpus'], 'MEMORY_MB': flavor['memory_mb']}}}}

    def selection(self, host, flavor):
        return {'service_host': host['host'], 'nodename': host['node'],
                'compute_node_uuid': host['rp'],
                'cell_uuid': host['cell_uuid'],
                'allocation_request': self.alloc_request(host, flavor),
                'allocation_request_version': '1.39', 'limits': {}}

    def allocations(self, consumer):
        return placement_allocations.get_allocations_for_consumer(
            None, self.placement, consumer)['allocations']

    def total_usage(self):
        used = {}
        for host in self.hosts:
            resp = self.placement.get(
                None, '/resource_providers/%s/usages' % host['rp'])
            used[host['host']] = resp.json()['usages']
        return used

    def close(self):
        self._placement_cm.__exit__(None, None, None)
        self.cells.dispose()
        for database in self._databases.values():
            database.drop()
