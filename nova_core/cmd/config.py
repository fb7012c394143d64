"""Loading a service's configuration from the command line and files."""

import os

from oslo_config import cfg
from oslo_log import log as logging

from nova_core import conf as nova_conf
from nova_core import exception
from nova_core import rpc

# Where a deployment's files are looked for when none is named, in order.
CONFIG_DIRS = ('~/.nova_core', '~/', '/etc/nova_core', '/etc')

# Every command takes it, so that the manage CLI finds the database the
# server made on the embedded default.
STATE_DIR_OPT = cfg.StrOpt(
    'state-dir', dest='state_dir_override', metavar='DIR',
    help='Overrides [DEFAULT] state_path: where the embedded default keeps '
         'its SQLite database.')


def default_config_files(name):
    """Existing ``name`` files in the default locations (later ones win)."""
    found = []
    for directory in reversed(CONFIG_DIRS):
        path = os.path.join(os.path.expanduser(directory), name)
        if os.path.exists(path):
            found.append(path)
    return found


def validate(conf):
    """Read every registered option once, so that a bad value fails now.

    oslo.config converts values lazily; without this an invalid value in a
    file would surface later, in the middle of serving a request. Raises
    ``exception.ConfigurationError`` naming the option, the file and why.
    """
    for name in conf:
        value = _read(conf, name)
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            for opt_name in value:
                _read(conf, opt_name, name)


def _read(conf, name, group=None):
    try:
        return getattr(conf[group], name) if group else conf[name]
    except cfg.ConfigFileValueError as exc:
        # The exception's own text shows oslo.config internals; the
        # ValueError it wraps says what is wrong with the value.
        raise exception.ConfigurationError(
            reason='[%s] %s: %s (config files: %s)' % (
                group or 'DEFAULT', name, exc.__context__ or exc,
                ', '.join(conf.config_file) or 'none'))


def load(argv, cli_opts=(), description=None, config_name='nova_core.conf',
         databases=True):
    """A ConfigOpts with every nova_core option, parsed from *argv* and files.

    ``--config-file`` / ``--config-dir`` name the files; without them the
    default locations are searched for *config_name*. ``--state-dir``
    overrides ``[DEFAULT] state_path``. ``databases=False`` (the compute
    service) registers no database option group at all.
    """
    conf = cfg.ConfigOpts()
    nova_conf.register_opts(conf, databases=databases)
    rpc.register_opts(conf)
    nova_conf.set_defaults(conf)
    # Logs go to stderr unless a log file is named: stdout is the
    # command's own output (``db version`` prints the revision there).
    conf.set_default('use_stderr', True)
    conf.register_cli_opts([STATE_DIR_OPT] + list(cli_opts))
    conf(argv, project='nova_core', description=description,
         default_config_files=default_config_files(config_name))
    if conf.state_dir_override:
        conf.set_override('state_path', conf.state_dir_override)
    logging.setup(conf, 'nova_core')
    return conf
