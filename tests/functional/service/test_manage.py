"""``nova-core-manage placement db sync|version``: results and exit codes."""

import sys

import pytest

from nova_core.cmd import manage as manage_cmd
from nova_core.placement.db import migration
from tests import backends
from tests import servers


def manage(*args):
    return servers.run(servers.script('nova-core-manage'), *args)


def test_sync_then_version(tmp_path, backend):
    database = backends.Database(backend, str(tmp_path))
    try:
        conf = servers.write_conf(tmp_path / 'nova_core.conf', {
            'placement_database': {'connection': database.url}})
        head = migration.head_revision()
        synced = manage('--config-file', conf, 'placement', 'db', 'sync')
        assert synced.returncode == 0, synced.stderr
        assert synced.stdout == 'placement database at revision %s\n' % head
        version = manage('--config-file', conf, 'placement', 'db', 'version')
        assert version.returncode == 0, version.stderr
        assert version.stdout == head + '\n'
    finally:
        database.drop()


def test_embedded_database_in_the_state_dir(tmp_path):
    state = tmp_path / 'state'
    version = manage('--state-dir', str(state), 'placement', 'db', 'version')
    assert version.returncode == 0, version.stderr
    assert version.stdout == 'empty\n'
    synced = manage('--state-dir', str(state), 'placement', 'db', 'sync')
    assert synced.returncode == 0, synced.stderr
    assert (state / 'placement.sqlite').is_file()


@pytest.mark.parametrize('args', [
    [], ['placement'], ['placement', 'db'], ['placement', 'db', 'upgrade'],
    ['nothing'], ['--no-such-option', 'placement', 'db', 'version'],
    ['--config-file', '/no/such/file.conf', 'placement', 'db', 'version'],
])
def test_usage_errors_exit_2(args, capsys):
    # Parsed before anything is logged or opened, so main() can run here.
    with pytest.raises(SystemExit) as exited:
        sys.exit(manage_cmd.main(args))
    assert exited.value.code == 2
    assert 'Traceback' not in capsys.readouterr().err


def test_usage_error_exit_status_of_the_script():
    result = manage('placement', 'db')
    assert result.returncode == 2
    assert 'the following arguments are required: action' in result.stderr


def test_failures_exit_1_with_the_reason(tmp_path):
    unreachable = servers.write_conf(tmp_path / 'bad-db.conf', {
        'placement_database': {
            'connection': 'sqlite:///%s/no/such/dir/p.sqlite' % tmp_path}})
    bad_value = servers.write_conf(tmp_path / 'bad-value.conf', {
        'api': {'auth_strategy': 'sesame'}})
    for conf, action, reason in (
            (unreachable, 'sync', 'unable to open database file'),
            (bad_value, 'version', '[api] auth_strategy')):
        result = manage('--config-file', conf, 'placement', 'db', action)
        assert result.returncode == 1, result.stderr
        assert 'nova-core-manage placement db %s failed' % action \
            in result.stderr
        assert reason in result.stderr
        assert 'Traceback' not in result.stderr
