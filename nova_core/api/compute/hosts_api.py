"""Services and compute nodes across the cells: the library under
os-services, os-hypervisors and os-availability-zone.

Service and compute node records live in the cell databases (the
conductor's and scheduler's in the database of their ``[database]``, cell0
in a cells v2 deployment, as Nova's). A listing reads every cell at once
(``[scheduler] cell_timeout``); a cell that does not answer is left out
with a warning, as Nova does for these admin listings.

Zones: a compute host is in the zone of the aggregate whose
``availability_zone`` metadata names one (``[DEFAULT]
default_availability_zone`` otherwise); other services are in
``[DEFAULT] internal_service_availability_zone``.
"""

import logging

from oslo_utils import timeutils

from nova_core.api.compute import servers_api
from nova_core.db import aggregate as db_aggregate
from nova_core.db import cell_mapping as db_cell_mapping
from nova_core.db import cells as db_cells
from nova_core.db import compute_node as db_compute_node
from nova_core.db import host_mapping as db_host_mapping
from nova_core.db import instance as db_instance
from nova_core.db import service as db_service
from nova_core import exception
from nova_core.placement_client import providers

LOG = logging.getLogger(__name__)

COMPUTE_BINARY = servers_api.COMPUTE_BINARY
AZ_KEY = 'availability_zone'


def timestamp(value):
    """Nova's service and hypervisor times: ``2026-11-21T14:56:14.000000``
    (no zone; None stays None)."""
    if value in (None, ''):
        return None
    if isinstance(value, str):
        value = timeutils.normalize_time(timeutils.parse_isotime(value))
    return value.replace(tzinfo=None).isoformat(timespec='microseconds')


class HostBinaryNotFound(exception.NotFound):
    msg_fmt = "Could not find binary %(binary)s on host %(host)s."


class ServiceNotUnique(exception.Invalid):
    msg_fmt = "Service id %(service_id)s refers to multiple services."


class ServiceHostsInstances(exception.Conflict):
    msg_fmt = ("Unable to delete compute service that is hosting instances. "
               "Migrate or delete the instances first.")


def _read_services(cctx, host, binary):
    with cctx.db_connection.reader(cctx) as conn:
        return db_service.get_all(conn, binary=binary, host=host)


def _read_nodes(cctx):
    with cctx.db_connection.reader(cctx) as conn:
        nodes = db_compute_node.get_all(conn)
        services = {s['id']: s for s in db_service.get_all(
            conn, binary=COMPUTE_BINARY)}
        by_host = {s['host']: s for s in services.values()}
        counts = db_instance.count_by_host(conn)
    for node in nodes:
        node['service'] = (services.get(node.get('service_id')) or
                           by_host.get(node['host']))
        node['running_vms'] = counts.get(
            (node['host'], node['hypervisor_hostname']), 0)
    return nodes


class HostsAPI:
    """Services and hypervisors (compute nodes) of every cell."""

    def __init__(self, conf, cells, placement=None, compute_api=None):
        self.conf = conf
        self.cells = cells
        self.placement = placement
        self.compute_api = compute_api

    # -- reading the cells ---------------------------------------------------

    def _gather(self, ctx, fn, *args, down=None):
        """``[(cell mapping, result)]`` of the cells that answered; the
        mappings of the others are appended to *down* if given."""
        with self.cells.api.reader(ctx) as conn:
            mappings = db_cell_mapping.get_all(conn)
        results = db_cells.scatter_gather_cells(
            ctx, mappings, self.conf.scheduler.cell_timeout, fn, *args,
            cells=self.cells)
        answered = []
        for mapping in mappings:
            result = results.get(mapping['uuid'])
            if isinstance(result, Exception) or \
                    result is db_cells.DID_NOT_RESPOND:
                LOG.warning('Cell %s left out of the listing: %s',
                            mapping['uuid'], result)
                if down is not None:
                    down.append(mapping)
                continue
            answered.append((mapping, result))
        return answered

    def services(self, ctx, host=None, binary=None, down=None):
        """Every service (``cell`` = its cell mapping), by cell then id;
        the cells that did not answer are appended to *down* if given."""
        return [dict(s, cell=mapping) for mapping, found in self._gather(
            ctx, _read_services, host, binary, down=down) for s in found]

    def unreachable_computes(self, ctx, mappings):
        """``[{host, binary}]`` of the compute hosts mapped to the cells of
        *mappings*: what the API database knows of cells that do not
        answer."""
        with self.cells.api.reader(ctx) as conn:
            return [{'host': found['host'], 'binary': COMPUTE_BINARY}
                    for mapping in mappings
                    for found in db_host_mapping.get_all(
                        conn, cell_uuid=mapping['uuid'])]

    def service_by_uuid(self, ctx, uuid):
        for found in self.services(ctx):
            if found['uuid'] == uuid:
                return found
        raise exception.ServiceNotFound(service_id=uuid)

    def service_by_id(self, ctx, service_id):
        """The service of integer id *service_id* (before 2.53): ids are
        per cell, so one found in two cells is refused."""
        found = [s for s in self.services(ctx) if s['id'] == service_id]
        if len(found) > 1:
            raise ServiceNotUnique(service_id=service_id)
        if not found:
            raise exception.ServiceNotFound(service_id=service_id)
        return found[0]

    def service_by_host_and_binary(self, ctx, host, binary):
        found = self.services(ctx, host=host, binary=binary)
        if not found:
            raise HostBinaryNotFound(host=host, binary=binary)
        return found[0]

    def is_up(self, service):
        return servers_api.service_is_up(service, self.conf.service_down_time)

    def nodes(self, ctx):
        """Every compute node with its ``service`` and ``running_vms``
        (``cell`` = its cell mapping), by cell then id."""
        return [dict(n, cell=mapping)
                for mapping, found in self._gather(ctx, _read_nodes)
                for n in found]

    def servers_on(self, ctx, node):
        """``[{name, uuid}]`` of the live instances of *node*."""
        with db_cells.target_cell(ctx, node['cell'],
                                  cells=self.cells) as cctx:
            with cctx.db_connection.reader(cctx) as conn:
                found = db_instance.get_by_host(
                    conn, node['host'], node=node['hypervisor_hostname'])
        return [{'name': i.get('display_name'), 'uuid': i['uuid']}
                for i in found if not i.get('deleted')]

    # -- zones ---------------------------------------------------------------

    def host_zones(self, ctx):
        """``{host: zone}`` of the hosts in an aggregate naming a zone."""
        with self.cells.api.reader(ctx) as conn:
            aggregates = db_aggregate.get_all(conn)
        zones = {}
        for agg in aggregates:
            zone = agg['metadata'].get(AZ_KEY)
            if zone:
                for host in agg['hosts']:
                    zones.setdefault(host, zone)
        return zones

    def zone_of(self, service, zones):
        if service['binary'] != COMPUTE_BINARY:
            return self.conf.internal_service_availability_zone
        return zones.get(service['host'],
                         self.conf.default_availability_zone)

    def zones(self, ctx):
        """``({zone: [enabled services]}, {zone: [disabled services]})``,
        a zone with an enabled service being available (as Nova's), the
        second mapping holding only the zones that are not."""
        zones_of_hosts = self.host_zones(ctx)
        enabled, disabled = {}, {}
        for service in self.services(ctx):
            zone = self.zone_of(service, zones_of_hosts)
            side = disabled if service['disabled'] else enabled
            side.setdefault(zone, []).append(service)
        return enabled, {zone: found for zone, found in disabled.items()
                         if zone not in enabled}

    def available_zones(self, ctx):
        """The zones a server may be requested in (not the internal one)."""
        return set(self.zones(ctx)[0]) - {
            self.conf.internal_service_availability_zone}

    # -- changing services ----------------------------------------------------

    def update_service(self, ctx, service, values):
        with db_cells.target_cell(ctx, service['cell'],
                                  cells=self.cells) as cctx:
            with cctx.db_connection.writer(cctx) as conn:
                updated = db_service.update(conn, service['id'], values)
            if service['binary'] == COMPUTE_BINARY and \
                    bool(updated.get('disabled')) != \
                    bool(service.get('disabled')):
                self._tell_compute(cctx, updated)
        return dict(updated, cell=service['cell'])

    def _tell_compute(self, cctx, service):
        """As Nova's API: the compute mirrors its new state as the
        COMPUTE_STATUS_DISABLED trait now; the record is already written,
        so a compute that cannot be told catches up at its next periodic
        resource update."""
        if self.compute_api is None:
            return
        try:
            self.compute_api.set_host_enabled(
                cctx, service['host'], not service.get('disabled'))
        except Exception as exc:  # the update itself has succeeded
            LOG.warning('Could not tell compute %s that its service is '
                        'now %s: %s', service['host'],
                        'disabled' if service.get('disabled') else 'enabled',
                        exc)

    def delete_service(self, ctx, service):
        """Delete a service record; for a compute, refused while it hosts
        instances, and its nodes, their resource providers, its aggregate
        memberships and its host mapping go with it (as Nova's)."""
        host = service['host']
        with db_cells.target_cell(ctx, service['cell'],
                                  cells=self.cells) as cctx:
            if service['binary'] == COMPUTE_BINARY:
                with cctx.db_connection.reader(cctx) as conn:
                    if any(not i.get('deleted') for i in
                           db_instance.get_by_host(conn, host)):
                        raise ServiceHostsInstances()
                    nodes = db_compute_node.get_all(conn, host=host)
                self._forget_compute(ctx, host, nodes)
                with cctx.db_connection.writer(cctx) as conn:
                    for node in nodes:
                        try:
                            db_compute_node.delete(conn, node['uuid'])
                        except exception.ComputeNodeNotFound:
                            pass
            with cctx.db_connection.writer(cctx) as conn:
                db_service.delete(conn, service['id'])

    def _forget_compute(self, ctx, host, nodes):
        with self.cells.api.writer(ctx) as conn:
            for agg in db_aggregate.get_by_host(conn, host):
                db_aggregate.remove_host(conn, agg['uuid'], host)
            try:
                db_host_mapping.delete(conn, host)
            except exception.HostMappingNotFound:
                pass
        if self.placement is None:
            return
        cache = providers.ProviderCache()
        for node in nodes:
            if not providers.delete_provider(ctx, self.placement, cache,
                                             node['uuid']):
                LOG.warning('Resource provider %s of deleted compute %s '
                            'kept: placement refused to delete it',
                            node['uuid'], host)
