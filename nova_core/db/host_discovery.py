"""Mapping the compute hosts of each cell into the API database's host_mappings.

Used by ``nova-core-manage cell_v2 discover_hosts`` and by the scheduler's
periodic discovery (``[scheduler] discover_hosts_in_cells_interval``).
"""

import logging

from nova_core.db import cell_mapping
from nova_core.db import cells as cells_mod
from nova_core.db import compute_node
from nova_core.db import host_mapping
from nova_core.db import service
from nova_core import exception

LOG = logging.getLogger(__name__)

# The binaries whose hosts --by-service maps: Nova's name, which compute
# records carry, and the one records of older nova_core releases carry.
COMPUTE_BINARIES = ('nova-compute', 'nova-core-compute')


def _cells_to_scan(ctx, cells, cell_uuid):
    with cells.api.reader(ctx) as conn:
        if cell_uuid is not None:
            return [cell_mapping.get_by_uuid(conn, cell_uuid)]
        # cell0 never has hosts.
        return [m for m in cell_mapping.get_all(conn)
                if not cell_mapping.is_cell0(m)]


def _hosts_in_cell(cctx, by_service):
    """(hosts to map, node uuids to flag mapped) of one cell."""
    with cctx.db_connection.reader(cctx) as conn:
        if by_service:
            hosts = {s['host'] for binary in COMPUTE_BINARIES
                     for s in service.get_all(conn, binary=binary)}
            return sorted(hosts), []
        nodes = compute_node.get_all(conn, mapped=False)
    return sorted({n['host'] for n in nodes}), [n['uuid'] for n in nodes]


def _map_host(ctx, cells, host, cell_uuid):
    """The new mapping, or None if *host* was mapped already."""
    with cells.api.reader(ctx) as conn:
        try:
            existing = host_mapping.get_by_host(conn, host)
        except exception.HostMappingNotFound:
            existing = None
    if existing is not None:
        if existing['cell_uuid'] != cell_uuid:
            LOG.warning('Host %s is in cell %s but already mapped to %s',
                        host, cell_uuid, existing['cell_uuid'])
        return None
    try:
        # One transaction per host: losing a race to another discoverer
        # must not undo the hosts mapped before it.
        with cells.api.writer(ctx) as conn:
            return host_mapping.create(conn, host, cell_uuid)
    except exception.HostMappingExists:
        return None


def discover_hosts(ctx, cells, cell_uuid=None, by_service=False):
    """Map the unmapped hosts of every cell (or of *cell_uuid*).

    *cells* is a CellDatabases. Hosts come from compute nodes not yet
    flagged mapped, or with *by_service* from compute service records.
    Returns the list of new host mapping dicts.
    """
    new = []
    for mapping in _cells_to_scan(ctx, cells, cell_uuid):
        with cells_mod.target_cell(ctx, mapping, cells=cells) as cctx:
            hosts, node_uuids = _hosts_in_cell(cctx, by_service)
            for host in hosts:
                created = _map_host(ctx, cells, host, mapping['uuid'])
                if created is not None:
                    LOG.info('Mapped host %s to cell %s', host,
                             mapping['uuid'])
                    new.append(created)
            if node_uuids:
                with cctx.db_connection.writer(cctx) as conn:
                    compute_node.mark_mapped(conn, node_uuids)
    return new
