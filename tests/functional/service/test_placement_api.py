"""``nova-core-placement-api`` as an operator runs it: start, serve, stop, fail."""

import signal
import sqlite3
import sys
import time

import pytest

from nova_core.cmd import placement_api
from tests import backends
from tests import servers

NOAUTH = {'api': {'auth_strategy': 'noauth2'}}
ADMIN = {'X-Auth-Token': 'admin',
         'OpenStack-API-Version': 'placement latest'}


def _conf(tmp_path, sections, name='nova_core.conf'):
    return servers.write_conf(tmp_path / name, sections)


def test_serves_and_stops_quickly_on_sigterm(processes, tmp_path):
    conf = _conf(tmp_path, NOAUTH)
    server = processes.placement_api(
        '--config-file', conf, '--state-dir', str(tmp_path / 'state'))
    server.wait_ready()
    assert server.get('/').json()['versions'][0]['max_version'] == '1.39'
    assert server.get('/resource_classes', headers=ADMIN).status == 200
    started = time.monotonic()
    assert server.stop(signal.SIGTERM) == 0, server.log()
    assert time.monotonic() - started < 5
    assert 'Traceback' not in server.log()


def test_sigint_stops_too(processes, tmp_path):
    server = processes.placement_api(
        '--config-file', _conf(tmp_path, NOAUTH),
        '--state-dir', str(tmp_path / 'state'))
    server.wait_ready()
    assert server.stop(signal.SIGINT) == 0, server.log()


def test_embedded_default_creates_then_reuses_its_database(processes,
                                                           tmp_path):
    conf = _conf(tmp_path, NOAUTH)
    state = tmp_path / 'state' / 'nested'
    args = ('--config-file', conf, '--state-dir', str(state))
    first = processes.placement_api(*args).wait_ready()
    assert (state / 'placement.sqlite').is_file()
    resp = first.request('PUT', '/resource_classes/CUSTOM_KEPT', headers=ADMIN)
    assert resp.status == 201, resp.body
    assert first.stop() == 0

    second = processes.placement_api(*args).wait_ready()
    assert second.get('/resource_classes/CUSTOM_KEPT',
                      headers=ADMIN).status == 200
    assert second.stop() == 0
    assert 'Running upgrade' not in second.log()


def _fails(tmp_path, args, status=1):
    """Run the server expecting it not to start; its stderr."""
    if '--bind' not in args:
        args = [*args, '--bind', '127.0.0.1:%d' % servers.free_port()]
    result = servers.run(servers.script('nova-core-placement-api'), *args,
                         timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == status, output
    assert 'Traceback' not in output
    return result.stderr


def test_unknown_auth_strategy_is_refused(tmp_path):
    conf = _conf(tmp_path, {'api': {'auth_strategy': 'sesame'}})
    err = _fails(tmp_path, ['--config-file', conf,
                            '--state-dir', str(tmp_path / 'state')])
    assert "[api] auth_strategy" in err and "'sesame'" in err, err


def test_keystone_without_credentials_is_refused(tmp_path):
    conf = _conf(tmp_path, {'api': {'auth_strategy': 'keystone'}})
    err = _fails(tmp_path, ['--config-file', conf,
                            '--state-dir', str(tmp_path / 'state')])
    assert '[keystone_authtoken]' in err, err


def test_database_without_schema_is_refused(tmp_path):
    database = tmp_path / 'empty.sqlite'
    conf = _conf(tmp_path, {
        'api': {'auth_strategy': 'noauth2'},
        'placement_database': {'connection': 'sqlite:///%s' % database,
                               'sync_on_startup': 'false'}})
    err = _fails(tmp_path, ['--config-file', conf])
    assert 'nova-core-manage placement db sync' in err, err
    with sqlite3.connect(database) as conn:
        assert conn.execute('SELECT name FROM sqlite_master').fetchall() == []


def test_bad_bind_exits_2(tmp_path):
    err = _fails(tmp_path, ['--config-file', _conf(tmp_path, NOAUTH),
                            '--bind', 'localhost'], status=2)
    assert '--bind wants HOST:PORT' in err


@pytest.mark.parametrize('args', [
    ['--no-such-option'], ['--config-file', '/no/such/file.conf'],
    ['--bind']])
def test_bad_command_lines_exit_2(args, capsys):
    # Refused while parsing, before logging is set up: main() can run here.
    with pytest.raises(SystemExit) as exited:
        sys.exit(placement_api.main(args))
    assert exited.value.code == 2
    assert 'Traceback' not in capsys.readouterr().err


def test_address_in_use_is_reported(processes, tmp_path):
    conf = _conf(tmp_path, NOAUTH)
    state = str(tmp_path / 'state')
    first = processes.placement_api('--config-file', conf,
                                    '--state-dir', state).wait_ready()
    result = servers.run(servers.script('nova-core-placement-api'),
                         '--config-file', conf, '--state-dir', state,
                         '--bind', '127.0.0.1:%d' % first.port)
    assert result.returncode == 1
    assert 'cannot listen on 127.0.0.1:%d' % first.port in result.stderr
    assert 'Traceback' not in result.stderr


def test_two_servers_sync_one_fresh_database_at_once(processes, tmp_path,
                                                     backend):
    """The schema lock lets exactly one of them migrate; both serve."""
    database = backends.Database(backend, str(tmp_path))
    try:
        conf = _conf(tmp_path, {
            'api': {'auth_strategy': 'noauth2'},
            'placement_database': {'connection': database.url,
                                   'sync_on_startup': 'true'}})
        pair = [processes.placement_api('--config-file', conf,
                                        name='placement-%d' % i)
                for i in range(2)]
        for server in pair:
            server.wait_ready()
            assert server.get('/resource_classes/VCPU',
                              headers=ADMIN).status == 200
        logs = [server.log() for server in pair]
        assert sum('Running upgrade  -> ' in log for log in logs) == 1, logs
        for server in pair:
            assert server.stop() == 0
    finally:
        database.drop()
