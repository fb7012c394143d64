"""Providers and allocations made through the API, for inventory and usage tests."""

from oslo_utils import uuidutils


def provider(client, name=None, uuid=None):
    """POST a provider; returns its uuid."""
    uuid = uuid or uuidutils.generate_uuid()
    resp = client.post('/resource_providers', microversion='1.20',
                       json={'name': name or 'rp-%s' % uuid, 'uuid': uuid})
    assert resp.status_code == 200, resp.text
    return uuid


def generation(client, uuid):
    return client.get('/resource_providers/%s' % uuid).json()['generation']


def allocate(client, rp_uuid, resources, consumer=None, project='p1',
             user='u1', consumer_type=None):
    """Add ``{class: amount}`` of provider *rp_uuid* to *consumer*'s
    allocations (a new consumer if None); returns the consumer's uuid.

    Without *consumer_type* the consumer is written as before 1.38, so that
    it has none ("unknown" in usage reports).
    """
    consumer = consumer or uuidutils.generate_uuid()
    url = '/allocations/%s' % consumer
    current = client.get(url, microversion='1.38').json()
    allocations = {rp: {'resources': dict(alloc['resources'])}
                   for rp, alloc in current['allocations'].items()}
    allocations.setdefault(rp_uuid, {'resources': {}})['resources'].update(
        resources)
    body = {'allocations': allocations, 'project_id': project,
            'user_id': user,
            'consumer_generation': current.get('consumer_generation')}
    version = '1.36'
    if consumer_type:
        body['consumer_type'] = consumer_type
        version = '1.38'
    resp = client.put(url, json=body, microversion=version)
    assert resp.status_code == 204, resp.text
    return consumer
