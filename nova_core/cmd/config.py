"""Loading a service's configuration from the command line and files."""

import os

from oslo_config import cfg
from oslo_log import log as logging

from nova_core import conf as nova_conf

# Where a deployment's files are looked for when none is named, in order.
CONFIG_DIRS = ('~/.nova_core', '~/', '/etc/nova_core', '/etc')


def default_config_files(name):
    """Existing ``name`` files in the default locations (later ones win)."""
    found = []
    for directory in reversed(CONFIG_DIRS):
        path = os.path.join(os.path.expanduser(directory), name)
        if os.path.exists(path):
            found.append(path)
    return found


def load(argv, cli_opts=(), description=None, config_name='nova_core.conf'):
    """A ConfigOpts with every nova_core option, parsed from *argv* and files.

    ``--config-file`` / ``--config-dir`` name the files; without them the
    default locations are searched for *config_name*.
    """
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf)
    nova_conf.set_defaults(conf)
    conf.register_cli_opts(list(cli_opts))
    conf(argv, project='nova_core', description=description,
         default_config_files=default_config_files(config_name))
    logging.setup(conf, 'nova_core')
    return conf
