"""``nova-core-placement-api``: serve the placement API with a threaded server.

    nova-core-placement-api [--config-file FILE] [--bind HOST:PORT]
                            [--state-dir DIR] [--threads N]

Without configuration it serves the embedded default: a SQLite database
under the state directory, created on first start, and noauth2 is NOT
assumed (set ``[api] auth_strategy``). SIGTERM and Ctrl-C stop it cleanly.
"""

import logging
import signal
import sys
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_config import cfg

from nova_core.cmd import config
from nova_core import exception
from nova_core.placement import deploy

LOG = logging.getLogger(__name__)

cli_opts = [
    cfg.StrOpt('bind', default='127.0.0.1:8778',
               help='HOST:PORT to listen on (default 127.0.0.1:8778).'),
    cfg.StrOpt('state-dir', dest='state_dir_override',
               help='Overrides [DEFAULT] state_path: where the embedded '
                    'default keeps its SQLite database.'),
    cfg.IntOpt('threads', default=16, min=1,
               help='Worker threads serving requests (default 16).'),
]


def parse_bind(text):
    host, sep, port = text.rpartition(':')
    if not sep or not port.isdigit():
        raise SystemExit('--bind wants HOST:PORT, got %r' % text)
    return host.strip('[]') or '0.0.0.0', int(port)


def serve(app, host, port, threads, name):
    """Serve *app* until SIGTERM / SIGINT; returns when stopped.

    The server loop runs in a thread; the main thread only waits for a
    signal and then stops the server from outside its loop, which lets
    requests in flight finish.
    """
    server = cheroot_wsgi.Server((host, port), app, numthreads=threads,
                                 server_name=name)
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
    print(message, flush=True)
    loop = threading.Thread(target=server.serve, name='http-server',
                            daemon=True)
    loop.start()
    while not stopping.wait(1) and loop.is_alive():
        pass
    server.stop()
    loop.join(10)


def main(argv=None):
    conf = config.load(sys.argv[1:] if argv is None else argv, cli_opts,
                       description='Serve the nova_core placement API.')
    if conf.state_dir_override:
        conf.set_override('state_path', conf.state_dir_override)
    host, port = parse_bind(conf.bind)
    try:
        app = deploy.make_app(conf)
    except (exception.DatabaseNotReady, exception.ConfigurationError) as exc:
        LOG.error('%s', exc)
        print('nova-core-placement-api: %s' % exc, file=sys.stderr)
        return 2
    LOG.info('placement database: %s', app.database.engine.url
             .render_as_string(hide_password=True))
    serve(app, host, port, conf.threads, 'nova-core-placement-api')
    app.database.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
