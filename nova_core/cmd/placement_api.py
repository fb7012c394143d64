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

import logging
import sys

from oslo_config import cfg

from nova_core.cmd import config
from nova_core.cmd import httpserver
from nova_core import exception
from nova_core.placement import deploy

LOG = logging.getLogger(__name__)

cli_opts = [
    cfg.StrOpt('bind', default='127.0.0.1:8778',
               help='HOST:PORT to listen on (default 127.0.0.1:8778).'),
    cfg.IntOpt('threads', default=16, min=1,
               help='Worker threads serving requests (default 16).'),
]


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
        host, port = httpserver.parse_bind(conf.bind)
    except (httpserver.UsageError, cfg.Error) as exc:
        return fail(None, exc, status=2)
    app, problem = build(conf)
    if app is None:
        return fail(conf, problem)
    LOG.info('placement database: %s', app.database.engine.url
             .render_as_string(hide_password=True))
    try:
        httpserver.serve(app, host, port, conf.threads,
                         'nova-core-placement-api',
                         echo=bool(conf.log_file or conf.log_config_append or
                                   conf.use_syslog or conf.use_journal))
    except OSError as exc:  # the address is taken or not ours to bind
        return fail(conf, 'cannot listen on %s: %s' % (conf.bind, exc))
    finally:
        app.database.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
