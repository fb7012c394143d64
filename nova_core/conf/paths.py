"""[DEFAULT] options that say where a service keeps its files."""

import os

from oslo_config import cfg


def _default_state_path():
    base = os.environ.get('XDG_STATE_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'state')
    return os.path.join(base, 'nova_core')


path_opts = [
    cfg.StrOpt(
        'state_path',
        default=_default_state_path(),
        sample_default='$XDG_STATE_HOME/nova_core (~/.local/state/nova_core)',
        help="""
Directory where nova_core keeps its state on the embedded default.

The SQLite database files of a service whose database connection is not set
(``[placement_database] connection`` for placement) are created here on first
start. The directory is created if it does not exist.

Possible values:
    A directory path the service user may write to.

Related options:
    ``[placement_database] connection``
"""),
]


def register_opts(conf):
    conf.register_opts(path_opts)


def list_opts():
    return [('DEFAULT', path_opts)]


def state_path_def(conf, *args):
    """Return a path under ``[DEFAULT] state_path``, creating the directory."""
    os.makedirs(conf.state_path, exist_ok=True)
    return os.path.join(conf.state_path, *args)
