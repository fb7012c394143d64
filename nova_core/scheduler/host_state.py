"""HostState: what the scheduler knows of one compute node while it decides.

Plain data, built by the host manager from a compute node record, its
service record, the instances known on the host and placement's provider
summary; filters and weighers read it, and ``consume_from_request`` updates
it after each choice so that the later instances of a multi-create see the
earlier ones.

Resource figures follow placement's view when a provider summary is given
(capacity already includes allocation ratio and reserved), else the compute
node record's::

    free_ram_mb    = capacity(MEMORY_MB) - used(MEMORY_MB)
    free_disk_mb   = (capacity(DISK_GB) - used(DISK_GB)) * 1024
    free_vcpus     = vcpus_total * cpu_allocation_ratio - vcpus_used
"""

import copy
import datetime
import json
import logging

LOG = logging.getLogger(__name__)

# Task states of I/O-heavy operations (Nova's): an instance in one of them,
# or still building, counts in a host's ``num_io_ops``.
IO_TASK_STATES = frozenset([
    'resize_migrating', 'rebuilding', 'resize_prep', 'image_snapshot',
    'image_backup', 'rescuing', 'unshelving'])


def is_io_op(instance):
    """True if *instance* (a dict) is doing I/O-heavy work right now."""
    return (instance.get('vm_state') == 'building' or
            instance.get('task_state') in IO_TASK_STATES)


def count_io_ops(instances):
    """How many of *instances* (dicts) are doing I/O-heavy work."""
    return sum(1 for instance in instances if is_io_op(instance))


def _metrics(value):
    """{name: value} from Nova's metrics column (a list of
    ``{"name", "value", ...}``) or from a plain dict."""
    value = _loads(value, {})
    if isinstance(value, dict):
        return dict(value)
    return {m['name']: m.get('value') for m in value
            if isinstance(m, dict) and m.get('name')}


def _loads(value, default):
    """A JSON text column as data (the DB may hand back text or data)."""
    if value is None or value == '':
        return default
    if isinstance(value, (str, bytes)):
        try:
            return json.loads(value)
        except ValueError:
            LOG.warning('Ignoring a malformed JSON column: %r', value[:80])
            return default
    return value


def parse_time(value):
    """A datetime from a datetime or an ISO 8601 string (None stays None)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    try:
        return datetime.datetime.fromisoformat(str(value).replace('Z', ''))
    except ValueError:
        return None


def service_is_up(service, down_time, now=None):
    """True if the service reported within *down_time* seconds.

    A service forced down is down whatever its heartbeat says.
    """
    if not service or service.get('forced_down'):
        return False
    last = service_last_seen(service)
    if last is None:
        return False
    now = now or datetime.datetime.utcnow()
    return abs((now - last).total_seconds()) <= down_time


def service_last_seen(service):
    """When *service* last reported, as a naive UTC datetime (or None):
    ``last_seen_up``, else ``updated_at``, else ``created_at``."""
    last = parse_time(service.get('last_seen_up') or service.get('updated_at')
                      or service.get('created_at'))
    if last is not None and last.tzinfo is not None:
        last = last.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return last


class HostState:
    """One compute node as the filters and weighers see it."""

    def __init__(self, host, nodename, uuid, cell_uuid=None):
        self.host = host
        self.nodename = nodename
        self.uuid = uuid
        self.cell_uuid = cell_uuid
        self.vcpus_total = 0
        self.vcpus_used = 0
        self.total_usable_ram_mb = 0
        self.free_ram_mb = 0
        self.total_usable_disk_gb = 0
        self.free_disk_mb = 0
        self.cpu_allocation_ratio = 1.0
        self.ram_allocation_ratio = 1.0
        self.disk_allocation_ratio = 1.0
        self.hypervisor_type = None
        self.hypervisor_version = None
        self.hypervisor_hostname = nodename
        self.cpu_info = {}
        self.supported_instances = []
        self.stats = {}
        self.service = {}
        self.service_up = True
        self.service_disabled = False
        self.disabled_reason = None
        self.instances = {}
        self.num_instances = 0
        self.aggregates = []
        self.updated = None
        self.limits = {}
        # For the filters and weighers of issue 5.
        self.host_ip = None
        self.num_io_ops = 0
        self.metrics = {}

    def __repr__(self):
        return '<HostState %s/%s cell=%s ram=%s disk=%s vcpus=%s/%s>' % (
            self.host, self.nodename, self.cell_uuid, self.free_ram_mb,
            self.free_disk_mb, self.vcpus_used, self.vcpus_total)

    @property
    def free_vcpus(self):
        return self.vcpus_total * self.cpu_allocation_ratio - self.vcpus_used

    @property
    def capabilities(self):
        """Nova's host capabilities view: stats plus the hypervisor facts."""
        caps = dict(self.stats)
        caps.update(hypervisor_type=self.hypervisor_type,
                    hypervisor_version=self.hypervisor_version,
                    hypervisor_hostname=self.hypervisor_hostname,
                    cpu_info=self.cpu_info)
        return caps

    def update_from_compute_node(self, node):
        """Take the compute node record's figures and facts."""
        self.cpu_allocation_ratio = float(
            node.get('cpu_allocation_ratio') or self.cpu_allocation_ratio)
        self.ram_allocation_ratio = float(
            node.get('ram_allocation_ratio') or self.ram_allocation_ratio)
        self.disk_allocation_ratio = float(
            node.get('disk_allocation_ratio') or self.disk_allocation_ratio)
        self.vcpus_total = int(node.get('vcpus') or 0)
        self.vcpus_used = int(node.get('vcpus_used') or 0)
        self.total_usable_ram_mb = int(node.get('memory_mb') or 0)
        ram_used = int(node.get('memory_mb_used') or 0)
        self.free_ram_mb = (self.total_usable_ram_mb *
                            self.ram_allocation_ratio - ram_used)
        self.total_usable_disk_gb = int(node.get('local_gb') or 0)
        disk_used = int(node.get('local_gb_used') or 0)
        self.free_disk_mb = (self.total_usable_disk_gb *
                             self.disk_allocation_ratio - disk_used) * 1024
        self.hypervisor_type = node.get('hypervisor_type')
        self.hypervisor_version = node.get('hypervisor_version')
        self.hypervisor_hostname = (node.get('hypervisor_hostname') or
                                    self.nodename)
        self.cpu_info = _loads(node.get('cpu_info'), {})
        self.stats = dict(_loads(node.get('stats'), {}))
        # Nova keeps a column; a node record without one may carry the
        # list in its stats.
        self.supported_instances = [
            tuple(entry) for entry in _loads(
                node.get('supported_instances') or
                self.stats.get('supported_instances'), [])]
        self.num_instances = int(self.stats.get('num_instances') or 0)
        self.host_ip = node.get('host_ip') or self.host_ip
        # Nova's compute publishes the count as the "io_workload" stat.
        self.num_io_ops = int(self.stats.get('io_workload') or 0)
        self.metrics = _metrics(node.get('metrics'))
        self.updated = node.get('updated_at') or node.get('created_at')
        if isinstance(self.updated, datetime.datetime):
            self.updated = self.updated.isoformat()

    # True while stats and instances are shared with the HostState this
    # one was copied from (copy_for_request): copied before a write.
    _shared = False

    def copy_for_request(self):
        """A copy one request may change (consume_from_request) without
        touching this one. Nothing is copied until it is written: a request
        looks at up to a thousand hosts and changes one or two, so stats and
        instances stay shared until ``consume_from_request`` (the only
        writer) copies them; the parsed facts (cpu_info, metrics...) and the
        containers nobody writes (limits, aggregates) are shared."""
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._shared = True
        return clone

    def update_from_provider_summary(self, summary):
        """Take placement's capacity and usage (1.27+ ``resources``)."""
        resources = (summary or {}).get('resources') or {}
        vcpu = resources.get('VCPU')
        if vcpu:
            ratio = self.cpu_allocation_ratio or 1.0
            self.vcpus_total = vcpu['capacity'] / ratio
            self.vcpus_used = vcpu['used']
        ram = resources.get('MEMORY_MB')
        if ram:
            self.total_usable_ram_mb = ram['capacity']
            self.free_ram_mb = ram['capacity'] - ram['used']
        disk = resources.get('DISK_GB')
        if disk:
            self.total_usable_disk_gb = disk['capacity']
            self.free_disk_mb = (disk['capacity'] - disk['used']) * 1024

    def update_from_service(self, service, down_time, now=None):
        self.service = dict(service or {})
        self.service_up = service_is_up(service, down_time, now=now)
        self.service_disabled = bool((service or {}).get('disabled'))
        self.disabled_reason = (service or {}).get('disabled_reason')

    def consume_from_request(self, spec, allocation_request=None,
                             instance_uuid=None):
        """Account for one instance of *spec* just placed here.

        The amounts are those of *allocation_request* on this host's tree
        when given (what was really claimed), else the flavor's.
        """
        if self._shared:
            self.stats = dict(self.stats)
            self.instances = dict(self.instances)
            self._shared = False
        used = _amounts(spec, allocation_request)
        self.vcpus_used += used.get('VCPU', 0)
        self.free_ram_mb -= used.get('MEMORY_MB', 0)
        self.free_disk_mb -= used.get('DISK_GB', 0) * 1024
        self.num_instances += 1
        self.stats['num_instances'] = self.num_instances
        # A build is I/O-heavy until it is done.
        self.num_io_ops += 1
        if instance_uuid:
            self.instances[instance_uuid] = {
                'uuid': instance_uuid, 'host': self.host,
                'node': self.nodename,
                'flavor': copy.deepcopy(spec.get('flavor'))}
        self.updated = datetime.datetime.utcnow().isoformat()


def _amounts(spec, allocation_request):
    if allocation_request:
        total = {}
        for alloc in allocation_request.get('allocations', {}).values():
            for rclass, amount in alloc.get('resources', {}).items():
                total[rclass] = total.get(rclass, 0) + amount
        return total
    flavor = spec.get('flavor') or {}
    root = 0 if spec.get('is_bfv') else int(flavor.get('root_gb') or 0)
    return {'VCPU': int(flavor.get('vcpus') or 0),
            'MEMORY_MB': int(flavor.get('memory_mb') or 0),
            'DISK_GB': root + int(flavor.get('ephemeral_gb') or 0)}
