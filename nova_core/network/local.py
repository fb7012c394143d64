"""The ``local`` network plugin: fixed addresses from configured ranges.

The embedded default, so that servers get addresses without Neutron. The
networks are ``[network] networks`` (read once, at start: a bad entry stops
the service); the addresses in use are rows of the API database, one per
address, whose unique key settles races between API workers.
"""

import collections
import ipaddress
import random
import uuid as uuidlib

from nova_core.db import network_allocation as db_allocation
from nova_core import exception
from nova_core import network

# uuid5 namespace of the networks' default uuids (the same on every host).
_UUID_NAMESPACE = uuidlib.UUID('6a3b8d4e-2c1f-5e7a-9b0d-4f8e1c2a7d35')
# Neutron's default MAC prefix.
_MAC_PREFIX = 'fa:16:3e'

Network = collections.namedtuple('Network', 'name uuid cidr gateway')


def parse_network(text):
    """A Network from one ``[network] networks`` entry; ConfigurationError."""
    def bad(reason):
        return exception.ConfigurationError(
            reason='[network] networks entry %r: %s' % (text, reason))

    values = {}
    for pair in text.split(','):
        key, sep, value = pair.partition('=')
        key = key.strip()
        if not sep or key not in ('name', 'cidr', 'uuid', 'gateway'):
            raise bad('expected name=...,cidr=...[,uuid=...][,gateway=...]')
        values[key] = value.strip()
    if not values.get('name') or not values.get('cidr'):
        raise bad('name and cidr are required')
    try:
        cidr = ipaddress.ip_network(values['cidr'])
    except ValueError as exc:
        raise bad(exc) from None
    if cidr.num_addresses < 4:
        raise bad('the range is too small')
    try:
        gateway = (ipaddress.ip_address(values['gateway'])
                   if values.get('gateway') else next(cidr.hosts()))
    except ValueError as exc:
        raise bad(exc) from None
    if gateway not in cidr:
        raise bad('the gateway is outside the range')
    uuid = values.get('uuid') or str(uuidlib.uuid5(_UUID_NAMESPACE,
                                                   values['name']))
    try:
        uuid = str(uuidlib.UUID(uuid))
    except ValueError:
        raise bad('uuid %r is not a uuid' % uuid) from None
    return Network(values['name'], uuid, cidr, gateway)


def parse_networks(entries):
    """The Networks of ``[network] networks``, checked for clashes."""
    networks = [parse_network(entry) for entry in entries]
    for attr in ('name', 'uuid'):
        seen = [getattr(net, attr) for net in networks]
        for value in seen:
            if seen.count(value) > 1:
                raise exception.ConfigurationError(
                    reason='[network] networks: %s %s is used twice'
                    % (attr, value))
    return networks


def _mac():
    return '%s:%02x:%02x:%02x' % ((_MAC_PREFIX,) + tuple(
        random.randint(0, 255) for _ in range(3)))


class LocalNetwork(network.NetworkBackend):
    """Addresses from the ranges of ``[network] networks``."""

    def __init__(self, conf, database):
        super().__init__(conf, database)
        self.networks = parse_networks(conf.network.networks)
        self._by_uuid = {net.uuid: net for net in self.networks}

    def network(self, network_id):
        """The Network *network_id* (None: the default); NetworkNotFound."""
        if network_id is None:
            if not self.networks:
                raise exception.NetworkNotFound(network_id='default')
            return self.networks[0]
        try:
            return self._by_uuid[network_id]
        except KeyError:
            raise exception.NetworkNotFound(network_id=network_id) from None

    @staticmethod
    def _fixed_ip(net, text):
        """*text* as an address of *net* it may hand out; FixedIpInvalid."""
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise exception.FixedIpInvalid(address=text,
                                           network=net.name) from None
        if address not in net.cidr or address in (
                net.gateway, net.cidr.network_address,
                net.cidr.broadcast_address):
            raise exception.FixedIpInvalid(address=text, network=net.name)
        return str(address)

    @staticmethod
    def _candidates(net, used):
        for address in net.cidr.hosts():
            if address != net.gateway and str(address) not in used:
                yield str(address)

    def validate(self, ctx, requested_networks, count):
        wanted = collections.Counter()
        with self.database.reader(ctx) as conn:
            for request in requested_networks:
                net = self.network(request.get('network_id'))
                if request.get('fixed_ip'):
                    address = self._fixed_ip(net, request['fixed_ip'])
                    holder = db_allocation.holder(conn, net.uuid, address)
                    if holder:
                        raise exception.FixedIpAlreadyInUse(
                            address=address, instance_uuid=holder)
                else:
                    wanted[net] += count
            for net, amount in wanted.items():
                used = db_allocation.used_addresses(conn, net.uuid)
                free = self._candidates(net, used)
                if sum(1 for _ in zip(range(amount), free)) < amount:
                    raise exception.NoMoreFixedIps(net=net.name)

    def allocate_for_instance(self, ctx, instance_uuid, project_id,
                              requested_networks):
        info = []
        with self.database.writer(ctx) as conn:
            for request in requested_networks:
                net = self.network(request.get('network_id'))
                mac = _mac()
                if request.get('fixed_ip'):
                    address = self._fixed_ip(net, request['fixed_ip'])
                    db_allocation.add(conn, net.uuid, address, mac,
                                      instance_uuid, project_id)
                else:
                    used = db_allocation.used_addresses(conn, net.uuid)
                    address = db_allocation.allocate(
                        conn, net.uuid, self._candidates(net, used), mac,
                        instance_uuid, project_id)
                    if address is None:
                        raise exception.NoMoreFixedIps(net=net.name)
                info.append(self._info(net.uuid, address, mac))
        return info

    def _info(self, network_id, address, mac):
        net = self._by_uuid.get(network_id)
        return {'network_id': network_id,
                # A network since removed from the configuration still
                # names its addresses, by uuid.
                'network_name': net.name if net else network_id,
                'address': address,
                'version': ipaddress.ip_address(address).version,
                'mac_address': mac}

    def deallocate_for_instance(self, ctx, instance_uuid):
        with self.database.writer(ctx) as conn:
            db_allocation.delete_by_instance(conn, instance_uuid)

    def get_info(self, ctx, instance_uuids):
        with self.database.reader(ctx) as conn:
            found = db_allocation.get_by_instances(conn, instance_uuids)
        return {uuid: [self._info(row['network'], row['address'],
                                  row['mac_address']) for row in rows]
                for uuid, rows in found.items()}
