"""``nova-core-manage`` db, api_db and cell_v2: results and Nova's exit codes."""

from nova_core.cmd import manage as manage_cmd
from nova_core import context as nc_context
from nova_core.db import cell_mapping
from nova_core.db import cells
from nova_core.db import compute_node
from nova_core.db import engine as db_engine
from nova_core.db import instance
from nova_core.db import instance_mapping
from nova_core.db import migration
from tests import backends
from tests import servers

U1 = '11111111-1111-1111-1111-111111111111'


def test_cell_v2_workflow(tmp_path, backend, capsys):
    made = [backends.Database(backend, str(tmp_path)) for _ in range(3)]
    conf = servers.write_conf(tmp_path / 'nova_core.conf', {
        'DEFAULT': {'state_path': str(tmp_path / 'state'),
                    'transport_url': 'rabbit://guest:secret@h:5672/'},
        'api_database': {'connection': made[0].url},
        'database': {'connection': made[1].url}})

    def manage(*args):
        capsys.readouterr()
        code = manage_cmd.main(['--config-file', conf] + list(args))
        return code, capsys.readouterr().out

    try:
        assert manage('cell_v2', 'list_cells')[0] == 255  # no schema yet
        assert manage('api_db', 'sync')[0] == 0
        assert manage('api_db', 'version')[1].strip() == \
            migration.head_revision('api')
        assert manage('cell_v2', 'map_cell0', '--database_connection',
                      made[2].url)[0] == 0
        assert manage('cell_v2', 'map_cell0') == (0,
                                                  'Cell0 is already setup\n')
        assert manage('db', 'sync')[0] == 0
        code, out = manage('cell_v2', 'create_cell', '--name', 'cell1',
                           '--verbose')
        assert code == 0
        cell1 = out.strip()
        assert manage('cell_v2', 'create_cell', '--name', 'x')[0] == 2
        code, out = manage('cell_v2', 'list_cells')
        assert 'cell1' in out and 'secret' not in out
        assert 'secret' in manage('cell_v2', 'list_cells', '--verbose')[1]
        assert manage('cell_v2', 'discover_hosts', '--strict')[0] == 1
        _add_compute_and_instance(made[1].url)
        code, out = manage('cell_v2', 'discover_hosts', '--verbose')
        assert (code, out) == (0, 'Mapped host h1 to cell %s\n' % cell1)
        assert 'h1' in manage('cell_v2', 'list_hosts', '--cell_uuid',
                              cell1)[1]
        assert manage('cell_v2', 'list_hosts', '--cell_uuid', U1)[0] == 1
        assert manage('cell_v2', 'verify_instance', '--uuid', U1)[0] == 1
        _map_instance(made[0].url, cell1)
        assert manage('cell_v2', 'verify_instance', '--uuid', U1,
                      '--quiet') == (0, '')
        assert manage('cell_v2', 'update_cell', '--cell_uuid', cell1,
                      '--enable', '--disable')[0] == 4
        assert manage('cell_v2', 'update_cell', '--cell_uuid',
                      cells.CELL0_UUID, '--disable')[0] == 5
        assert manage('cell_v2', 'update_cell', '--cell_uuid', U1)[0] == 1
        assert manage('cell_v2', 'update_cell', '--cell_uuid', cell1,
                      '--name', 'renamed', '--disable')[0] == 0
        assert manage('cell_v2', 'delete_cell', '--cell_uuid', U1)[0] == 1
        assert manage('cell_v2', 'delete_cell', '--cell_uuid', cell1)[0] == 2
        assert manage('cell_v2', 'delete_cell', '--cell_uuid', cell1,
                      '--force')[0] == 3
    finally:
        for database in made:
            database.drop()


def _add_compute_and_instance(url):
    database = db_engine.Database.for_url(url)
    ctx = nc_context.get_admin_context()
    with database.writer(ctx) as conn:
        compute_node.create(conn, {'host': 'h1', 'hypervisor_hostname': 'n'})
        instance.create(conn, {'uuid': U1, 'host': 'h1'})
    database.dispose()


def _map_instance(url, cell_uuid):
    database = db_engine.Database.for_url(url)
    ctx = nc_context.get_admin_context()
    with database.writer(ctx) as conn:
        instance_mapping.create(conn, U1, 'p', cell_uuid=cell_uuid)
        assert cell_mapping.get_by_uuid(conn, cell_uuid)['uuid'] == cell_uuid
    database.dispose()


def test_simple_cell_setup_with_the_script(tmp_path):
    state = str(tmp_path / 'state')
    # oslo.messaging's default is rabbit://; an empty value is "missing".
    conf = servers.write_conf(tmp_path / 'nova_core.conf', {
        'DEFAULT': {'transport_url': ''}})

    def manage(*args):
        return servers.run(servers.script('nova-core-manage'),
                           '--config-file', conf, '--state-dir', state, *args)

    assert manage('api_db', 'sync').returncode == 0
    result = manage('cell_v2', 'simple_cell_setup')
    assert result.returncode == 1, result.stdout
    assert 'transport-url' in result.stdout
    result = manage('cell_v2', 'simple_cell_setup', '--transport-url',
                    'fake://')
    # No compute host reported yet: nothing to map.
    assert result.returncode == 1, result.stderr
    result = manage('cell_v2', 'simple_cell_setup', '--transport-url',
                    'fake://')
    assert (result.returncode, result.stdout) == (
        0, 'Already setup, nothing to do.\n')
    listed = manage('cell_v2', 'list_cells').stdout
    assert 'cell0' in listed and 'cell1' in listed
