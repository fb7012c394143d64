"""Configuration options of nova_core: one module per option group.

Nothing registers at import time. A service builds its own
``oslo_config.cfg.ConfigOpts`` and calls :func:`register_opts` on it, so
that several services (or several test apps) can live in one process with
different configurations.
"""

from oslo_log import log as logging
from oslo_middleware import cors

from nova_core.conf import api
from nova_core.conf import paths
from nova_core.conf import placement
from nova_core.conf import placement_database
from nova_core.conf import workarounds

_MODULES = (paths, api, placement, placement_database, workarounds)


def register_opts(conf):
    """Register every nova_core option group (and oslo.log's) on *conf*."""
    for module in _MODULES:
        module.register_opts(conf)
    conf.register_opts(cors.CORS_OPTS, 'cors')
    logging.register_options(conf)


def list_opts():
    """Options for ``oslo-config-generator --namespace nova_core``."""
    result = []
    for module in _MODULES:
        result.extend(module.list_opts())
    return result


def set_defaults(conf=None):
    """Defaults nova_core sets on library options (oslo.config.opts.defaults)."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token', 'X-Openstack-Request-Id',
                       'OpenStack-API-Version', 'X-Roles'],
        expose_headers=['X-Openstack-Request-Id', 'OpenStack-API-Version'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])
