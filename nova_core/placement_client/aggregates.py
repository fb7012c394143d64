"""Host aggregates mirrored as placement aggregates of the same uuid.

Nova's compute API puts the uuid of a host aggregate on the resource
providers of the compute nodes it adds to the aggregate (and takes it off
when the host leaves): the scheduler's pre-filters then ask placement for
providers ``member_of`` the aggregates of a zone or a tenant.

Each change reads the provider's aggregates with their generation and
writes the new set with it (1.19), at 1.26 like the rest of the client:
the 409 only carries its ``placement.concurrent_update`` code from 1.23; on
that conflict it reads and tries again.
"""

import logging

from nova_core import exception
from nova_core.placement_client import error_code

LOG = logging.getLogger(__name__)

VERSION = '1.26'
CONCURRENT_UPDATE = 'placement.concurrent_update'
MAX_TRIES = 4


def _url(provider_uuid):
    return '/resource_providers/%s/aggregates' % provider_uuid


def _change(ctx, client, provider_uuid, change):
    """Apply *change(set of uuids) -> set* to the provider's aggregates."""
    url = _url(provider_uuid)
    for _attempt in range(MAX_TRIES):
        resp = client.get(ctx, url, version=VERSION)
        if resp.status_code != 200:
            client.fail('GET', url, resp)
        current = resp.json()
        wanted = change(set(current['aggregates']))
        if wanted == set(current['aggregates']):
            return sorted(wanted)
        resp = client.put(ctx, url, {
            'aggregates': sorted(wanted),
            'resource_provider_generation':
                current['resource_provider_generation']}, version=VERSION)
        if resp.status_code == 200:
            return sorted(resp.json()['aggregates'])
        if resp.status_code == 409 and error_code(resp) == CONCURRENT_UPDATE:
            LOG.debug('Generation conflict on the aggregates of %s, '
                      're-reading', provider_uuid)
            continue
        client.fail('PUT', url, resp)
    raise exception.ResourceProviderGenerationConflict(
        rp=provider_uuid, actual='changed %d times' % MAX_TRIES,
        given='?')


def add_to_aggregate(ctx, client, provider_uuid, aggregate_uuid):
    """Put *aggregate_uuid* on the provider; its aggregates after."""
    return _change(ctx, client, provider_uuid,
                   lambda current: current | {aggregate_uuid})


def remove_from_aggregate(ctx, client, provider_uuid, aggregate_uuid):
    """Take *aggregate_uuid* off the provider; its aggregates after."""
    return _change(ctx, client, provider_uuid,
                   lambda current: current - {aggregate_uuid})
