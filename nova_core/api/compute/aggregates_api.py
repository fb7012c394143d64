"""Host aggregates: the library under os-aggregates and the zones of
os-availability-zone.

Aggregates live in the API database, named by their integer id in the
URLs. A host added to an aggregate must be a nova-compute service of some
cell; its compute nodes' resource providers then carry the aggregate's
uuid in placement (taken off when the host leaves), which the scheduler's
zone and tenant pre-filters query. A failing placement write is logged,
not fatal, as in Nova: the membership in the API database is what the
API promises.

A host is in one availability zone at most: adding it to an aggregate of
another zone, or giving an aggregate a zone some of its hosts are already
in another of, is refused.

Every change is cast to the schedulers (``scheduler.update_aggregates``,
a fanout) so that they stop trusting their cached aggregates.
"""

import logging

from nova_core.api.compute import hosts_api
from nova_core.db import aggregate as db_aggregate
from nova_core.db import cells as db_cells
from nova_core.db import compute_node as db_compute_node
from nova_core import exception
from nova_core.placement_client import aggregates as placement_aggregates

LOG = logging.getLogger(__name__)

AZ_KEY = hosts_api.AZ_KEY


class AggregateHostExists(exception.Exists):
    msg_fmt = "Aggregate %(aggregate_id)s already has host %(host)s."


class AggregateHostNotFound(exception.NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s has no host %(host)s."


class InvalidAggregateActionAdd(exception.Conflict):
    msg_fmt = ("Cannot add host to aggregate %(aggregate_id)s. "
               "Reason: %(reason)s.")


class InvalidAggregateActionUpdate(exception.Invalid):
    msg_fmt = ("Cannot update aggregate %(aggregate_id)s. "
               "Reason: %(reason)s.")


class InvalidAggregateActionUpdateMeta(exception.Invalid):
    msg_fmt = ("Cannot update metadata of aggregate %(aggregate_id)s. "
               "Reason: %(reason)s.")


class InvalidAggregateActionDelete(exception.Invalid):
    msg_fmt = ("Cannot remove aggregate %(aggregate_id)s. "
               "Reason: %(reason)s.")


class AggregatesAPI:
    """CRUD of host aggregates, membership mirrored into placement."""

    def __init__(self, conf, cells, placement, hosts, scheduler=None):
        """*scheduler*: the scheduler's rpcapi (told of every change)."""
        self.conf = conf
        self.cells = cells
        self.placement = placement
        self.hosts = hosts
        self.scheduler = scheduler

    def list(self, ctx):
        with self.cells.api.reader(ctx) as conn:
            return db_aggregate.get_all(conn)

    def get(self, ctx, aggregate_id):
        with self.cells.api.reader(ctx) as conn:
            return db_aggregate.get_by_id(conn, aggregate_id)

    def create(self, ctx, name, availability_zone=None):
        metadata = {AZ_KEY: availability_zone} if availability_zone else None
        with self.cells.api.writer(ctx) as conn:
            agg = db_aggregate.create(conn, name, metadata=metadata)
        self._tell_schedulers(ctx)
        return agg

    def update(self, ctx, aggregate_id, name=None, zone_given=False,
               availability_zone=None):
        """Rename and/or set the zone (which cannot be emptied: Nova's
        rule)."""
        with self.cells.api.writer(ctx) as conn:
            agg = db_aggregate.get_by_id(conn, aggregate_id)
            if zone_given:
                self._check_zone_of_hosts(
                    conn, agg, availability_zone,
                    InvalidAggregateActionUpdate)
            if name is not None and name != agg['name']:
                agg = db_aggregate.rename(conn, agg['uuid'], name)
            if zone_given:
                agg = db_aggregate.update_metadata(
                    conn, agg['uuid'], {AZ_KEY: availability_zone})
        self._tell_schedulers(ctx)
        return agg

    def set_metadata(self, ctx, aggregate_id, metadata):
        with self.cells.api.writer(ctx) as conn:
            agg = db_aggregate.get_by_id(conn, aggregate_id)
            if AZ_KEY in metadata:
                self._check_zone_of_hosts(conn, agg, metadata[AZ_KEY],
                                          InvalidAggregateActionUpdateMeta)
            agg = db_aggregate.update_metadata(conn, agg['uuid'], metadata)
        self._tell_schedulers(ctx)
        return agg

    def delete(self, ctx, aggregate_id):
        with self.cells.api.writer(ctx) as conn:
            agg = db_aggregate.get_by_id(conn, aggregate_id)
            if agg['hosts']:
                raise InvalidAggregateActionDelete(
                    aggregate_id=aggregate_id,
                    reason='Host aggregate is not empty')
            db_aggregate.delete(conn, agg['uuid'])
        self._tell_schedulers(ctx)

    def add_host(self, ctx, aggregate_id, host):
        service = self._compute_service(ctx, host)
        with self.cells.api.writer(ctx) as conn:
            agg = db_aggregate.get_by_id(conn, aggregate_id)
            if host in agg['hosts']:
                raise AggregateHostExists(aggregate_id=aggregate_id,
                                          host=host)
            zone = agg['metadata'].get(AZ_KEY)
            if zone:
                self._check_zone_of_hosts(conn, agg, zone,
                                          InvalidAggregateActionAdd,
                                          hosts=[host])
            agg = db_aggregate.add_host(conn, agg['uuid'], host)
        self._mirror(ctx, service, agg['uuid'],
                     placement_aggregates.add_to_aggregate)
        self._tell_schedulers(ctx)
        return agg

    def remove_host(self, ctx, aggregate_id, host):
        service = self._compute_service(ctx, host)
        with self.cells.api.writer(ctx) as conn:
            agg = db_aggregate.get_by_id(conn, aggregate_id)
            if host not in agg['hosts']:
                raise AggregateHostNotFound(aggregate_id=aggregate_id,
                                            host=host)
            agg = db_aggregate.remove_host(conn, agg['uuid'], host)
        self._mirror(ctx, service, agg['uuid'],
                     placement_aggregates.remove_from_aggregate)
        self._tell_schedulers(ctx)
        return agg

    # -- helpers --------------------------------------------------------------

    def _compute_service(self, ctx, host):
        found = self.hosts.services(ctx, host=host,
                                    binary=hosts_api.COMPUTE_BINARY)
        if not found:
            raise exception.ComputeHostNotFound(host=host)
        return found[0]

    @staticmethod
    def _zones_of_host(conn, host, but=None):
        return {a['metadata'][AZ_KEY]
                for a in db_aggregate.get_by_host(conn, host, key=AZ_KEY)
                if a['id'] != but}

    def _check_zone_of_hosts(self, conn, agg, zone, error, hosts=None):
        """*zone* for *agg* (or for *hosts* joining it): not empty, and
        none of the hosts in another zone already."""
        if not zone:
            raise error(aggregate_id=agg['id'],
                        reason='Aggregate %s does not support empty named '
                               'availability zone' % agg['name'])
        clashing = set()
        for host in (agg['hosts'] if hosts is None else hosts):
            clashing |= self._zones_of_host(conn, host, agg['id']) - {zone}
        if clashing:
            raise error(aggregate_id=agg['id'],
                        reason='One or more hosts already in availability '
                               'zone(s) %s' % sorted(clashing))

    def _tell_schedulers(self, ctx):
        if self.scheduler is None:
            return
        try:
            self.scheduler.update_aggregates(ctx)
        except exception.NovaCoreException as exc:
            # The change is made; schedulers see it when their cache
            # expires.
            LOG.warning('Could not tell the schedulers that aggregates '
                        'changed: %s', exc)

    def _mirror(self, ctx, service, aggregate_uuid, change):
        """The membership change on the providers of the host's nodes."""
        if self.placement is None:
            return
        with db_cells.target_cell(ctx, service['cell'],
                                  cells=self.cells) as cctx:
            with cctx.db_connection.reader(cctx) as conn:
                nodes = db_compute_node.get_all(conn, host=service['host'])
        for node in nodes:
            try:
                change(ctx, self.placement, node['uuid'], aggregate_uuid)
            except (exception.PlacementAPIError,
                    exception.PlacementUnreachable,
                    exception.ResourceProviderGenerationConflict) as exc:
                LOG.warning('Placement aggregate %s of provider %s (host '
                            '%s) not updated: %s', aggregate_uuid,
                            node['uuid'], service['host'], exc)
