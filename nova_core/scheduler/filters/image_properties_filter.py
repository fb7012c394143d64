"""ImagePropertiesFilter: the image's architecture, hypervisor and VM mode.

An image may ask for ``hw_architecture``, ``img_hv_type``, ``hw_vm_mode``
(or their old names ``architecture``, ``hypervisor_type``, ``vm_mode``) and
``img_hv_requested_version`` (``">=6.0,<7"``). A host passes if one of its
``supported_instances`` (architecture, hypervisor type, VM mode) triples
matches every property the image sets, and its hypervisor version meets the
requested one. An image that asks for nothing passes everywhere.
"""

import operator

from oslo_utils import versionutils

from nova_core.scheduler import filters

_ARCH_ALIASES = {'amd64': 'x86_64', 'x64': 'x86_64', 'i386': 'i686',
                 'i486': 'i686', 'i586': 'i686', 'x86_32': 'i686',
                 'arm64': 'aarch64', 'ppc64el': 'ppc64le'}
_HV_ALIASES = {'xapi': 'xen'}
_VM_MODE_ALIASES = {'hv': 'hvm', 'baremetal': 'hvm', 'pv': 'xen'}

_VERSION_OPS = (('>=', operator.ge), ('<=', operator.le),
                ('==', operator.eq), ('!=', operator.ne),
                ('>', operator.gt), ('<', operator.lt))


def _canonical(value, aliases):
    if not value:
        return None
    value = str(value).lower()
    return aliases.get(value, value)


def _version_tuple(text):
    return tuple(int(part) for part in text.strip().split('.') if part)


def version_satisfies(host_version, predicate):
    """True if integer *host_version* (Nova's encoding, 6001002 = 6.1.2)
    meets *predicate*, comma-separated clauses like ``">=6.0,<7"``."""
    have = _version_tuple(versionutils.convert_version_to_str(host_version))
    for clause in str(predicate).split(','):
        clause = clause.strip()
        if not clause:
            continue
        for symbol, compare in _VERSION_OPS:
            if clause.startswith(symbol):
                want = clause[len(symbol):]
                break
        else:
            symbol, compare, want = '==', operator.eq, clause
        try:
            wanted = _version_tuple(want)
        except ValueError:
            return False
        width = max(len(have), len(wanted))
        if not compare(have + (0,) * (width - len(have)),
                       wanted + (0,) * (width - len(wanted))):
            return False
    return True


def image_requirements(spec, default_arch=None):
    """(architecture, hypervisor type, vm mode, version) the image asks."""
    props = ((spec.get('image') or {}).get('properties') or {})
    arch = _canonical(props.get('hw_architecture') or
                      props.get('architecture') or default_arch, _ARCH_ALIASES)
    hv_type = _canonical(props.get('img_hv_type') or
                         props.get('hypervisor_type'), _HV_ALIASES)
    vm_mode = _canonical(props.get('hw_vm_mode') or props.get('vm_mode'),
                         _VM_MODE_ALIASES)
    return arch, hv_type, vm_mode, props.get('img_hv_requested_version')


class ImagePropertiesFilter(filters.BaseHostFilter):
    """Hosts that can run the image's architecture, hypervisor and mode."""

    RUN_ON_REBUILD = True

    def _default_arch(self):
        group = getattr(self.conf, 'filter_scheduler', None)
        return getattr(group, 'image_properties_default_architecture', None)

    _last = (None, None)

    def _requirements(self, spec):
        # The same request is asked about every host: its requirements are
        # worked out once. The spec itself is kept beside them, so an
        # identity check can never match a different (later) request.
        last_spec, requirements = self._last
        if last_spec is not spec:
            requirements = image_requirements(spec, self._default_arch())
            self._last = (spec, requirements)
        return requirements

    def _problem(self, host_state, spec):
        arch, hv_type, vm_mode, version = self._requirements(spec)
        if not (arch or hv_type or vm_mode or version):
            return None
        if arch or hv_type or vm_mode:
            supported = host_state.supported_instances or []
            if not supported:
                return 'host reports no supported instances'
            if not any(self._matches(entry, arch, hv_type, vm_mode)
                       for entry in supported):
                return ('image wants arch=%s hv_type=%s vm_mode=%s; host '
                        'supports %s' % (arch, hv_type, vm_mode,
                                         [list(s) for s in supported]))
        host_version = host_state.hypervisor_version
        if version and host_version:
            if not version_satisfies(host_version, version):
                return ('image wants hypervisor version %s; host has %s' % (
                    version,
                    versionutils.convert_version_to_str(host_version)))
        return None

    @staticmethod
    def _matches(entry, arch, hv_type, vm_mode):
        entry = list(entry) + [None] * (3 - len(entry))
        host_arch = _canonical(entry[0], _ARCH_ALIASES)
        host_hv = _canonical(entry[1], _HV_ALIASES)
        host_mode = _canonical(entry[2], _VM_MODE_ALIASES)
        return ((not arch or arch == host_arch) and
                (not hv_type or hv_type == host_hv) and
                (not vm_mode or vm_mode == host_mode))

    def passes_all(self, spec):
        return not any(self._requirements(spec))

    def host_passes(self, host_state, spec):
        return self._problem(host_state, spec) is None

    def why(self, host_state, spec):
        return self._problem(host_state, spec) or 'passed'
