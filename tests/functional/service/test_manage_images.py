"""``nova-core-manage image``: the catalogue managed from the command line."""

import pytest

from nova_core.cmd import manage as manage_cmd
from tests import servers

UUID = '4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'


@pytest.fixture
def manage(tmp_path, capsys):
    conf = servers.write_conf(tmp_path / 'nova_core.conf', {
        'DEFAULT': {'state_path': str(tmp_path / 'state')},
        'api_database': {
            'connection': 'sqlite:///%s/api.sqlite' % tmp_path}})

    def run(*args):
        capsys.readouterr()
        code = manage_cmd.main(['--config-file', conf] + list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


def test_create_list_delete(manage):
    assert manage('image', 'list')[0] == 1  # no schema yet
    assert manage('api_db', 'sync')[0] == 0
    code, out, err = manage(
        'image', 'create', '--name', 'cirros', '--id', UUID,
        '--property', 'hw_architecture=x86_64', '--property', 'os=linux',
        '--min-ram', '64', '--min-disk', '1', '--disk-format', 'raw',
        '--private', '--owner', 'p1')
    assert (code, out) == (0, UUID + '\n')
    code, out, _err = manage('image', 'create', '--name', 'ubuntu')
    assert code == 0
    ubuntu = out.strip()
    code, out, _err = manage('image', 'list')
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ['id', 'name', 'status', 'visibility',
                                'min_ram', 'min_disk', 'disk_format']
    assert lines[1].split() == [UUID, 'cirros', 'active', 'private', '64',
                                '1', 'raw']
    assert lines[2].split() == [ubuntu, 'ubuntu', 'active', 'public', '0',
                                '0', 'qcow2']
    code, _out, err = manage('image', 'create', '--name', 'x', '--id', UUID)
    assert code == 1 and 'already exists' in err
    assert manage('image', 'delete', 'cirros')[0] == 0
    assert manage('image', 'delete', ubuntu)[0] == 0
    code, _out, err = manage('image', 'delete', 'cirros')
    assert code == 1 and 'could not be found' in err
    assert manage('image', 'list')[1].splitlines()[1:] == []


@pytest.mark.parametrize('args', [
    ['image', 'create'],
    ['image', 'create', '--name', 'x', '--min-ram', 'lots'],
    ['image', 'create', '--name', 'x', '--public', '--private'],
    ['image', 'delete'],
    ['image', 'rename'],
])
def test_bad_usage_exits_2(manage, args):
    with pytest.raises(SystemExit) as info:
        manage(*args)
    assert info.value.code == 2


@pytest.mark.parametrize('args, message', [
    (['--property', 'novalue'], 'KEY=VALUE'),
    (['--min-disk', '-1'], 'must not be negative'),
    (['--size', '-5'], 'must not be negative'),
    (['--id', 'nope'], '--id nope is not a uuid'),
])
def test_bad_values_exit_1(manage, args, message):
    assert manage('api_db', 'sync')[0] == 0
    code, _out, err = manage('image', 'create', '--name', 'x', *args)
    assert code == 1
    assert message in err
    assert manage('image', 'list')[1].splitlines()[1:] == []


def test_same_name_twice_needs_the_id(manage):
    assert manage('api_db', 'sync')[0] == 0
    assert manage('image', 'create', '--name', 'twin')[0] == 0
    assert manage('image', 'create', '--name', 'twin')[0] == 0
    code, _out, err = manage('image', 'delete', 'twin')
    assert code == 1 and 'give its id' in err
