"""Compute and placement behind a real Apache with mod_wsgi (daemon mode).

Debian's apache2 and libapache2-mod-wsgi-py3 run the system Python
(/usr/bin/python3), so the apps run from a virtualenv made with that
interpreter (``python-home``), outside /root so that the daemon's user
(www-data) can read it. The virtualenv is built by tools/venv.sh like the
project's own and reused while its install stamp holds (pyproject.toml,
setup.py, the Cython sources, the interpreter). Apache runs in the
foreground from a private configuration (its own port, pid file, logs and
socket directory), started and stopped by PID.

Missing apache2 or mod_wsgi fails the test (CI installs them).
"""

import fcntl
import os
import pathlib
import pwd
import shutil
import signal
import subprocess
import tempfile
import textwrap
import time

import pytest

from tests import servers

# One Apache for the module: its tests run on one xdist worker.
pytestmark = pytest.mark.xdist_group('apache')

APACHE = '/usr/sbin/apache2'
MODULES = '/usr/lib/apache2/modules'
SYSTEM_PYTHON = '/usr/bin/python3'
VENV = '/var/tmp/nova_core-modwsgi-venv'
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
ADMIN = {'X-Auth-Token': 'admin'}


def _require_apache():
    missing = [path for path in (APACHE, SYSTEM_PYTHON,
                                 os.path.join(MODULES, 'mod_wsgi.so'))
               if not os.path.exists(path)]
    assert not missing, (
        'Apache with mod_wsgi is needed (Debian: apt-get install apache2 '
        'libapache2-mod-wsgi-py3); missing: %s' % ', '.join(missing))


def _modwsgi_venv():
    """The venv for mod_wsgi, (re)built by tools/venv.sh when stale."""
    with open(VENV + '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = servers.run(
            'bash', '-c', 'source tools/venv.sh && nova_core_venv',
            cwd=ROOT, timeout=1200,
            env={'NOVA_CORE_VENV': VENV, 'NOVA_CORE_PYTHON': SYSTEM_PYTHON})
        assert result.returncode == 0, result.stderr[-5000:]
    return VENV


def _site(base, port, venv):
    """A private Apache configuration serving the three WSGI scripts."""
    run = os.path.join(base, 'run')
    os.makedirs(run)
    scripts = {}
    for name, module in (('compute', 'nova_core.wsgi.compute'),
                         ('placement', 'nova_core.wsgi.placement'),
                         ('cloud', 'nova_core.wsgi.apps')):
        path = scripts[name] = os.path.join(base, '%s.wsgi' % name)
        with open(path, 'w') as f:
            f.write('from %s import application  # noqa\n' % module)
    conf = os.path.join(base, 'httpd.conf')
    with open(conf, 'w') as f:
        f.write(textwrap.dedent('''\
            ServerRoot {base}
            ServerName 127.0.0.1
            Listen 127.0.0.1:{port}
            PidFile {run}/httpd.pid
            DefaultRuntimeDir {run}
            Mutex file:{run} default
            ErrorLog {base}/error.log
            LogLevel info
            User www-data
            Group www-data
            LoadModule mpm_event_module {modules}/mod_mpm_event.so
            LoadModule authz_core_module {modules}/mod_authz_core.so
            LoadModule wsgi_module {modules}/mod_wsgi.so
            LogFormat "%h \\"%r\\" %>s %b" brief
            CustomLog {base}/access.log brief

            WSGISocketPrefix {run}/wsgi
            WSGIDaemonProcess nova-core python-home={venv} processes=2 threads=4 display-name=nova-core-wsgi
            WSGIProcessGroup nova-core
            WSGIApplicationGroup %{{GLOBAL}}
            WSGIPassAuthorization On
            WSGIScriptAlias /compute {compute}
            WSGIScriptAlias /placement {placement}
            WSGIScriptAlias /cloud {cloud}
            <Directory {base}>
                Require all granted
            </Directory>
            ''').format(base=base, port=port, run=run, modules=MODULES,
                        venv=venv, **scripts))
    return conf


def _prepare_state(base, venv):
    """The configuration and databases the apps read; owned by www-data,
    the daemon's user (SQLite writes beside its files)."""
    state = os.path.join(base, 'state')
    os.makedirs(state)
    conf = servers.write_conf(pathlib.Path(base) / 'nova_core.conf', {
        'DEFAULT': {'state_path': state},
        'api': {'auth_strategy': 'noauth2'},
        'api_database': {
            'connection': 'sqlite:///%s/api.sqlite' % state},
        'database': {'connection': 'sqlite:///%s/cell1.sqlite' % state},
        'placement_database': {
            'connection': 'sqlite:///%s/placement.sqlite' % state,
            'sync_on_startup': 'true'},
        'wsgi': {'apps': 'compute:/, placement:/placement'},
    })
    manage = os.path.join(venv, 'bin', 'nova-core-manage')
    for argv in (['api_db', 'sync'], ['cell_v2', 'map_cell0'],
                 ['db', 'sync']):
        result = servers.run(manage, '--config-file', conf, *argv)
        assert result.returncode == 0, (argv, result.stdout, result.stderr)
    www = pwd.getpwnam('www-data')
    for directory, _dirs, files in os.walk(state):
        os.chown(directory, www.pw_uid, www.pw_gid)
        for name in files:
            os.chown(os.path.join(directory, name), www.pw_uid, www.pw_gid)
    return conf


@pytest.fixture(scope='module')
def apache():
    _require_apache()
    venv = _modwsgi_venv()
    base = tempfile.mkdtemp(prefix='nova_core-apache-', dir='/var/tmp')
    os.chmod(base, 0o755)
    port = servers.free_port()
    httpd_conf = _site(base, port, venv)
    nova_conf = _prepare_state(base, venv)
    # mod_wsgi's SetEnv does not reach os.environ; the daemon processes
    # inherit Apache's own environment.
    env = {key: value for key, value in os.environ.items()
           if not key.lower().endswith('_proxy')}
    env['NOVA_CORE_CONFIG_FILE'] = nova_conf
    proc = subprocess.Popen([APACHE, '-f', httpd_conf, '-DFOREGROUND'],
                            env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(base, 'stderr.log'),
                                        'wb'))
    url = 'http://127.0.0.1:%d' % port

    def log():
        text = ''
        for name in ('stderr.log', 'error.log'):
            path = os.path.join(base, name)
            if os.path.exists(path):
                with open(path, errors='replace') as f:
                    text += '--- %s\n%s' % (name, f.read())
        return text

    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, 'apache2 exited: %s' % log()
            try:
                servers.http('GET', url + '/placement/', timeout=30)
                break
            except OSError:
                assert time.monotonic() < deadline, log()
                time.sleep(0.2)
        yield url, log
        assert 'Traceback' not in log(), log()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        shutil.rmtree(base, ignore_errors=True)


def test_placement_under_mod_wsgi(apache):
    url, log = apache
    resp = servers.http('GET', url + '/placement/')
    assert resp.status == 200, (resp.body, log())
    assert resp.json()['versions'][0]['id'] == 'v1.0'
    resp = servers.http(
        'POST', url + '/placement/resource_providers',
        headers=dict(ADMIN, **{'OpenStack-API-Version': 'placement 1.20'}),
        body={'name': 'apache-rp'})
    assert resp.status == 200, (resp.body, log())
    created = resp.json()
    assert created['name'] == 'apache-rp'
    # Links name the mounted path.
    assert {link['href'] for link in created['links']
            if link['rel'] == 'self'} == {
        '/placement/resource_providers/%s' % created['uuid']}
    resp = servers.http('GET', url + '/placement/resource_providers',
                        headers=ADMIN)
    assert 'apache-rp' in [
        rp['name'] for rp in resp.json()['resource_providers']]


def test_compute_under_mod_wsgi(apache):
    url, log = apache
    resp = servers.http('GET', url + '/compute/')
    assert resp.status == 200, (resp.body, log())
    [version] = resp.json()['versions']
    assert version['links'][0]['href'] == url + '/compute/v2.1/'
    resp = servers.http('POST', url + '/compute/v2.1/flavors', headers=ADMIN,
                        body={'flavor': {'name': 'apache-flavor', 'ram': 64,
                                         'vcpus': 1, 'disk': 1}})
    assert resp.status == 200, (resp.body, log())
    flavor = resp.json()['flavor']
    assert flavor['links'][0]['href'] == (
        url + '/compute/v2.1/flavors/%s' % flavor['id'])
    resp = servers.http('GET', url + '/compute/v2.1/flavors', headers=ADMIN)
    assert 'apache-flavor' in [f['name'] for f in resp.json()['flavors']]
    resp = servers.http('GET', url + '/compute/v2.1/servers', headers=ADMIN)
    assert (resp.status, resp.json()) == (200, {'servers': []}), log()
    resp = servers.http('GET', url + '/compute/v2.1/servers')
    assert resp.status == 401


def test_both_apps_assembled_under_one_alias(apache):
    """One alias serves both apps from the same databases: what is made
    through it is what the apps' own aliases show."""
    url, log = apache
    resp = servers.http('POST', url + '/cloud/v2.1/flavors', headers=ADMIN,
                        body={'flavor': {'name': 'cloud-flavor', 'ram': 64,
                                         'vcpus': 1, 'disk': 1}})
    assert resp.status == 200, (resp.body, log())
    for alias in ('/cloud', '/compute'):
        resp = servers.http('GET', url + alias + '/v2.1/flavors',
                            headers=ADMIN)
        assert resp.status == 200, (resp.body, log())
        assert 'cloud-flavor' in [f['name'] for f in resp.json()['flavors']]
    resp = servers.http('GET', url + '/cloud/v2.1')
    assert resp.json()['version']['links'][0]['href'] == (
        url + '/cloud/v2.1/')
    resp = servers.http('POST', url + '/cloud/placement/resource_providers',
                        headers=ADMIN, body={'name': 'cloud-rp'})
    assert resp.status == 201, (resp.body, log())
    for alias in ('/cloud/placement', '/placement'):
        resp = servers.http('GET', url + alias + '/resource_providers',
                            headers=ADMIN)
        assert resp.status == 200, (resp.body, log())
        assert 'cloud-rp' in [
            rp['name'] for rp in resp.json()['resource_providers']]
    resp = servers.http('GET', url + '/cloud/placement/')
    assert resp.json()['versions'][0]['id'] == 'v1.0'
