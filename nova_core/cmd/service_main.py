"""What the conductor, scheduler and compute console scripts share: run one service until SIGTERM."""

import logging
import sys

from oslo_config import cfg

from nova_core.cmd import config
from nova_core import exception
from nova_core import service

LOG = logging.getLogger(__name__)


def run(argv, program, build, description, databases=True):
    """Load the configuration, build the service with *build(conf)*, serve.

    *program* (the console script's name, ``nova-core-scheduler``) starts
    what it prints and logs; the service record keeps Nova's binary name.

    Exit codes: 0 stopped by SIGTERM / SIGINT, 1 the service could not
    start (the reason is printed), 2 bad usage or configuration.
    """
    try:
        conf = config.load(sys.argv[1:] if argv is None else argv,
                           description=description, databases=databases)
        config.validate(conf)
    except (cfg.Error, exception.ConfigurationError) as exc:
        print('%s: %s' % (program, exc), file=sys.stderr)
        return 2
    try:
        svc = build(conf)
        # Plugins (filters, weighers, drivers) register their own options
        # while the service is built: read those once too, before serving.
        config.validate(conf)
        svc.start()
    except (exception.NovaCoreException, cfg.Error) as exc:
        message = (exc.format_message()
                   if isinstance(exc, exception.NovaCoreException)
                   else str(exc))
        LOG.error('%s cannot start: %s', program, message)
        print('%s: %s' % (program, message), file=sys.stderr)
        return 1
    LOG.info('%s started on host %s', program, conf.host)
    service.run_until_signal([svc])
    LOG.info('%s stopped', program)
    return 0
