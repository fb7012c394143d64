"""``nova-core-placement-api``: serve the placement API with a threaded server.

    nova-core-placement-api [--config-file FILE] [--bind HOST:PORT]
                            [--state-dir DIR] [--threads N]

Without ``[placement_database] connection`` it serves the embedded default:
a SQLite database under the state directory, created on first start. The
authentication is ``[api] auth_strategy`` (keystone unless configured).
SIGTERM and Ctrl-C stop it cleanly (exit status 0). A configuration or
database problem at start-up is reported in one line, exit status 1; a bad
command line exits with status 2.
"""

import io
import logging
import signal
import sys
import threading

from cheroot import makefile as cheroot_makefile
from cheroot import server as cheroot_server
from cheroot import wsgi as cheroot_wsgi
from oslo_config import cfg

from nova_core.cmd import config
from nova_core import exception
from nova_core.placement import deploy

LOG = logging.getLogger(__name__)

cli_opts = [
    cfg.StrOpt('bind', default='127.0.0.1:8778',
               help='HOST:PORT to listen on (default 127.0.0.1:8778).'),
    cfg.IntOpt('threads', default=16, min=1,
               help='Worker threads serving requests (default 16).'),
]


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


def serve(app, host, port, threads, name, echo=False):
    """Serve *app* until SIGTERM / SIGINT; returns when stopped.

    *echo* also prints the address on stdout, for when the log goes
    elsewhere than the terminal.

    The server loop runs in a thread; the main thread only waits for a
    signal and then stops the server from outside its loop, which lets
    requests in flight finish.
    """
    server = cheroot_wsgi.Server((host, port), app, numthreads=threads,
                                 server_name=name)
    server.ConnectionClass = _Connection
    stopping = threading.Event()

    def on_signal(signum, frame):
        LOG.info('Signal %d received, stopping', signum)
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    server.prepare()
    message = '%s listening on http://%s:%d/' % (name, host,
                                                server.bind_addr[1])
    LOG.info(message)
    if echo:
        print(message, flush=True)
    loop = threading.Thread(target=server.serve, name='http-server',
                            daemon=True)
    loop.start()
    while not stopping.wait(1) and loop.is_alive():
        pass
    server.stop()
    loop.join(10)


def fail(conf, message, status=1):
    """Report a start-up failure in one line; the traceback only at debug."""
    LOG.debug('start-up failed', exc_info=True)
    if conf is not None and (conf.log_file or conf.use_syslog):
        LOG.error('%s', message)
    print('nova-core-placement-api: %s' % message, file=sys.stderr)
    return status


def build(conf):
    """Check the configuration, then make the app; a message if it fails."""
    try:
        config.validate(conf)
        return deploy.make_app(conf), None
    except (exception.NovaCoreException, cfg.Error) as exc:
        return None, str(exc)
    except Exception as exc:  # a dependency's own error: name it, no trace
        return None, 'cannot start: %s: %s' % (type(exc).__name__, exc)


def main(argv=None):
    try:
        conf = config.load(sys.argv[1:] if argv is None else argv, cli_opts,
                           description='Serve the nova_core placement API.')
        host, port = parse_bind(conf.bind)
    except (UsageError, cfg.Error) as exc:
        return fail(None, exc, status=2)
    app, problem = build(conf)
    if app is None:
        return fail(conf, problem)
    LOG.info('placement database: %s', app.database.engine.url
             .render_as_string(hide_password=True))
    try:
        serve(app, host, port, conf.threads, 'nova-core-placement-api',
              echo=bool(conf.log_file or conf.log_config_append or
                        conf.use_syslog or conf.use_journal))
    except OSError as exc:  # the address is taken or not ours to bind
        return fail(conf, 'cannot listen on %s: %s' % (conf.bind, exc))
    finally:
        app.database.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
