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
from nova_core import image
from nova_core import network
from nova_core import placement_client
from nova_core.scheduler import rpcapi as scheduler_rpcapi
from nova_core import wsgi


def make_app(conf, servers=None):
    """The compute API for *conf*: cells from ``[api_database]``, RPC to the
    conductor and computes on ``transport_url``, placement as ``[placement]``
    says (over HTTP), the ``[image]`` and ``[network]`` plugins."""
    if servers is None:
        cells = db_cells.CellDatabases(conf)
        servers = servers_api.ServersAPI(
            conf, cells, conductor_rpcapi.ConductorAPI(conf),
            compute_rpcapi.ComputeAPI(conf), placement_client.from_conf(conf),
            images=image.load(conf, cells.api),
            networks=network.load(conf, cells.api))
    return deploy.make_app(conf, servers=servers,
                           scheduler=scheduler_rpcapi.SchedulerAPI(conf))


def _config_files():
    named = os.environ.get('NOVA_CORE_CONFIG_FILE')
    if named:
        return [f for f in named.split(',') if f]
    directory = os.environ.get('NOVA_CORE_CONFIG_DIR')
    if directory:
        path = os.path.join(directory, 'nova_core.conf')
        return [path] if os.path.exists(path) else []
    return config.default_config_files('nova_core.conf')


def load_conf():
    """The configuration of the files named as the module docstring says."""
    argv = []
    for path in _config_files():
        argv += ['--config-file', path]
    return config.load(argv, config_name='nova_core.conf')


__getattr__ = wsgi.lazy_application(lambda: make_app(load_conf()))
