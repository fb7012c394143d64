"""RabbitMQ for tests: a private node of the test's own, and shared-broker vhosts.

:class:`RabbitNode` runs ``rabbitmq-server`` in the foreground as a child
process in its own session, with its own node name, AMQP and distribution
ports, Erlang cookie (``HOME``), data and log directories under a tmp dir,
and no plugins. It is stopped by killing its process group (never by
name), and :meth:`RabbitNode.restart` keeps its data, so vhosts and
permissions survive: that is what "restart the broker mid-run" tests need.

:class:`SharedVhost` creates a unique vhost on the machine's broker
(127.0.0.1:5672, ``rabbitmqctl`` as root) and deletes it afterwards.

Where RabbitMQ is not installed or not running, :func:`require` skips the
test, except under ``CI=true`` where it fails: CI must run every test.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

import pytest

RABBITMQ_SERVER = os.environ.get('NOVA_CORE_TEST_RABBITMQ_SERVER',
                                 '/usr/lib/rabbitmq/bin/rabbitmq-server')
RABBITMQCTL = os.environ.get('NOVA_CORE_TEST_RABBITMQCTL',
                             '/usr/lib/rabbitmq/bin/rabbitmqctl')
# The machine's broker: rabbitmqctl through the packaged wrapper, which
# switches to the rabbitmq user and so finds that node's cookie.
SHARED_CTL = os.environ.get('NOVA_CORE_TEST_SHARED_RABBITMQCTL',
                            shutil.which('rabbitmqctl') or 'rabbitmqctl')
SHARED_HOST = os.environ.get('NOVA_CORE_TEST_RABBITMQ_HOST', '127.0.0.1')
SHARED_PORT = int(os.environ.get('NOVA_CORE_TEST_RABBITMQ_PORT', '5672'))

# The CLI tools of a node with distribution port D use ports D+10000 to
# D+10010 for themselves, the shared node's CLI 35672-35682: a private
# node must keep out of those ranges or its listener finds them taken.
_SHARED_CLI_PORTS = range(35672, 35683)


def require(what='RabbitMQ'):
    """Fail a test whose broker is missing: as with the databases, a test
    that needs a service runs or fails, it is never skipped."""
    pytest.fail('%s is not available (start it: rabbitmq-server -detached)'
                % what)


def _free_port(avoid=()):
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        if port not in _SHARED_CLI_PORTS and port not in avoid:
            return port
    raise RuntimeError('no free port found')


def _answers_amqp(host, port, timeout=2.0):
    """True when something at host:port answers the AMQP 0-9-1 handshake."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b'AMQP\x00\x00\x09\x01')
            # Connection.Start: frame type 1, channel 0, method 10/10.
            data = sock.recv(16)
            return len(data) >= 11 and data[0] == 1 and data[7:11] == \
                b'\x00\x0a\x00\x0a'
    except OSError:
        return False


class RabbitNode:
    """A private RabbitMQ node whose files live under *base_dir*."""

    def __init__(self, base_dir, name=None):
        if not (os.path.exists(RABBITMQ_SERVER) and
                os.path.exists(RABBITMQCTL)):
            require('rabbitmq-server (%s)' % RABBITMQ_SERVER)
        self.base_dir = str(base_dir)
        self.name = name or 'nctest%s@localhost' % uuid.uuid4().hex[:10]
        self.dist_port = _free_port()
        cli_ports = range(self.dist_port + 10000, self.dist_port + 10011)
        self.port = _free_port(avoid=set(cli_ports) | {self.dist_port})
        self.host = '127.0.0.1'
        self.process = None
        self._log = None
        os.makedirs(self.base_dir, exist_ok=True)
        self._plugins_file = os.path.join(self.base_dir, 'enabled_plugins')
        with open(self._plugins_file, 'w') as f:
            f.write('[].\n')
        self._env_file = os.path.join(self.base_dir, 'rabbitmq-env.conf')
        open(self._env_file, 'w').close()
        self._config = os.path.join(self.base_dir, 'rabbitmq.conf')
        with open(self._config, 'w') as f:
            # guest may connect, from localhost only (the default).
            f.write('loopback_users.guest = true\n')

    def url(self, vhost='/', user='guest', password='guest'):
        """A rabbit:// transport URL for *vhost* of this node."""
        vhost = '' if vhost == '/' else vhost
        return 'rabbit://%s:%s@%s:%d/%s' % (user, password, self.host,
                                            self.port, vhost)

    def _env(self):
        env = {
            'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
            'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8',
            # Own Erlang cookie, created by the node on first start.
            'HOME': self.base_dir,
            # An empty env file: the machine's /etc/rabbitmq/rabbitmq-env.conf
            # would set the shared node's name.
            'RABBITMQ_CONF_ENV_FILE': self._env_file,
            'RABBITMQ_NODENAME': self.name,
            'RABBITMQ_NODE_IP_ADDRESS': self.host,
            'RABBITMQ_NODE_PORT': str(self.port),
            'RABBITMQ_DIST_PORT': str(self.dist_port),
            'RABBITMQ_MNESIA_BASE': os.path.join(self.base_dir, 'mnesia'),
            'RABBITMQ_LOG_BASE': os.path.join(self.base_dir, 'log'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': self._plugins_file,
            'RABBITMQ_CONFIG_FILE': self._config,
            'ERL_EPMD_ADDRESS': '127.0.0.1',
        }
        return env

    def ctl(self, *args, timeout=60, check=True):
        """Run rabbitmqctl against this node; the CompletedProcess."""
        result = subprocess.run(
            [RABBITMQCTL, '-n', self.name] + list(args), env=self._env(),
            cwd=self.base_dir, capture_output=True, text=True,
            timeout=timeout)
        if check and result.returncode:
            raise RuntimeError('rabbitmqctl %s failed (%s): %s%s' % (
                ' '.join(args), result.returncode, result.stdout,
                result.stderr))
        return result

    def start(self, timeout=90):
        """Start the node and wait until it accepts AMQP connections."""
        if self.process is not None:
            raise RuntimeError('%s is running already' % self.name)
        self._log = open(os.path.join(self.base_dir, 'console.log'), 'ab')
        self.process = subprocess.Popen(
            [RABBITMQ_SERVER], env=self._env(), cwd=self.base_dir,
            stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True)
        self._await_startup(timeout)
        return self

    def _await_startup(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('%s exited with %s; see %s' % (
                    self.name, self.process.returncode, self.base_dir))
            # The node must be registered before await_startup can ask it.
            if _answers_amqp(self.host, self.port, timeout=1):
                result = self.ctl('await_startup', '--timeout', '30',
                                  check=False)
                if result.returncode == 0:
                    return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError('%s did not start in %ss; see %s'
                           % (self.name, timeout, self.base_dir))

    def stop(self, timeout=30):
        """Kill the node's process group (beam and its children) by PGID."""
        process, self.process = self.process, None
        if process is None:
            return
        pgid = process.pid  # start_new_session: the leader's pid is the pgid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                process.poll()  # reap the leader, else it stays a zombie
                if not self._group_alive(pgid):
                    break
                time.sleep(0.1)
            else:
                continue
            break
        process.poll()
        if self._log is not None:
            self._log.close()
            self._log = None
        # The AMQP port is free again once the beam has gone.
        deadline = time.monotonic() + timeout
        while (_answers_amqp(self.host, self.port, timeout=0.5)
               and time.monotonic() < deadline):
            time.sleep(0.2)

    @staticmethod
    def _group_alive(pgid):
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def restart(self, down_seconds=0, timeout=90):
        """Stop the node, stay down *down_seconds*, start it on its data."""
        self.stop()
        time.sleep(down_seconds)
        self.start(timeout)

    def add_vhost(self, name=None):
        """Create a vhost (default: a unique name), all rights for guest."""
        name = name or 'nctest_%s' % uuid.uuid4().hex[:12]
        self.ctl('add_vhost', name)
        self.ctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*')
        return name

    def delete_vhost(self, name):
        self.ctl('delete_vhost', name, check=False)


class SharedVhost:
    """A fresh vhost on the machine's broker (127.0.0.1:5672) for guest."""

    def __init__(self):
        if not _answers_amqp(SHARED_HOST, SHARED_PORT):
            require('RabbitMQ at %s:%s' % (SHARED_HOST, SHARED_PORT))
        self.name = 'nctest_%s' % uuid.uuid4().hex[:12]
        self._ctl('add_vhost', self.name)
        self._ctl('set_permissions', '-p', self.name, 'guest',
                  '.*', '.*', '.*')
        self.url = 'rabbit://guest:guest@%s:%d/%s' % (
            SHARED_HOST, SHARED_PORT, self.name)

    @staticmethod
    def _ctl(*args, check=True):
        result = subprocess.run([SHARED_CTL] + list(args),
                                capture_output=True, text=True, timeout=60)
        if check and result.returncode:
            raise RuntimeError('rabbitmqctl %s failed: %s%s' % (
                ' '.join(args), result.stdout, result.stderr))
        return result

    def delete(self):
        self._ctl('delete_vhost', self.name, check=False)


@pytest.fixture
def shared_vhost():
    """A rabbit:// URL on a vhost of its own on the machine's broker."""
    vhost = SharedVhost()
    yield vhost.url
    vhost.delete()


@pytest.fixture
def rabbit_node(tmp_path):
    """A private RabbitMQ node, started; stopped at teardown."""
    node = RabbitNode(tmp_path / 'rabbit').start()
    yield node
    node.stop()
