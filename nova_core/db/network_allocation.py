"""Addresses the local network plugin handed out (``network_allocations``).

The unique key (network, address) is what keeps two API workers from giving
out the same address: each insert runs in a savepoint, so that losing a race
for one address (a duplicate key) costs only that statement and the caller's
transaction goes on with the next candidate.
"""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.network_allocations


def used_addresses(conn, network):
    """The addresses of *network* (its uuid) in use, as a set of text."""
    return set(conn.execute(sa.select(_T.c.address).where(
        _T.c.network == network)).scalars())


def _insert(conn, network, address, mac_address, instance_uuid, project_id):
    """Insert in a savepoint; False if the address was taken meanwhile."""
    try:
        with conn.begin_nested():
            conn.execute(_T.insert().values(
                network=network, address=address, mac_address=mac_address,
                instance_uuid=instance_uuid, project_id=project_id))
    except db_exc.DBDuplicateEntry:
        return False
    return True


def allocate(conn, network, candidates, mac_address, instance_uuid,
             project_id=None):
    """Record the first address of *candidates* (an iterable of text)
    nobody holds for *instance_uuid*; the address, or None when every
    candidate is taken."""
    for address in candidates:
        if _insert(conn, network, address, mac_address, instance_uuid,
                   project_id):
            return address
    return None


def holder(conn, network, address):
    """The instance holding *address* of *network*, or None."""
    return conn.execute(sa.select(_T.c.instance_uuid).where(
        _T.c.network == network, _T.c.address == address)).scalar()


def add(conn, network, address, mac_address, instance_uuid, project_id=None):
    """Record *address* (asked for by the user); FixedIpAlreadyInUse."""
    if not _insert(conn, network, address, mac_address, instance_uuid,
                   project_id):
        raise exception.FixedIpAlreadyInUse(
            address=address, instance_uuid=holder(conn, network, address))


def get_by_instances(conn, instance_uuids):
    """``{instance_uuid: [allocation dict, ...]}`` in allocation order."""
    uuids = list(instance_uuids)
    found = {}
    if not uuids:
        return found
    for row in conn.execute(_T.select().where(
            _T.c.instance_uuid.in_(uuids)).order_by(_T.c.id)):
        found.setdefault(row.instance_uuid, []).append(base.to_dict(row))
    return found


def delete_by_instance(conn, instance_uuid):
    """Free the addresses of an instance; how many there were."""
    return conn.execute(_T.delete().where(
        _T.c.instance_uuid == instance_uuid)).rowcount
