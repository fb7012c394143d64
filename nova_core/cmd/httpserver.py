"""The threaded HTTP server of nova_core's programs (cheroot), one or several ports.

``nova-core-placement-api`` serves one app on one port; ``nova-core-aio``
serves the compute API and placement on two ports beside its services. Both
stop on SIGTERM / SIGINT, letting requests in flight finish.
"""

import io
import logging
import signal
import threading

from cheroot import makefile as cheroot_makefile
from cheroot import server as cheroot_server
from cheroot import wsgi as cheroot_wsgi

LOG = logging.getLogger(__name__)


class UsageError(Exception):
    """The command line is wrong (exit status 2)."""


def parse_bind(text):
    """``HOST:PORT`` (``[v6addr]:PORT`` too) -> (host, port)."""
    host, sep, port = text.rpartition(':')
    if not sep or not port.isdigit() or int(port) > 65535:
        raise UsageError('--bind wants HOST:PORT, got %r' % text)
    return host.strip('[]') or '0.0.0.0', int(port)


class _SocketWriter(cheroot_makefile.StreamWriter):
    """cheroot's socket writer without its copies of large bodies.

    cheroot appends each chunk to a buffer and then, until the buffer is
    empty, copies the whole rest of it to send a part: quadratic in the
    size of the body (about 35 ms of a 13 MB candidates answer). Here the
    buffer is flushed first, then the chunk goes to the socket from a
    memoryview, without a copy.
    """

    def write(self, val, *args, **kwargs):
        self._checkClosed()
        if isinstance(val, str):
            raise TypeError("can't write str to binary stream")
        view = memoryview(val).cast('B')
        size = view.nbytes
        with self._write_lock:
            if self._write_buf:
                self._flush_unlocked()
            while view:
                try:
                    sent = self.raw.write(view)
                except BlockingIOError as exc:
                    sent = exc.characters_written
                view = view[sent or 0:]
        self.bytes_written += size
        return size


def _make_file(sock, mode='r', bufsize=io.DEFAULT_BUFFER_SIZE):
    if 'r' in mode:
        return cheroot_makefile.StreamReader(sock, mode, bufsize)
    return _SocketWriter(sock, mode, bufsize)


class _Connection(cheroot_server.HTTPConnection):
    """Plain HTTP connections write through :class:`_SocketWriter` (TLS
    ones keep their adapter's file objects)."""

    def __init__(self, server, sock, makefile=cheroot_makefile.MakeFile):
        if makefile is cheroot_makefile.MakeFile:
            makefile = _make_file
        super().__init__(server, sock, makefile=makefile)


class HTTPServer:
    """One app on one address, served from a thread: ``start()`` binds (an
    ``OSError`` if the address is taken) and serves; ``stop()`` lets the
    requests in flight finish. Shaped like a ``Service`` so that
    ``service.run_until_signal`` can run servers and services together."""

    def __init__(self, app, host, port, threads, name):
        self.name = name
        self.server = cheroot_wsgi.Server((host, port), app,
                                          numthreads=threads,
                                          server_name=name)
        self.server.ConnectionClass = _Connection
        self._loop = None

    @property
    def url(self):
        host, port = self.server.bind_addr[:2]
        return 'http://%s:%d' % (host, port)

    def start(self):
        self.server.prepare()
        self._loop = threading.Thread(target=self.server.serve,
                                      name='http-%s' % self.name, daemon=True)
        self._loop.start()
        LOG.info('%s listening on %s/', self.name, self.url)

    def stop(self):
        self.server.stop()
        if self._loop is not None:
            self._loop.join(10)


def wait_for_signal():
    """Block until SIGTERM or SIGINT (main thread only)."""
    stopping = threading.Event()

    def on_signal(signum, frame):
        LOG.info('Signal %d received, stopping', signum)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # A timed wait: a bare Event.wait() would not let the handler run
    # until it returns on some Pythons.
    while not stopping.wait(1):
        pass


def serve(app, host, port, threads, name, echo=False):
    """Serve *app* until SIGTERM / SIGINT; returns when stopped.

    *echo* also prints the address on stdout, for when the log goes
    elsewhere than the terminal.

    The server loop runs in a thread; the main thread only waits for a
    signal and then stops the server from outside its loop, which lets
    requests in flight finish.
    """
    server = HTTPServer(app, host, port, threads, name)
    server.start()
    if echo:
        print('%s listening on %s/' % (name, server.url), flush=True)
    try:
        wait_for_signal()
    finally:
        server.stop()
