"""The network plugin contract: servers' addresses.

A plugin (entry point namespace ``nova_core.network``, selected by
``[network] backend``) is a subclass of :class:`NetworkBackend`, built with
``(conf, database)``: the configuration and the API database (where the
embedded ``local`` plugin records its addresses; a Neutron plugin would
ignore it).

What a server asked for reaches the plugin as *requested networks*, a list
of ``{'network_id': uuid or None (the default network), 'fixed_ip': text or
None}``; an empty list is no network at all. What the plugin hands back, per
server, is its *network info*: a list of ::

    {'network_id', 'network_name', 'address', 'version', 'mac_address'}

in the order allocated, from which the API renders ``addresses``.
"""

from nova_core import loading


class NetworkBackend:
    """Addresses for servers.

    :param conf: the service's configuration.
    :param database: the API database (``nova_core.db.engine.Database``).
    """

    def __init__(self, conf, database):
        self.conf = conf
        self.database = database

    def validate(self, ctx, requested_networks, count):
        """Raise, before anything is written, if *count* servers cannot
        get *requested_networks* (NetworkNotFound, FixedIpInvalid,
        FixedIpAlreadyInUse, NoMoreFixedIps)."""
        raise NotImplementedError()

    def allocate_for_instance(self, ctx, instance_uuid, project_id,
                              requested_networks):
        """Give the server its addresses; its network info.

        Called inside the caller's API database transaction where the
        plugin uses that database, so that a failed create leaves nothing
        behind.
        """
        raise NotImplementedError()

    def deallocate_for_instance(self, ctx, instance_uuid):
        """Free the server's addresses (nothing to free is fine)."""
        raise NotImplementedError()

    def get_info(self, ctx, instance_uuids):
        """``{instance_uuid: network info}`` (servers without addresses
        are left out)."""
        raise NotImplementedError()


def load(conf, database, extensions=None):
    """The ``[network] backend`` plugin, built for *conf* and *database*."""
    return loading.load_network_backend(
        conf.network.backend, NetworkBackend, conf, database,
        extensions=extensions)
