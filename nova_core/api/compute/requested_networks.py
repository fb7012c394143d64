"""The ``networks`` of a server create request, as the network plugin's
requested networks (see ``nova_core.network``), with Nova's 400s.

``auto`` (and no ``networks`` at all, before 2.37) is one address on the
default network, ``none`` no network; a list names networks by uuid,
optionally with a fixed address. Ports need Neutron: a request for one is
refused here rather than half-served.
"""

import ipaddress

from nova_core.api import fault


def parse(networks, max_count):
    """The requested networks for *networks* (the body's value, or None)."""
    if networks is None or networks == 'auto' or networks == []:
        return [{'network_id': None}]
    if networks == 'none':
        return []
    requested = []
    for network in networks:
        if network.get('port'):
            raise fault.http_error(
                400, 'Requesting a port is not supported: servers get '
                'their addresses from the network plugin, which has no '
                'ports. Request a network by uuid instead.')
        if 'uuid' not in network:
            raise fault.http_error(400, "Bad network format: missing 'uuid'")
        fixed_ip = network.get('fixed_ip')
        if fixed_ip is not None:
            try:
                ipaddress.ip_address(fixed_ip)
            except ValueError:
                raise fault.http_error(
                    400, 'Invalid fixed IP address (%s)' % fixed_ip) from None
            if max_count > 1:
                raise fault.http_error(
                    400, 'max_count cannot be greater than 1 if an fixed_ip '
                    'is specified.')
        requested.append({'network_id': network['uuid'],
                          'fixed_ip': fixed_ip})
    return requested
