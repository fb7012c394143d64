"""Placement servers as child processes: ours and upstream, SQLite or MariaDB.

Both are started through the perf harness's target scripts
(``targets/nova_core_placement.py``, ``targets/upstream_placement.py``),
exactly as ``bench.py`` starts them, each in a process group of its own,
and stopped by that group's id (the pid this module started). On MariaDB
each side gets a fresh database, dropped again when the server stops
(root without password on 127.0.0.1:3306 unless NOVA_CORE_BENCH_MYSQL_URL
says otherwise).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pymysql

import perf_harness as perf

MYSQL_SERVER = os.environ.get('NOVA_CORE_BENCH_MYSQL_URL',
                              'mysql+pymysql://root@127.0.0.1:3306')
BACKENDS = ('sqlite', 'mariadb')
OURS, UPSTREAM = 'nova_core', 'upstream'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def mysql_admin(*statements):
    """Run statements on the MariaDB server (no database selected)."""
    url = urlsplit(MYSQL_SERVER.replace('+pymysql', ''))
    conn = pymysql.connect(host=url.hostname, port=url.port or 3306,
                             user=url.username or 'root',
                             password=url.password or '')
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def ours_command(port, connection=None):
    cmd = [sys.executable, os.path.join('targets', 'nova_core_placement.py'),
           '--port', str(port), '--bin', perf.NOVA_CORE_BIN]
    if connection:
        cmd += ['--connection', connection]
    return cmd


def upstream_command(port, backend, keep=None):
    cmd = [perf.upstream_python(),
           os.path.join('targets', 'upstream_placement.py'),
           '--port', str(port)]
    if backend == 'mariadb':
        cmd += ['--db', 'mysql', '--mysql-url', MYSQL_SERVER]
    if keep:
        cmd += ['--keep-db', '--workdir', os.path.join(keep, 'upstream')]
    return cmd


class Database:
    """Where one side keeps its data: a fresh database per run, or, with
    *keep* (a folder), a database kept there (SQLite) or kept on the server
    (MariaDB) and reused by the next run with the same *keep* and port, so
    that a loaded dataset (half an hour for upstream at 10,000 roots) is
    loaded once; bench.py does not load a target that holds it already."""

    def __init__(self, kind, port, backend, keep=None):
        self.kind, self.port, self.backend = kind, port, backend
        self.keep = os.path.abspath(keep) if keep else None
        self.name = None
        self.connection = None
        if backend == 'mariadb':
            # upstream's target script names (and re-creates) its own.
            self.name = ('nova_core_bench_%d' % port if kind == OURS
                         else 'placement_perf_%d' % port)
            if kind == OURS:
                self.connection = '%s/%s?charset=utf8mb4' % (MYSQL_SERVER,
                                                             self.name)
        elif kind == OURS and self.keep:
            self.connection = 'sqlite:///%s' % os.path.join(
                self.keep, 'nova_core.sqlite')

    def create(self):
        if self.keep:
            os.makedirs(self.keep, exist_ok=True)
            if self.name:
                # upstream's target script makes its database utf8.
                mysql_admin('CREATE DATABASE IF NOT EXISTS %s CHARACTER SET '
                            '%s' % (self.name, 'utf8mb4' if self.kind == OURS
                                    else 'utf8'))
            return
        if self.name and self.kind == OURS:
            mysql_admin('DROP DATABASE IF EXISTS %s' % self.name,
                        'CREATE DATABASE %s CHARACTER SET utf8mb4'
                        % self.name)

    def drop(self):
        if self.name and not self.keep:
            mysql_admin('DROP DATABASE IF EXISTS %s' % self.name)

    def workdir(self):
        """The target script's state folder under the harness's var/."""
        if self.kind == OURS:
            return os.path.join(perf.PERF_DIR, 'var',
                                'nova-core-%d' % self.port)
        return os.path.join(perf.PERF_DIR, 'var', 'upstream-%s-%d' % (
            'mysql' if self.backend == 'mariadb' else 'sqlite', self.port))


class Server:
    """One placement server, started as a child process group."""

    def __init__(self, kind, backend='sqlite', port=None, log=None,
                 keep_workdir=False, keep=None):
        if kind not in (OURS, UPSTREAM) or backend not in BACKENDS:
            raise ValueError('%s on %s?' % (kind, backend))
        self.kind, self.backend = kind, backend
        self.port = port or free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.db = Database(kind, self.port, backend, keep)
        self.log = log or (lambda *a: print(*a, file=sys.stderr, flush=True))
        self.keep_workdir = keep_workdir
        self.proc = None
        self.logfile = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def command(self):
        if self.kind == OURS:
            return ours_command(self.port, self.db.connection)
        return upstream_command(self.port, self.backend, self.db.keep)

    def start(self, timeout=180):
        self.db.create()
        logdir = perf.result_path('logs')
        os.makedirs(logdir, exist_ok=True)
        self.logfile = os.path.join(logdir, '%s-%d.log' % (self.kind,
                                                            self.port))
        cmd = self.command()
        self.log('[%s] starting on %s: %s' % (self.kind, self.backend,
                                              ' '.join(cmd)))
        with open(self.logfile, 'ab') as out:
            # The target scripts exec the server: self.proc.pid is the
            # server (uwsgi's master for upstream) and its process group.
            self.proc = subprocess.Popen(
                cmd, cwd=perf.PERF_DIR, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        probe = perf.http.Client(self.url, token=None, timeout=5)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit('[%s] exited with %s, see %s' % (
                    self.kind, self.proc.returncode, self.logfile))
            try:
                if probe.get('/').status == 200:
                    self.log('[%s] up at %s (pid %d)' % (self.kind, self.url,
                                                         self.pid))
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit('[%s] not answering on %s after %d s' % (
            self.kind, self.url, timeout))

    def stop(self):
        """SIGTERM our process group, SIGKILL it if it lingers; drop the
        database."""
        if self.proc is not None:
            pgid = self.proc.pid
            _signal_group(pgid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                _signal_group(pgid, signal.SIGKILL)
                self.proc.wait(10)
            deadline = time.time() + 10
            while _group_alive(pgid) and time.time() < deadline:
                time.sleep(0.2)
            if _group_alive(pgid):
                _signal_group(pgid, signal.SIGKILL)
            self.proc = None
        try:
            self.db.drop()
        except Exception as exc:  # report, but let the others stop too
            self.log('[%s] could not drop database %s: %s' % (
                self.kind, self.db.name, exc))
        if not self.keep_workdir:
            shutil.rmtree(self.db.workdir(), ignore_errors=True)

    def memory_kb(self):
        """{'rss': VmRSS, 'hwm': VmHWM} in kB, summed over the group's
        processes (ours is one process; upstream is uwsgi's master and
        workers)."""
        total = {'rss': 0, 'hwm': 0}
        for pid in _group_pids(self.pid):
            mem = process_memory_kb(pid)
            total['rss'] += mem.get('rss', 0)
            total['hwm'] += mem.get('hwm', 0)
        return total

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False


def process_memory_kb(pid):
    out = {}
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    out['rss'] = int(line.split()[1])
                elif line.startswith('VmHWM:'):
                    out['hwm'] = int(line.split()[1])
    except OSError:
        pass
    return out


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_pids(pgid):
    """Live (non-zombie) processes of process group *pgid*."""
    pids = []
    if pgid is None:
        return pids
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != 'Z':
            pids.append(int(entry))
    return pids


def _group_alive(pgid):
    return bool(_group_pids(pgid))
