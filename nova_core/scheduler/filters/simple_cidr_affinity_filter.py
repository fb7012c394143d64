"""SimpleCIDRAffinityFilter: hosts whose IP is near ``build_near_host_ip``.

Scheduler hints ``build_near_host_ip`` (an address) and ``cidr`` (a prefix
length such as ``/24``, the default): a host passes if its ``host_ip`` is
in that network. Without ``build_near_host_ip`` every host passes.
"""

import ipaddress

from nova_core.scheduler import filters
from nova_core.scheduler.filters import hints

DEFAULT_CIDR = '/24'


def _network(spec):
    """The requested network, or None when the request asks for none."""
    near = hints.hint_value(spec, 'build_near_host_ip')
    if not near:
        return None
    cidr = str(hints.hint_value(spec, 'cidr', DEFAULT_CIDR)).strip()
    if not cidr.startswith('/'):
        cidr = '/' + cidr
    return ipaddress.ip_network('%s%s' % (str(near).strip(), cidr),
                                strict=False)


def _in_network(host_ip, network):
    try:
        return ipaddress.ip_address(str(host_ip)) in network
    except ValueError:
        return False


class SimpleCIDRAffinityFilter(filters.BaseHostFilter):
    """Hosts on the same network as ``build_near_host_ip``/``cidr``."""

    RUN_ON_REBUILD = False

    def host_passes(self, host_state, spec):
        try:
            network = _network(spec)
        except ValueError:
            return False
        if network is None:
            return True
        host_ip = getattr(host_state, 'host_ip', None)
        return bool(host_ip) and _in_network(host_ip, network)

    def why(self, host_state, spec):
        try:
            network = _network(spec)
        except ValueError as exc:
            return 'invalid build_near_host_ip/cidr hints: %s' % exc
        host_ip = getattr(host_state, 'host_ip', None)
        if not host_ip:
            return 'host IP unknown, cannot be near %s' % network
        return 'host IP %s is not in %s' % (host_ip, network)
