"""FakeDriver: an in-memory hypervisor with configurable capacity and failures.

Capacity comes from ``[fake_driver] vcpus / memory_mb / local_gb``; failure
injection from ``fail_spawn_nth`` (the Nth spawn of this driver fails),
``fail_on_hosts`` (every spawn on those hosts fails) and ``spawn_seconds``
(a spawn takes that long); ``numa_children`` splits VCPU and MEMORY_MB into
child providers and ``traits`` sets traits on the root provider. Each driver
object is one host: several computes in one process do not share state.
"""

import json
import logging
import threading

from nova_core import exception
from nova_core.virt import driver
from nova_core.virt import power_state

LOG = logging.getLogger(__name__)

HYPERVISOR_TYPE = 'fake'
# (architecture, hypervisor type, vm mode) images may ask for.
SUPPORTED_INSTANCES = (('x86_64', HYPERVISOR_TYPE, 'hvm'),)
HYPERVISOR_VERSION = 1000
CPU_INFO = {'arch': 'x86_64', 'model': 'fake', 'vendor': 'nova_core',
            'topology': {'sockets': 1, 'cores': 1, 'threads': 1},
            'features': []}


class FakeDriver(driver.ComputeDriver):
    """Instances are entries in a dict; nothing runs anywhere."""

    capabilities = {
        'supports_reboot': True,
        'supports_power_control': True,
        'supports_traits': True,
        'supports_nested': True,
    }

    def __init__(self, conf, host):
        super().__init__(conf, host)
        self._lock = threading.Lock()
        self._instances = {}   # uuid -> {'state': int, 'flavor': dict}
        self._spawns = 0
        self._stopping = threading.Event()

    @property
    def _opts(self):
        return self.conf.fake_driver

    # -- life cycle -----------------------------------------------------------
    def init_host(self):
        self._stopping.clear()

    def cleanup(self):
        # Wakes spawns sleeping in spawn_seconds, so that a stop is prompt.
        self._stopping.set()

    # -- instances --------------------------------------------------------------
    def spawn(self, ctx, instance, image_meta, allocations):
        uuid = instance['uuid']
        with self._lock:
            self._spawns += 1
            nth = self._spawns
        delay = self._opts.spawn_seconds
        if delay and self._stopping.wait(delay):
            raise exception.InstanceSpawnFailure(
                instance_uuid=uuid, reason='the compute service is stopping')
        if self.host in self._opts.fail_on_hosts:
            raise exception.InstanceSpawnFailure(
                instance_uuid=uuid,
                reason='fake driver fails every spawn on host %s' % self.host)
        if nth in self._opts.fail_spawn_nth:
            raise exception.InstanceSpawnFailure(
                instance_uuid=uuid,
                reason='fake driver fails spawn number %d on host %s' % (
                    nth, self.host))
        with self._lock:
            self._instances[uuid] = {'state': power_state.RUNNING,
                                     'flavor': dict(instance.get('flavor')
                                                    or {})}
        LOG.debug('fake spawn of %s on %s (spawn %d)', uuid, self.host, nth)

    def destroy(self, ctx, instance):
        with self._lock:
            self._instances.pop(instance['uuid'], None)

    def get_info(self, instance):
        with self._lock:
            entry = self._instances.get(instance['uuid'])
            if entry is None:
                raise exception.InstanceNotFound(instance_id=instance['uuid'])
            return {'state': entry['state']}

    def list_instances(self):
        with self._lock:
            return sorted(self._instances)

    def reboot(self, ctx, instance, reboot_type):
        self._set_state(instance, power_state.RUNNING)

    def power_on(self, ctx, instance):
        self._set_state(instance, power_state.RUNNING)

    def power_off(self, ctx, instance, timeout=0):
        self._set_state(instance, power_state.SHUTDOWN)

    def _set_state(self, instance, state):
        with self._lock:
            entry = self._instances.get(instance['uuid'])
            if entry is None:
                raise exception.InstanceNotFound(instance_id=instance['uuid'])
            entry['state'] = state

    @property
    def spawn_count(self):
        """How many spawns were attempted (for tests)."""
        with self._lock:
            return self._spawns

    # -- resources --------------------------------------------------------------
    def get_available_resource(self, nodename):
        with self._lock:
            flavors = [e['flavor'] for e in self._instances.values()]
        used = {key: sum(int(f.get(key) or 0) for f in flavors)
                for key in ('vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb')}
        return {
            'vcpus': self._opts.vcpus,
            'memory_mb': self._opts.memory_mb,
            'local_gb': self._opts.local_gb,
            'vcpus_used': used['vcpus'],
            'memory_mb_used': used['memory_mb'],
            'local_gb_used': used['root_gb'] + used['ephemeral_gb'],
            'hypervisor_type': HYPERVISOR_TYPE,
            'hypervisor_version': HYPERVISOR_VERSION,
            'hypervisor_hostname': nodename,
            'cpu_info': json.dumps(CPU_INFO, sort_keys=True),
            'running_vms': len(flavors),
            'supported_instances': [list(item) for item in
                                    SUPPORTED_INSTANCES],
        }

    def update_provider_tree(self, provider_tree, nodename):
        super().update_provider_tree(provider_tree, nodename)
        provider_tree.update_traits(nodename, self._opts.traits)
        self._update_children(provider_tree, nodename)

    def _update_children(self, tree, nodename):
        count = self._opts.numa_children
        wanted = ['%s_NUMA%d' % (nodename, i) for i in range(count)]
        for child in tree.children(nodename):
            if tree.data(child)['name'] not in wanted:
                tree.remove(child)
        if not count:
            return
        root_inv = tree.inventory(nodename)
        moved = {rc: root_inv.pop(rc) for rc in (driver.VCPU,
                                                  driver.MEMORY_MB)
                 if rc in root_inv}
        tree.update_inventory(nodename, root_inv)
        for index, name in enumerate(wanted):
            uuid = tree.ensure_child(name, nodename)
            # Each child keeps a ratio an operator set on it in placement.
            ratios = driver.allocation_ratios(self.conf, tree.inventory(uuid))
            shares = {rc: _share(inv, index, count, ratios[rc])
                      for rc, inv in moved.items()}
            # placement refuses a total of 0 (more children than units).
            tree.update_inventory(uuid, {rc: inv for rc, inv in shares.items()
                                         if inv['total']})


def _share(inv, index, count, ratio):
    """Child *index*'s part of *inv* split in *count* (remainders go first)."""
    def part(amount):
        return amount // count + (1 if index < amount % count else 0)
    return driver.inventory_record(part(inv['total']), part(inv['reserved']),
                                   ratio)
