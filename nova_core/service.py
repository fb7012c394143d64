"""A running service: a manager behind an RPC server, periodics, heartbeat.

The manager is a plain object: its public methods are the RPC endpoint
(see ``rpc.PublicMethodsPolicy``), and it may offer these hooks, which the
service calls and which are never reachable over RPC:

- ``init_host()``: once, before the RPC server starts;
- ``periodic_tasks()``: ``[(interval_seconds, callable(ctx)), ...]``, each
  run in a daemon thread every interval (see :func:`periodic_task` and
  :func:`collect_periodic_tasks` to declare them with a decorator);
- ``heartbeat(ctx)``: every ``[DEFAULT] report_interval`` seconds, first
  at start (the service record says the service is up);
- ``cleanup()``: once, after the service stopped.

A failing periodic task or heartbeat is logged and tried again next time:
a database or broker hiccup must not kill the service.
"""

import logging
import signal
import threading

from nova_core import context as nc_context
from nova_core import rpc

LOG = logging.getLogger(__name__)

# How long stop() waits for a periodic task that is running right now.
PERIODIC_JOIN_TIMEOUT = 30


def periodic_task(interval, run_immediately=False):
    """Mark a manager method ``method(self, ctx)`` as periodic.

    *interval*: seconds, or the name of a ``[DEFAULT]`` option holding
    them (read from the manager's ``conf`` when the tasks are collected);
    zero or less disables the task. *run_immediately*: first run at
    start instead of one interval later.
    """
    def decorate(func):
        func._periodic_interval = interval
        func._periodic_run_immediately = run_immediately
        return func
    return decorate


def collect_periodic_tasks(manager, conf=None):
    """``[(interval, bound method)]`` of the manager's @periodic_task methods.

    A manager's ``periodic_tasks()`` can simply return this.
    """
    conf = conf if conf is not None else getattr(manager, 'conf', None)
    tasks = []
    for name in sorted(dir(type(manager))):
        func = getattr(type(manager), name, None)
        interval = getattr(func, '_periodic_interval', None)
        if interval is None:
            continue
        if isinstance(interval, str):
            interval = getattr(conf, interval)
        tasks.append((interval, getattr(manager, name)))
    return tasks


class _Repeater(threading.Thread):
    """Calls ``func(ctx)`` every *interval* seconds until stopped."""

    def __init__(self, name, interval, func, ctx, stopping, first_delay):
        super().__init__(name=name, daemon=True)
        self.interval = interval
        self.func = func
        self.ctx = ctx
        self.stopping = stopping
        self.first_delay = first_delay

    def run(self):
        delay = self.first_delay
        while not self.stopping.wait(delay):
            try:
                self.func(self.ctx)
            except Exception:
                LOG.exception('%s failed; it runs again in %ss',
                              self.name, self.interval)
            delay = self.interval


def _stop_server(server):
    server.stop()
    # Returns once the requests being handled have been answered.
    server.wait()


class Service:
    """A manager served on *topic* (round-robin) and (*topic*, *host*).

    *transport*: an oslo.messaging transport from ``rpc.get_transport``
    (default: the one of ``[DEFAULT] transport_url``). *workers*: how many
    RPC servers listen on the target in this process (each with oslo's
    thread pool); 1 by default. Separate processes are the deployment's
    business, not this class's.
    """

    def __init__(self, conf, binary, topic, manager, host=None,
                 transport=None, workers=None):
        self.conf = conf
        self.binary = binary
        self.topic = topic
        self.manager = manager
        self.host = host or conf.host
        self.transport = transport
        self.workers = workers or 1
        self._servers = []
        self._threads = []
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._started = False
        self._lock = threading.Lock()

    def __repr__(self):
        return '<Service %s on %s, topic %s>' % (self.binary, self.host,
                                                 self.topic)

    def context(self):
        """An admin context for the service's own periodics and heartbeat."""
        return nc_context.get_admin_context(config=self.conf)

    def start(self):
        with self._lock:
            if self._started:
                return
            self._started = True
        LOG.info('Starting %s on %s (topic %s)', self.binary, self.host,
                 self.topic)
        init_host = getattr(self.manager, 'init_host', None)
        if init_host is not None:
            init_host()
        for _ in range(self.workers):
            server = rpc.get_server(
                self.conf, self.topic, self.host, [self.manager],
                transport=self.transport,
                context_factory=nc_context.RequestContext.from_dict,
                context_attrs={'config': self.conf})
            server.start()
            self._servers.append(server)
        self._start_threads()

    def _start_threads(self):
        heartbeat = getattr(self.manager, 'heartbeat', None)
        if heartbeat is not None:
            self._spawn('%s heartbeat' % self.binary,
                        self.conf.report_interval, heartbeat, 0)
        tasks = getattr(self.manager, 'periodic_tasks', None)
        for interval, func in (tasks() if tasks else []):
            if not interval or interval <= 0:
                continue
            first = 0 if getattr(func, '_periodic_run_immediately',
                                 False) else interval
            self._spawn('%s periodic %s' % (
                self.binary, getattr(func, '__name__', repr(func))),
                interval, func, first)

    def _spawn(self, name, interval, func, first_delay):
        thread = _Repeater(name, interval, func, self.context(),
                           self._stopping, first_delay)
        thread.start()
        self._threads.append(thread)

    def stop(self):
        """Stop gracefully: no new requests, in-flight ones finish, cleanup."""
        with self._lock:
            if not self._started or self._stopping.is_set():
                return
            self._stopping.set()
        LOG.info('Stopping %s on %s', self.binary, self.host)
        # Each server's stop() waits for its listener to notice; stopping
        # them side by side costs the slowest one, not their sum.
        stoppers = [threading.Thread(target=_stop_server, args=(server,),
                                     name='stop %s' % self.binary)
                    for server in self._servers]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()
        for thread in self._threads:
            thread.join(PERIODIC_JOIN_TIMEOUT)
            if thread.is_alive():
                LOG.warning('%s still running after %ss; leaving it',
                            thread.name, PERIODIC_JOIN_TIMEOUT)
        cleanup = getattr(self.manager, 'cleanup', None)
        try:
            if cleanup is not None:
                cleanup()
        finally:
            self._stopped.set()

    def wait(self, timeout=None):
        """Block until :meth:`stop` finished; True if it did."""
        return self._stopped.wait(timeout)


def run_until_signal(services, signals=(signal.SIGTERM, signal.SIGINT)):
    """Start *services*, block until SIGTERM or SIGINT, stop them (last first).

    Must run in the main thread (Python delivers signals there). The
    previous handlers are restored before returning.
    """
    received = threading.Event()

    def handler(signum, frame):
        LOG.info('Received signal %s, stopping', signum)
        received.set()

    previous = {sig: signal.signal(sig, handler) for sig in signals}
    try:
        for service in services:
            service.start()
        # A timed wait: a bare Event.wait() would not let the handler run
        # until it returns on some Pythons.
        while not received.wait(1):
            pass
    finally:
        for service in reversed(list(services)):
            try:
                service.stop()
            except Exception:
                LOG.exception('Stopping %r failed', service)
        for sig, old in previous.items():
            signal.signal(sig, old)
