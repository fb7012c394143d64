"""The resource tracker: a compute's nodes, as records in the cell and providers in placement.

For each node the driver reports it keeps the compute node record (through
the conductor: a compute has no database) and the node's provider tree in
placement: the root provider (uuid = compute node uuid, name = nodename),
its inventories (VCPU / MEMORY_MB / DISK_GB with allocation ratios and
reserved amounts from configuration), traits, and the child providers the
driver reports. ``update_available_resource`` is the periodic task; it
writes only what changed.
"""

import json
import logging
import threading

from oslo_utils import uuidutils

from nova_core import exception
from nova_core.placement_client import providers
from nova_core.virt import driver as virt_driver
from nova_core.virt import provider_tree

LOG = logging.getLogger(__name__)

STATUS_DISABLED = 'COMPUTE_STATUS_DISABLED'

# Compute node columns the tracker fills from get_available_resource().
_RESOURCE_FIELDS = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                    'memory_mb_used', 'local_gb_used', 'running_vms',
                    'hypervisor_type', 'hypervisor_version', 'cpu_info')
_RATIO_FIELDS = {virt_driver.VCPU: 'cpu_allocation_ratio',
                 virt_driver.MEMORY_MB: 'ram_allocation_ratio',
                 virt_driver.DISK_GB: 'disk_allocation_ratio'}


class ResourceTracker:
    """Keeps one host's compute nodes and providers up to date.

    :param objects: a ``compute.objects.ObjectProxy`` (conductor calls).
    :param placement: a ``PlacementClient``.
    """

    def __init__(self, conf, host, driver, objects, placement):
        self.conf = conf
        self.host = host
        self.driver = driver
        self.objects = objects
        self.placement = placement
        self.cache = providers.ProviderCache()
        self.compute_nodes = {}   # nodename -> compute node record
        self.service_id = None
        # Mirrored as the COMPUTE_STATUS_DISABLED trait on every root, so
        # that the scheduler's pre-filter keeps disabled hosts out of the
        # placement query itself.
        self.service_disabled = False
        # One update at a time: the periodic task and a manual call (tests,
        # service start) must not interleave their placement writes.
        self._lock = threading.Lock()

    def update_available_resource(self, ctx):
        """Update every node; a node that fails is logged, the others go on.

        Returns {nodename: compute node record} of the nodes updated.
        """
        done = {}
        with self._lock:
            for nodename in self.driver.get_available_nodes():
                try:
                    done[nodename] = self._update_node(ctx, nodename)
                except Exception:  # a periodic task retries next time
                    LOG.exception('Could not update the resources of node %s',
                                  nodename)
        return done

    def node_uuid(self, nodename):
        cn = self.compute_nodes.get(nodename)
        return cn['uuid'] if cn else None

    # -- one node ------------------------------------------------------------
    def _update_node(self, ctx, nodename):
        resources = self.driver.get_available_resource(nodename)
        cn = self._ensure_compute_node(ctx, nodename, resources)
        ratios = self._report_to_placement(ctx, cn, nodename)
        values = self._node_values(resources, ratios)
        changed = {k: v for k, v in values.items() if cn.get(k) != v}
        if changed:
            cn = self.objects.compute_node_update(ctx, cn['uuid'], changed)
        self.compute_nodes[nodename] = cn
        return cn

    def _ensure_compute_node(self, ctx, nodename, resources):
        cn = self.compute_nodes.get(nodename)
        if cn is None:
            cn = self.objects.compute_node_get(ctx, nodename)
        if cn is None:
            values = {'uuid': uuidutils.generate_uuid(), 'host': self.host,
                      'hypervisor_hostname': nodename,
                      'host_ip': self.conf.my_ip}
            if self.service_id is not None:
                values['service_id'] = self.service_id
            values.update(self._node_values(resources, {}))
            cn = self.objects.compute_node_create(ctx, values)
            LOG.info('Created compute node record %s for %s:%s', cn['uuid'],
                     self.host, nodename)
        return cn

    def _node_values(self, resources, ratios):
        values = {k: resources[k] for k in _RESOURCE_FIELDS if k in resources}
        values['free_ram_mb'] = (resources.get('memory_mb', 0) -
                                 resources.get('memory_mb_used', 0))
        values['free_disk_gb'] = (resources.get('local_gb', 0) -
                                  resources.get('local_gb_used', 0))
        for rc, field in _RATIO_FIELDS.items():
            if rc in ratios:
                values[field] = ratios[rc]
        if 'supported_instances' in resources:
            # The scheduler's ImagePropertiesFilter reads it from stats.
            values['stats'] = json.dumps(
                {'supported_instances': resources['supported_instances']},
                sort_keys=True)
        return values

    def _report_to_placement(self, ctx, cn, nodename):
        """Sync the node's provider tree; {rc: allocation ratio} in use."""
        root = cn['uuid']
        current = providers.read_tree(ctx, self.placement, self.cache, root)
        tree = provider_tree.ProviderTree.from_list(current)
        if not tree.exists(root):
            tree.new_root(nodename, root)
        elif tree.data(root)['name'] != nodename:
            tree.rename(root, nodename)
        self.driver.update_provider_tree(tree, nodename)
        traits = tree.traits(root)
        if self.service_disabled:
            traits.add(STATUS_DISABLED)
        else:
            traits.discard(STATUS_DISABLED)
        tree.update_traits(root, traits)
        desired = tree.to_list()
        try:
            providers.sync_tree(ctx, self.placement, self.cache, root, desired)
        except exception.ResourceProviderGenerationConflict:
            # Someone kept writing meanwhile: forget what we knew, so that
            # the next run re-reads everything.
            for rec in desired:
                self.cache.forget(rec['uuid'])
            raise
        ratios = {}
        for rec in desired:
            for rc, inv in rec['inventories'].items():
                ratios.setdefault(rc, inv['allocation_ratio'])
        return ratios
