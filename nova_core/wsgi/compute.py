"""``nova_core.wsgi.compute:application`` for mod_wsgi, uwsgi, gunicorn.

The configuration files are found as for ``nova_core.wsgi.placement``
(``$NOVA_CORE_CONFIG_FILE``; else ``nova_core.conf`` in
``$NOVA_CORE_CONFIG_DIR``; else every ``nova_core.conf`` in /etc,
/etc/nova_core, ~ and ~/.nova_core). Unlike placement's, the application is
built on first access of ``application`` (WSGI servers look it up by
attribute), so that :func:`make_app` (the ``nova_core.api.apps`` entry point
``compute``) can be imported without reading any configuration.
"""

import os

from nova_core.api.compute import deploy
from nova_core.api.compute import servers_api
from nova_core.cmd import config
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core.db import cells as db_cells
from nova_core import placement_client


def make_app(conf, servers=None):
    """The compute API for *conf*: cells from ``[api_database]``, RPC to the
    conductor and computes on ``transport_url``, placement as ``[placement]``
    says (over HTTP)."""
    if servers is None:
        cells = db_cells.CellDatabases(conf)
        servers = servers_api.ServersAPI(
            conf, cells, conductor_rpcapi.ConductorAPI(conf),
            compute_rpcapi.ComputeAPI(conf), placement_client.from_conf(conf))
    return deploy.make_app(conf, servers=servers)


def _config_files():
    named = os.environ.get('NOVA_CORE_CONFIG_FILE')
    if named:
        return [f for f in named.split(',') if f]
    directory = os.environ.get('NOVA_CORE_CONFIG_DIR')
    if directory:
        path = os.path.join(directory, 'nova_core.conf')
        return [path] if os.path.exists(path) else []
    return config.default_config_files('nova_core.conf')


def init_application():
    argv = []
    for path in _config_files():
        argv += ['--config-file', path]
    conf = config.load(argv, config_name='nova_core.conf')
    return make_app(conf)


_application = None


def __getattr__(name):
    global _application
    if name == 'application':
        if _application is None:
            _application = init_application()
        return _application
    raise AttributeError(name)
