"""Flavor extra specs checked from microversion 2.86, as Nova checks them.

A key in a namespace Nova knows (``hw:``, ``resources:``, ``trait:``...)
must be one Nova knows, with a value of the right kind; a key outside
those namespaces (``aggregate_instance_extra_specs:`` and
``capabilities:`` included, which are operator-defined, and any custom
namespace) is taken as it is. Only the namespaces whose keys are listed
here in full are checked, so that a valid key is never refused.
"""

import re

from nova_core.api import fault

_BOOL = ('true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', 'on', 'off',
         '1', '0')


def _enum(*values):
    def check(value):
        if value not in values:
            return 'must be one of %s' % ', '.join(values)
        return None
    return check


def _int(minimum=None, maximum=None):
    def check(value):
        try:
            number = int(value)
        except ValueError:
            return 'must be an integer'
        if minimum is not None and number < minimum:
            return 'must be at least %d' % minimum
        if maximum is not None and number > maximum:
            return 'must be at most %d' % maximum
        return None
    return check


def _bool(value):
    if value.lower() not in _BOOL:
        return 'must be a boolean'
    return None


def _pattern(regex, what):
    compiled = re.compile(regex)

    def check(value):
        if not compiled.fullmatch(value):
            return 'must be %s' % what
        return None
    return check


def _any(value):
    return None


_CPU_SET = _pattern(r'\^?\d+(-\d+)?(,\^?\d+(-\d+)?)*',
                    'a CPU set such as 0-3,^2,5')
_PAGE_SIZE = _pattern(r'(small|large|any|\d+([kKmMgG][bB]?)?)',
                      'small, large, any or a page size')

# Exact keys.
_KEYS = {
    'hw:cpu_policy': _enum('dedicated', 'shared', 'mixed'),
    'hw:cpu_thread_policy': _enum('prefer', 'isolate', 'require'),
    'hw:emulator_threads_policy': _enum('share', 'isolate'),
    'hw:cpu_dedicated_mask': _CPU_SET,
    'hw:cpu_realtime': _bool,
    'hw:cpu_realtime_mask': _CPU_SET,
    'hw:cpu_sockets': _int(1),
    'hw:cpu_cores': _int(1),
    'hw:cpu_threads': _int(1),
    'hw:cpu_max_sockets': _int(1),
    'hw:cpu_max_cores': _int(1),
    'hw:cpu_max_threads': _int(1),
    'hw:numa_nodes': _int(1),
    'hw:mem_page_size': _PAGE_SIZE,
    'hw:pci_numa_affinity_policy': _enum('required', 'preferred', 'legacy',
                                         'socket'),
    'hw:boot_menu': _bool,
    'hw:vif_multiqueue_enabled': _bool,
    'hw:mem_encryption': _bool,
    'hw:pmu': _bool,
    'hw:serial_port_count': _int(0),
    'hw:tpm_model': _enum('tpm-tis', 'tpm-crb'),
    'hw:tpm_version': _enum('1.2', '2.0'),
    'hw:watchdog_action': _enum('none', 'pause', 'poweroff', 'reset',
                                'disabled'),
    'hw:hide_hypervisor_id': _bool,
    'hw:locked_memory': _bool,
    'hw:virtio_packed_ring': _bool,
    'hw:vpmem': _any,
    'hw:maxphysaddr_mode': _enum('emulate', 'passthrough'),
    'hw:maxphysaddr_bits': _int(1),
    'hw:viommu_model': _enum('intel', 'smmuv3', 'virtio', 'auto'),
    'hw:ephemeral_encryption': _bool,
    'hw:ephemeral_encryption_format': _enum('luks', 'plain'),
    'hw:emulation_architecture': _any,
    'hw:mem_encryption_model': _any,
    'hw:sound_model': _any,
    'hw:usb_model': _any,
    'hw:redirected_usb_ports': _int(0),
    'hw_rng:allowed': _bool,
    'hw_rng:rate_bytes': _int(0),
    'hw_rng:rate_period': _int(0),
    'hw_video:ram_max_mb': _int(0),
    'accel:device_profile': _any,
    'pci_passthrough:alias': _pattern(
        r'[^:,]+:\d+(,[^:,]+:\d+)*', 'alias:count[,alias:count...]'),
    'group_policy': _enum('none', 'isolate'),
}
# Keys with a variable part.
_PATTERNS = [
    (re.compile(r'hw:numa_cpus\.\d+'), _CPU_SET),
    (re.compile(r'hw:numa_mem\.\d+'), _int(0)),
    (re.compile(r'resources(\d+|_[a-zA-Z0-9_-]+)?:[A-Z0-9_]+'), _int(0)),
    (re.compile(r'trait(\d+|_[a-zA-Z0-9_-]+)?:[A-Z0-9_]+'),
     _enum('required', 'forbidden')),
]
# The namespaces whose keys are all known above (resources1:, trait_x:
# count as resources: / trait:).
_NAMESPACES = frozenset(('hw', 'hw_rng', 'hw_video', 'accel',
                         'pci_passthrough', 'resources', 'trait'))
_GROUPED = re.compile(r'(resources|trait)(\d+|_[a-zA-Z0-9_-]+)?$')


def _checker(key):
    found = _KEYS.get(key)
    if found is not None:
        return found
    for pattern, check in _PATTERNS:
        if pattern.fullmatch(key):
            return check
    return None


def _namespace(key):
    if ':' not in key:
        return None
    prefix = key.split(':', 1)[0]
    grouped = _GROUPED.match(prefix)
    return grouped.group(1) if grouped else prefix


def validate(specs):
    """Nova's 400 for the first extra spec of *specs* (``{key: str}``) it
    would refuse."""
    for key, value in sorted(specs.items()):
        check = _checker(key)
        if check is None:
            if _namespace(key) in _NAMESPACES:
                raise fault.http_error(
                    400, "Validation failed; extra spec '%s' does not "
                    'appear to be a valid extra spec.' % key)
            continue
        problem = check(value)
        if problem:
            raise fault.http_error(
                400, "Validation failed; value '%s' of extra spec '%s' %s."
                % (value, key, problem))
