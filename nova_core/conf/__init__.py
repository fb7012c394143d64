"""Configuration options of nova_core: one module per option group.

Nothing registers at import time. A service builds its own
``oslo_config.cfg.ConfigOpts`` and calls :func:`register_opts` on it, so
that several services (or several test apps) can live in one process with
different configurations.
"""

from oslo_log import log as logging
from oslo_middleware import cors

from nova_core.conf import api
from nova_core.conf import compute
from nova_core.conf import conductor
from nova_core.conf import database
from nova_core.conf import fake_driver
from nova_core.conf import filter_scheduler
from nova_core.conf import metrics
from nova_core.conf import network
from nova_core.conf import filters_aggregate_image_properties
from nova_core.conf import filters_io_ops
from nova_core.conf import filters_isolated_hosts
from nova_core.conf import filters_num_instances
from nova_core.conf import image
from nova_core.conf import paths
from nova_core.conf import placement
from nova_core.conf import placement_client
from nova_core.conf import placement_database
from nova_core.conf import quota
from nova_core.conf import scheduler
from nova_core.conf import service
from nova_core.conf import workarounds
from nova_core.conf import wsgi

# Groups holding database credentials: a compute service registers none.
_DATABASE_MODULES = (database, placement_database)
_MODULES = (paths, service, api, wsgi, placement, placement_client,
            workarounds,
            scheduler, filter_scheduler, metrics, conductor, compute, fake_driver,
            quota,
            # Filter options (in [filter_scheduler], so after it).
            filters_aggregate_image_properties, filters_io_ops,
            filters_isolated_hosts, filters_num_instances,
            image, network)


def register_opts(conf, databases=True):
    """Register every nova_core option group (and oslo.log's) on *conf*.

    With ``databases=False`` (the compute service) no database group is
    registered at all, so that a compute cannot even be configured with
    database credentials: reading ``conf.database`` fails.
    """
    for module in _MODULES + (_DATABASE_MODULES if databases else ()):
        module.register_opts(conf)
    conf.register_opts(cors.CORS_OPTS, 'cors')
    logging.register_options(conf)


def list_opts():
    """Options for ``oslo-config-generator --namespace nova_core``."""
    result = []
    for module in _MODULES + _DATABASE_MODULES:
        result.extend(module.list_opts())
    return result


def set_defaults(conf=None):
    """Defaults nova_core sets on library options (oslo.config.opts.defaults)."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token', 'X-Openstack-Request-Id',
                       'OpenStack-API-Version', 'X-Roles'],
        expose_headers=['X-Openstack-Request-Id', 'OpenStack-API-Version'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])
