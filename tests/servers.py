"""Running nova_core's console scripts and servers as child processes in tests.

Every process is started in its own session and stopped by its PID (never
by name). :class:`Processes` is the bookkeeping behind the ``processes``
fixture: whatever a test leaves running is killed at teardown.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

# The console scripts of the environment running the tests.
BIN_DIR = os.path.dirname(sys.executable)


def script(name):
    return os.path.join(BIN_DIR, name)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_conf(path, sections):
    """Write an ini file from ``{section: {option: value}}``; returns path."""
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        lines.extend('%s = %s' % item for item in options.items())
        lines.append('')
    path.write_text('\n'.join(lines))
    return str(path)


def run(*argv, timeout=120, **kwargs):
    """Run a command to completion; a CompletedProcess with text output."""
    return subprocess.run(argv, capture_output=True, text=True,
                          timeout=timeout, env=_env(kwargs.pop('env', None)),
                          **kwargs)


def _env(extra):
    env = dict(os.environ)
    # Requests to 127.0.0.1 must not go through a proxy.
    for name in ('http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'):
        env.pop(name, None)
    env.update(extra or {})
    return env


class Response:
    """status, headers and body of one HTTP exchange."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


def http(method, url, headers=None, body=None, timeout=10):
    """One HTTP request with the standard library; never raises on 4xx/5xx."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers=dict(headers or {}))
    if data is not None:
        req.add_header('Content-Type', 'application/json')
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as resp:
            return Response(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.headers, exc.read())


class Server:
    """A child process serving HTTP on 127.0.0.1:port."""

    def __init__(self, argv, port, log_path, env=None, cwd=None):
        self.port = port
        self.url = 'http://127.0.0.1:%d' % port
        self.log_path = log_path
        self._log = open(log_path, 'wb')
        self.proc = subprocess.Popen(
            argv, stdout=self._log, stderr=subprocess.STDOUT, cwd=cwd,
            env=_env(env), start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def log(self):
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')

    def wait_ready(self, timeout=60):
        """Poll ``GET /`` until it answers; fails with the server's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError('server exited with %s:\n%s'
                                     % (self.proc.returncode, self.log()))
            try:
                http('GET', self.url + '/', timeout=2)
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError('server not ready after %ss:\n%s'
                             % (timeout, self.log()))

    def get(self, path, **kwargs):
        return http('GET', self.url + path, **kwargs)

    def request(self, method, path, **kwargs):
        return http(method, self.url + path, **kwargs)

    def admin_json(self, path, version='1.39'):
        """The API's own answer (JSON) to an admin's GET (noauth2)."""
        resp = self.get(path, headers={
            'X-Auth-Token': 'admin',
            'OpenStack-API-Version': 'placement %s' % version})
        assert resp.status == 200, (path, resp.status, resp.body)
        return resp.json()

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Send *sig* to the server's PID; its exit status."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        try:
            return self.proc.wait(timeout)
        finally:
            self.kill()

    def kill(self):
        """SIGKILL whatever is left of the server's session.

        The session's process group id is the child's PID, so this also
        reaches the workers a WSGI server forked. Only while the child is
        not yet reaped: until then its PID cannot belong to anyone else.
        """
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._log.close()


class Processes:
    """Starts servers for one test and kills what is left at teardown."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.servers = []

    def start(self, argv, port=None, env=None, cwd=None, name='server'):
        port = port or free_port()
        argv = [a.format(port=port) for a in argv]
        log = self.tmp_path / ('%s-%d.log' % (name, len(self.servers)))
        server = Server(argv, port, str(log), env=env, cwd=cwd)
        self.servers.append(server)
        return server

    def placement_api(self, *args, env=None, name='placement'):
        """``nova-core-placement-api ARGS --bind 127.0.0.1:PORT``, started."""
        return self.start([script('nova-core-placement-api'), *args,
                           '--bind', '127.0.0.1:{port}'], env=env, name=name)

    def cleanup(self):
        for server in self.servers:
            server.kill()
