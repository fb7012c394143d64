"""The all-in-one as a child process, and the standard clients pointed at it."""

import json
import os
import subprocess
import time

import pytest

from tests import servers

CLOUD = 'nova-core'
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


class AIO:
    """``nova-core-aio`` on free ports with its state in *state_dir*."""

    def __init__(self, tmp_path, state_dir):
        self.procs = servers.Processes(tmp_path)
        self.state_dir = state_dir
        self.compute_port = servers.free_port()
        self.placement_port = servers.free_port()
        self.server = None

    @property
    def clouds_yaml(self):
        return str(self.state_dir / 'clouds.yaml')

    @property
    def placement_url(self):
        return 'http://127.0.0.1:%d' % self.placement_port

    @property
    def identity_url(self):
        return 'http://127.0.0.1:%d/identity/v3' % self.compute_port

    @property
    def compute_url(self):
        return 'http://127.0.0.1:%d/v2.1' % self.compute_port

    def start(self, *args):
        """Start it with *args* after ours; wait until it is up."""
        self.server = self.procs.start(
            [servers.script('nova-core-aio'), '--state-dir',
             str(self.state_dir), '--compute-port', str(self.compute_port),
             '--placement-port', str(self.placement_port), *args],
            port=self.compute_port, name='aio')
        self.wait_ready()
        return self

    def wait_ready(self, timeout=90):
        """Until the banner is printed (both ports listen, clouds.yaml
        written)."""
        deadline = time.monotonic() + timeout
        while 'Ctrl-C stops it.' not in self.server.log():
            if self.server.proc.poll() is not None:
                raise AssertionError('nova-core-aio exited with %s:\n%s' % (
                    self.server.proc.returncode, self.server.log()))
            if time.monotonic() > deadline:
                raise AssertionError('nova-core-aio not ready:\n%s'
                                     % self.server.log())
            time.sleep(0.2)

    def stop(self):
        """SIGTERM; the exit status."""
        return self.server.stop(timeout=60)

    def env(self):
        """A client environment: our clouds.yaml, nobody else's cloud."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith('OS_')}
        for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY',
                     'HTTPS_PROXY'):
            env.pop(name, None)
        env.update(OS_CLIENT_CONFIG_FILE=self.clouds_yaml,
                   PYTHONWARNINGS='ignore')
        return env

    def openstack(self, *argv, timeout=180):
        """One ``openstack --os-cloud nova-core ARGV`` run."""
        return subprocess.run(
            [servers.script('openstack'), '--os-cloud', CLOUD, *argv],
            capture_output=True, text=True, timeout=timeout, env=self.env())

    def openstack_json(self, *argv):
        result = self.openstack(*argv, '-f', 'json')
        assert result.returncode == 0, (argv, result.stdout, result.stderr)
        return json.loads(result.stdout)

    def placement(self, path, version='1.39'):
        resp = servers.http('GET', self.placement_url + path, headers={
            'X-Auth-Token': 'admin',
            'OpenStack-API-Version': 'placement %s' % version})
        assert resp.status == 200, (path, resp.status, resp.body)
        return resp.json()

    def compute(self, path):
        resp = servers.http('GET', self.compute_url + path, headers={
            'X-Auth-Token': 'admin'})
        assert resp.status == 200, (path, resp.status, resp.body)
        return resp.json()

    def usages(self):
        """Total placement usage over every provider, zeros left out."""
        total = {}
        for rp in self.placement('/resource_providers')['resource_providers']:
            usages = self.placement('/resource_providers/%s/usages'
                                    % rp['uuid'])['usages']
            for rc, amount in usages.items():
                total[rc] = total.get(rc, 0) + amount
        return {rc: amount for rc, amount in total.items() if amount}

    def cleanup(self):
        self.procs.cleanup()


@pytest.fixture(scope='module')
def aio(tmp_path_factory):
    """One all-in-one for a module's tests; its log must end without a
    traceback or a 500."""
    tmp = tmp_path_factory.mktemp('aio')
    cloud = AIO(tmp, tmp / 'state')
    try:
        yield cloud.start()
        log = cloud.server.log()
        assert 'Traceback' not in log and 'status: 500' not in log, log
    finally:
        cloud.cleanup()
