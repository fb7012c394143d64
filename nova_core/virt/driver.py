"""ComputeDriver: the small contract between the compute manager and a hypervisor.

A driver is built as ``Driver(conf, host)`` (loaded from the
``nova_core.virt.drivers`` entry points, selected by ``[compute] driver``).
Every method receiving an instance gets the instance as a plain dict (see
the SPEC: ``uuid``, ``flavor``, ``host``, ``node``, ...).

Required (the base class raises NotImplementedError): ``spawn``,
``destroy``, ``get_info``, ``list_instances``, ``get_available_resource``.

Optional (NotImplementedError means "not supported"; the matching
``capabilities`` flag must then be False so that callers can tell before
trying): ``reboot`` (``supports_reboot``), ``power_on`` / ``power_off``
(``supports_power_control``).

With defaults a driver may keep or override: ``init_host``, ``cleanup``,
``get_available_nodes`` (one node named after the host),
``update_provider_tree`` (VCPU / MEMORY_MB / DISK_GB on the node's root
provider from ``get_available_resource``, with allocation ratios and
reserved amounts from configuration).
"""

import math

# Standard resource classes (os-resource-classes names).
VCPU = 'VCPU'
MEMORY_MB = 'MEMORY_MB'
DISK_GB = 'DISK_GB'


def allocation_ratios(conf, current_inventory):
    """{rc: allocation ratio} for the three standard classes.

    ``[DEFAULT] cpu/ram/disk_allocation_ratio`` when set; otherwise the ratio
    the provider already has in placement (an operator may have changed it
    there), and for a new inventory ``initial_*_allocation_ratio``.
    """
    out = {}
    for rc, name in ((VCPU, 'cpu'), (MEMORY_MB, 'ram'), (DISK_GB, 'disk')):
        configured = getattr(conf, '%s_allocation_ratio' % name)
        existing = (current_inventory or {}).get(rc, {}).get(
            'allocation_ratio')
        if configured is not None:
            out[rc] = configured
        elif existing is not None:
            out[rc] = existing
        else:
            out[rc] = getattr(conf, 'initial_%s_allocation_ratio' % name)
    return out


def reserved_amounts(conf):
    """{rc: reserved} from ``[DEFAULT] reserved_host_*`` (disk MB -> GB up)."""
    return {VCPU: conf.reserved_host_cpus,
            MEMORY_MB: conf.reserved_host_memory_mb,
            DISK_GB: int(math.ceil(conf.reserved_host_disk_mb / 1024.0))}


def inventory_record(total, reserved=0, allocation_ratio=1.0, max_unit=None):
    """One placement inventory; reserved never above total (placement says 400)."""
    total = int(total)
    return {'total': total, 'reserved': min(int(reserved), total),
            'min_unit': 1, 'max_unit': max(1, int(max_unit or total)),
            'step_size': 1, 'allocation_ratio': float(allocation_ratio)}


def standard_inventory(conf, resources, current_inventory=None):
    """VCPU / MEMORY_MB / DISK_GB inventory from get_available_resource().

    Classes with a total of 0 are left out: placement refuses them.
    """
    ratios = allocation_ratios(conf, current_inventory)
    reserved = reserved_amounts(conf)
    totals = {VCPU: resources.get('vcpus', 0),
              MEMORY_MB: resources.get('memory_mb', 0),
              DISK_GB: resources.get('local_gb', 0)}
    return {rc: inventory_record(total, reserved[rc], ratios[rc])
            for rc, total in totals.items() if total}


class ComputeDriver:
    """Base class of virt drivers; see the module docstring for the contract.

    :param conf: the service's ConfigOpts.
    :param host: the compute host name (``[DEFAULT] host``).
    """

    #: What the driver can do; the manager checks before calling optional
    #: methods. ``supports_traits``: update_provider_tree sets traits;
    #: ``supports_nested``: it reports child providers.
    capabilities = {
        'supports_reboot': False,
        'supports_power_control': False,
        'supports_traits': False,
        'supports_nested': False,
    }

    def __init__(self, conf, host):
        self.conf = conf
        self.host = host

    # -- life cycle -----------------------------------------------------------
    def init_host(self):
        """Connect to the hypervisor; called once when the service starts."""

    def cleanup(self):
        """Release what init_host took; called when the service stops."""

    # -- instances (required) -------------------------------------------------
    def spawn(self, ctx, instance, image_meta, allocations):
        """Create and start *instance*; raise on failure.

        :param image_meta: the request spec's ``image`` dict.
        :param allocations: placement allocations of the instance
            ``{rp_uuid: {'resources': {rc: amount}}}`` (may be empty).
        Any exception means the build failed (the manager reschedules);
        ``nova_core.exception.InstanceSpawnFailure`` is the expected one.
        """
        raise NotImplementedError()

    def destroy(self, ctx, instance):
        """Remove *instance*; succeed if it does not exist (idempotent)."""
        raise NotImplementedError()

    def get_info(self, instance):
        """{'state': power state} (``nova_core.virt.power_state``).

        An unknown instance raises ``exception.InstanceNotFound``.
        """
        raise NotImplementedError()

    def list_instances(self):
        """Uuids of the instances the hypervisor knows on this host."""
        raise NotImplementedError()

    # -- instances (optional) -------------------------------------------------
    def reboot(self, ctx, instance, reboot_type):
        """Reboot; *reboot_type* 'SOFT' or 'HARD' (supports_reboot)."""
        raise NotImplementedError()

    def power_on(self, ctx, instance):
        """Start a stopped instance (supports_power_control)."""
        raise NotImplementedError()

    def power_off(self, ctx, instance, timeout=0):
        """Stop an instance; *timeout* seconds for a clean shutdown first."""
        raise NotImplementedError()

    # -- resources ------------------------------------------------------------
    def get_available_nodes(self):
        """Names of the nodes this host manages (one per hypervisor)."""
        return [self.host]

    def get_available_resource(self, nodename):
        """What the node offers, for its compute node record.

        Returns a dict with at least ``vcpus``, ``memory_mb``, ``local_gb``
        (totals), ``vcpus_used``, ``memory_mb_used``, ``local_gb_used``,
        ``hypervisor_type``, ``hypervisor_version`` (int),
        ``hypervisor_hostname`` and ``cpu_info`` (a JSON string).
        """
        raise NotImplementedError()

    def update_provider_tree(self, provider_tree, nodename):
        """Update *provider_tree* (a ``ProviderTree``) with the node's providers.

        The tree arrives holding what placement has (the node's root provider
        named *nodename* exists); the driver sets inventories, traits and
        child providers. The default puts the standard inventory on the
        root and leaves traits and children alone.
        """
        current = provider_tree.inventory(nodename)
        resources = self.get_available_resource(nodename)
        inventory = {rc: inv for rc, inv in current.items()
                     if rc not in (VCPU, MEMORY_MB, DISK_GB)}
        inventory.update(standard_inventory(self.conf, resources, current))
        provider_tree.update_inventory(nodename, inventory)
