"""Claiming, reading, moving and removing a consumer's placement allocations.

The scheduler claims for each instance it places; the conductor moves a
claim to an alternate host on reschedule and removes the claims of failed
attempts. Writes carry consumer generations (microversion 1.28+), so two
writers on one consumer never overwrite each other silently.
"""

import logging
import random
import time

LOG = logging.getLogger(__name__)

# 1.38: consumer generations (1.28), mappings accepted in the body (1.34)
# and consumer types (1.38), which every write then names.
ALLOCATIONS_VERSION = '1.38'

# Nova's consumer type of an instance's allocations.
INSTANCE = 'INSTANCE'

# A provider generation race (placement.concurrent_update) is worth a retry:
# the answer may well be different a moment later.
CLAIM_RETRIES = 4

_CONCURRENT_UPDATE = 'placement.concurrent_update'
_CONSUMER_CONFLICT = 'consumer generation conflict'


def _conflict_kind(resp):
    """'consumer', 'retry' or 'capacity' for a 409 answer."""
    try:
        error = resp.json()['errors'][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return 'capacity'
    detail = error.get('detail') or ''
    if _CONSUMER_CONFLICT in detail:
        return 'consumer'
    if error.get('code') == _CONCURRENT_UPDATE:
        return 'retry'
    return 'capacity'


def _pause(attempt):
    # Spread the retries of schedulers racing for the same providers.
    time.sleep(random.uniform(0, 0.02 * (attempt + 1)))


def _body(allocation_request, project_id, user_id, consumer_generation,
          consumer_type=INSTANCE):
    body = {
        'allocations': {
            rp: {'resources': dict(alloc['resources'])}
            for rp, alloc in allocation_request['allocations'].items()},
        'project_id': project_id,
        'user_id': user_id,
        'consumer_generation': consumer_generation,
        'consumer_type': consumer_type or INSTANCE,
    }
    if allocation_request.get('mappings'):
        body['mappings'] = allocation_request['mappings']
    return body


def claim_resources(ctx, client, consumer_uuid, allocation_request,
                    project_id, user_id, consumer_generation=None):
    """Write *allocation_request* for *consumer_uuid*; True if it holds.

    ``consumer_generation`` None means a new consumer. Provider generation
    races are retried; False when the providers lack the capacity now or
    the consumer's generation is not the one given (someone else wrote
    allocations for it).
    """
    url = '/allocations/%s' % consumer_uuid
    body = _body(allocation_request, project_id, user_id,
                 consumer_generation)
    for attempt in range(CLAIM_RETRIES):
        resp = client.put(ctx, url, body, version=ALLOCATIONS_VERSION)
        if resp.status_code == 204:
            return True
        if resp.status_code != 409:
            client.fail('PUT', url, resp)
        kind = _conflict_kind(resp)
        if kind != 'retry':
            LOG.info('Claim for consumer %s refused (%s conflict): %s',
                     consumer_uuid, kind, resp.text)
            return False
        _pause(attempt)
    LOG.warning('Claim for consumer %s still racing after %d attempts',
                consumer_uuid, CLAIM_RETRIES)
    return False


def claim_many(ctx, client, claims, project_id, user_id):
    """Write the allocation requests of several new consumers at once
    (POST /allocations, one transaction): True if all hold, False if
    placement refused them (nothing is written then).

    :param claims: ``[(consumer uuid, allocation request)]``.
    """
    body = {uuid: _body(request, project_id, user_id, None)
            for uuid, request in claims}
    for attempt in range(CLAIM_RETRIES):
        resp = client.post(ctx, '/allocations', body,
                           version=ALLOCATIONS_VERSION)
        if resp.status_code == 204:
            return True
        if resp.status_code != 409:
            client.fail('POST', '/allocations', resp)
        kind = _conflict_kind(resp)
        if kind != 'retry':
            LOG.info('Claims of %d consumers refused together (%s '
                     'conflict): %s', len(claims), kind, resp.text)
            return False
        _pause(attempt)
    LOG.warning('Claims of %d consumers still racing after %d attempts',
                len(claims), CLAIM_RETRIES)
    return False


def get_allocations_for_consumer(ctx, client, consumer_uuid):
    """Placement's body: {allocations: {rp: {resources, generation}},
    consumer_generation, project_id, user_id, consumer_type}; allocations
    {} if none."""
    url = '/allocations/%s' % consumer_uuid
    resp = client.get(ctx, url, version=ALLOCATIONS_VERSION)
    if resp.status_code != 200:
        client.fail('GET', url, resp)
    body = resp.json()
    body.setdefault('allocations', {})
    body.setdefault('consumer_generation', None)
    body.setdefault('consumer_type', None)
    return body


def remove_allocations(ctx, client, consumer_uuid):
    """Remove every allocation of a consumer; True if there were any.

    Removed with the consumer generation read just before (an empty PUT),
    so that a concurrent writer is noticed and the removal retried rather
    than racing; a consumer placement does not know is not an error.
    """
    url = '/allocations/%s' % consumer_uuid
    for attempt in range(CLAIM_RETRIES):
        current = get_allocations_for_consumer(ctx, client, consumer_uuid)
        if not current['allocations']:
            return False
        body = {'allocations': {},
                'project_id': current.get('project_id'),
                'user_id': current.get('user_id'),
                'consumer_generation': current['consumer_generation'],
                'consumer_type': current.get('consumer_type') or INSTANCE}
        resp = client.put(ctx, url, body, version=ALLOCATIONS_VERSION)
        if resp.status_code == 204:
            return True
        if resp.status_code != 409:
            client.fail('PUT', url, resp)
        _pause(attempt)
    # Still racing: the consumer is going away, whatever writes to it.
    resp = client.delete(ctx, url, version=ALLOCATIONS_VERSION)
    if resp.status_code not in (204, 404):
        client.fail('DELETE', url, resp)
    return resp.status_code == 204


def replace_allocations(ctx, client, consumer_uuid, allocation_request,
                        project_id, user_id):
    """Swap a consumer's allocations for *allocation_request* in one write.

    Used to move a claim to an alternate host: the old allocations go and
    the new ones come in the same transaction, so the consumer never holds
    both or neither. True on success, False if the alternate lacks the
    capacity (the old allocations then stay; the caller removes them).
    """
    url = '/allocations/%s' % consumer_uuid
    for attempt in range(CLAIM_RETRIES):
        current = get_allocations_for_consumer(ctx, client, consumer_uuid)
        generation = current['consumer_generation']
        body = _body(allocation_request, project_id, user_id, generation,
                     current.get('consumer_type'))
        resp = client.put(ctx, url, body, version=ALLOCATIONS_VERSION)
        if resp.status_code == 204:
            return True
        if resp.status_code != 409:
            client.fail('PUT', url, resp)
        if _conflict_kind(resp) == 'capacity':
            LOG.info('Moving consumer %s: alternate refused: %s',
                     consumer_uuid, resp.text)
            return False
        _pause(attempt)
    return False


# The name SPEC.md gives the conductor's reschedule step.
move_claim_to_alternate = replace_allocations
