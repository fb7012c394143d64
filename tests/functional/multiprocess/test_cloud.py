"""Booting servers on a cloud of real processes: RabbitMQ vhosts, MariaDB, console scripts.

One deployment serves the module: two cells with two computes each. Each
test leaves the cloud as it found it (its servers deleted); the one that
kills a compute does it on a host of its own. The tests share an xdist
group so that ``--dist loadgroup`` runs them on one worker, with one
deployment.
"""

import json
import os
import signal
import sys
import textwrap

import pytest

from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import context as nc_context
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import flavor as db_flavor
from nova_core.db import service as db_service
from nova_core import exception
from tests.functional.multiprocess import deployment
from tests.functional.multiprocess import probes
from tests import rabbitmq
from tests import servers

pytestmark = [pytest.mark.slow,
              pytest.mark.xdist_group('multiprocess-mariadb')]

DATABASE_PORTS = {3306, 5432}


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('multiprocess')
    cloud = deployment.Deployment(tmp, backend='mysql', cells=2,
                                  hosts_per_cell=2)
    cloud.start()
    yield cloud
    cloud.stop()
    print('deployment timings: %s' % cloud.timings)


def wait_gone(cloud, uuids, timeout=60):
    def gone():
        for uuid in uuids:
            try:
                cloud.show(uuid)
                return False
            except exception.InstanceNotFound:
                continue
        return True
    probes.wait_until(gone, timeout, 'servers %s deleted' % uuids)


def fault_details(server):
    details = server['fault'].get('details')
    return json.loads(details) if isinstance(details, str) else details


def add(*usages):
    total = {}
    for usage in usages:
        for rc, amount in usage.items():
            total[rc] = total.get(rc, 0) + amount
    return total


def test_build_across_two_cells_then_delete(cloud):
    before = cloud.usages()
    uuids = cloud.servers.create(cloud.ctx, cloud.flavor('m1.small'),
                                 cloud.image, 'spread', min_count=6,
                                 max_count=6)
    shown = cloud.wait_for(uuids, timeout=90)
    assert {s['vm_state'] for s in shown.values()} == {'active'}, shown
    assert ({s['cell_uuid'] for s in shown.values()}
            == set(cloud.cell_uuids.values()))
    assert {s['host'] for s in shown.values()} <= set(cloud.computes)
    mine = {'VCPU': 6, 'MEMORY_MB': 6 * 2048, 'DISK_GB': 6 * 20}
    assert cloud.usage_of(shown.values()) == mine
    assert cloud.usages() == add(before, mine)

    with cloud.cells.api.writer(cloud.ctx) as conn:
        huge = db_flavor.create(conn, 'm1.huge', 512, 1, root_gb=10 ** 6,
                                flavorid='m1.huge')
    [doomed] = cloud.servers.create(cloud.ctx, huge, cloud.image, 'huge')
    server = cloud.wait_for([doomed])[doomed]
    assert server['vm_state'] == 'error'
    assert server['cell_uuid'] == db_cells.CELL0_UUID
    assert 'No valid host was found' in server['fault']['message']
    assert fault_details(server)['candidates'] == 0
    assert cloud.usages() == add(before, mine)

    for uuid in uuids + [doomed]:
        cloud.servers.delete(cloud.ctx, uuid)
    wait_gone(cloud, uuids + [doomed])
    probes.wait_until(lambda: cloud.usages() == before, 30,
                          'usage freed')


PROBE = textwrap.dedent('''
    """Build the compute service as nova-core-compute does; list DB modules."""
    import json
    import sys

    from oslo_config import cfg

    from nova_core.cmd import compute
    from nova_core.cmd import config

    conf = config.load(['--config-file', sys.argv[1]], databases=False)
    groups = []
    for group in ('database', 'api_database', 'placement_database'):
        try:
            getattr(conf, group)
            groups.append(group)
        except cfg.NoSuchOptError:
            pass
    svc = compute.build(conf)
    loaded = sorted(
        name for name in sys.modules
        if name.split('.')[0] in ('sqlalchemy', 'oslo_db', 'pymysql',
                                  'psycopg2', 'alembic')
        or name == 'nova_core.db' or name.startswith('nova_core.db.'))
    print(json.dumps({'groups': groups, 'loaded': loaded,
                      'service': type(svc).__name__}))
''')


def test_compute_has_no_database(cloud, tmp_path):
    host = 'cell1-host1'
    conf_path = cloud.tmp / ('compute-%s.conf' % host)
    text = conf_path.read_text()
    assert '[database]' not in text and '[api_database]' not in text
    assert 'mysql' not in text and 'postgresql' not in text
    # It runs: its service record is up, written through the conductor.
    [service] = [s for s in cloud.compute_services('cell1')
                 if s['host'] == host]
    assert cloud.service_is_up(service), service
    # It holds connections to RabbitMQ and placement, none to a database.
    ports = probes.tcp_peer_ports(cloud.computes[host].pid)
    assert rabbitmq.SHARED_PORT in ports, ports
    assert not ports & DATABASE_PORTS, ports
    # Built from its configuration, the service has no database option
    # group and has not imported any database module.
    probe = tmp_path / 'probe.py'
    probe.write_text(PROBE)
    result = servers.run(sys.executable, str(probe), str(conf_path),
                         cwd=os.getcwd())
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {'groups': [], 'loaded': [], 'service': 'Service'}


def _binaries(cloud, cell_uuid):
    with cloud.cells.api.reader(cloud.ctx) as conn:
        mapping = db_cell_mapping.get_by_uuid(conn, cell_uuid)
    with db_cells.target_cell(cloud.ctx, mapping, cells=cloud.cells) as cctx:
        with cctx.db_connection.reader(cctx) as conn:
            return {s['binary'] for s in db_service.get_all(conn)
                    if s['last_seen_up']}


def test_service_records_where_nova_keeps_them(cloud):
    """The scheduler and the super conductor have no [database]: their
    records are in cell0; a cell's conductor and computes in the cell's."""
    assert _binaries(cloud, db_cells.CELL0_UUID) == {'nova-scheduler',
                                                     'nova-conductor'}
    assert _binaries(cloud, cloud.cell_uuids['cell1']) == {'nova-conductor',
                                                           'nova-compute'}


def test_conductor_refuses_undeclared_object_actions(cloud):
    cell_conf = cloud.cell_conf('cell1')
    ctx = nc_context.get_admin_context(config=cell_conf)
    api = conductor_rpcapi.ConductorAPI(cell_conf)
    # A declared operation goes through...
    service = api.object_action(ctx, 'service', 'get_by_host_and_binary',
                                host='cell1-host1',
                                binary='nova-compute')
    assert service['host'] == 'cell1-host1'
    # ...an undeclared one is refused, and the refusal is logged.
    with pytest.raises(exception.ObjectActionNotAllowed):
        api.object_action(ctx, 'cell_mapping', 'get_all')
    with pytest.raises(exception.ObjectActionNotAllowed):
        api.object_action(ctx, 'instance', 'get_all')
    log = cloud.conductors['cell1'].log()
    refused = [line for line in log.splitlines()
               if 'Refused object action cell_mapping.get_all' in line]
    assert refused and ' WARNING ' in refused[0], log[-2000:]


def test_killed_compute_leaves_no_build_behind(cloud):
    """SIGKILL a compute mid-spawn: ERROR with a fault, allocation gone."""
    before = cloud.usages()
    host = 'cell1-slow'
    slow = cloud.start_compute('cell1', host, fake_driver={
        'spawn_seconds': 30, 'traits': 'CUSTOM_SLOW'})
    cloud.discover_hosts([host])
    flavor = cloud.flavor('m1.tiny')
    flavor['extra_specs'] = {'trait:CUSTOM_SLOW': 'required'}
    [uuid] = cloud.servers.create(cloud.ctx, flavor, cloud.image, 'victim')
    others = cloud.servers.create(cloud.ctx, cloud.flavor('m1.tiny'),
                                  cloud.image, 'bystander', min_count=2,
                                  max_count=2)
    probes.wait_until(
        lambda: cloud.show(uuid).get('task_state') == 'spawning', 60,
        'spawning on %s' % host)
    assert cloud.show(uuid)['host'] == host
    slow.stop(signal.SIGKILL)
    server = cloud.wait_for([uuid], timeout=60)[uuid]
    assert server['vm_state'] == 'error', server
    assert server['fault']['message'], server
    shown = cloud.wait_for(others, timeout=60)
    assert {s['vm_state'] for s in shown.values()} == {'active'}
    assert cloud.usages() == add(before, cloud.usage_of(shown.values()))
    # Back again, the compute leaves the failed instance as it is.
    cloud.start_compute('cell1', host, fake_driver={'traits': 'CUSTOM_SLOW'})
    assert cloud.show(uuid)['vm_state'] == 'error'
    assert cloud.usages() == add(before, cloud.usage_of(shown.values()))
    for server in [uuid] + others:
        cloud.servers.delete(cloud.ctx, server)
    wait_gone(cloud, [uuid] + others)
    probes.wait_until(lambda: cloud.usages() == before, 30,
                          'usage freed')
