"""``nova-core-compute``: a compute service running one virt driver.

    nova-core-compute [--config-file FILE]

Its configuration has no database options at all: a compute node holds no
database credentials and reaches its cell's database only through the
conductor, on the cell's transport (``[DEFAULT] transport_url``). This
module imports nothing of the database layer (a test checks the process).
"""

import sys

from nova_core.cmd import service_main
from nova_core.compute import manager as compute_manager
from nova_core.compute import rpcapi as compute_rpcapi
from nova_core.conductor import rpcapi as conductor_rpcapi
from nova_core import loading
from nova_core import placement_client
from nova_core import rpc
from nova_core import service
from nova_core.virt import driver as virt_driver

BINARY = compute_manager.BINARY


def build(conf, placement=None):
    """The compute service of *conf* (``register_opts(conf, databases=False)``).

    ``placement`` is a PlacementClient; by default one over HTTP from
    ``[placement]``.
    """
    driver = loading.load_driver(conf.compute.driver,
                                 virt_driver.ComputeDriver, conf, conf.host)
    if placement is None:
        placement = placement_client.from_conf(conf)
    manager = compute_manager.ComputeManager(
        conf, conf.host, driver, conductor_rpcapi.ConductorAPI(conf),
        placement)
    return service.Service(conf, BINARY, compute_rpcapi.TOPIC, manager,
                           host=conf.host, transport=rpc.get_transport(conf))


def main(argv=None):
    return service_main.run(argv, 'nova-core-compute', build,
                            'Run a nova_core compute service.',
                            databases=False)


if __name__ == '__main__':
    sys.exit(main())
