"""What a compute reports to placement: its provider tree, inventories and traits.

Functions take the caller's context, a :class:`PlacementClient` and a
:class:`ProviderCache` (one per resource tracker). The cache remembers each
provider's generation and last-known inventories, traits and aggregates, so
that a periodic update costs one GET when nothing changed, and writes only
what differs. Writes carry the provider generation; on a 409
``placement.concurrent_update`` the provider is re-read and the write tried
again (someone else, an operator or another service, changed it meanwhile).

Microversions: 1.26 for everything (1.6 traits, 1.14 nested providers and
``in_tree``, 1.19 aggregates with generation, 1.20 POST returning the
provider, 1.26 reserved may equal total).
"""

import copy
import logging
import threading

from nova_core import exception
from nova_core.placement_client import error_code

LOG = logging.getLogger(__name__)

VERSION = '1.26'
CONCURRENT_UPDATE = 'placement.concurrent_update'
# Tries of a generation-checked write before giving up until next time.
MAX_TRIES = 4

_INVENTORY_DEFAULTS = {'reserved': 0, 'min_unit': 1, 'step_size': 1,
                       'allocation_ratio': 1.0}


def _rp_url(uuid, sub=''):
    return '/resource_providers/%s%s' % (uuid, sub)


def normalize_inventory(inventories):
    """{rc: inventory} with every field filled in, for comparisons."""
    out = {}
    for rc, inv in (inventories or {}).items():
        rec = dict(_INVENTORY_DEFAULTS)
        rec['max_unit'] = inv.get('total')
        rec.update({k: v for k, v in inv.items()
                    if k in ('total', 'reserved', 'min_unit', 'max_unit',
                             'step_size', 'allocation_ratio')})
        rec['allocation_ratio'] = float(rec['allocation_ratio'])
        out[rc] = rec
    return out


class ProviderCache:
    """Last-known state of providers in placement, keyed by uuid (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._providers = {}

    def get(self, uuid):
        with self._lock:
            rec = self._providers.get(uuid)
            return copy.deepcopy(rec) if rec else None

    def put(self, rec):
        with self._lock:
            self._providers[rec['uuid']] = copy.deepcopy(rec)

    def update(self, uuid, **fields):
        with self._lock:
            rec = self._providers.get(uuid)
            if rec is not None:
                rec.update(copy.deepcopy(fields))

    def forget(self, uuid):
        with self._lock:
            self._providers.pop(uuid, None)

    def generation(self, uuid):
        with self._lock:
            rec = self._providers.get(uuid)
            return rec.get('generation') if rec else None

    def tree(self, root_uuid):
        """Cached providers of the tree rooted at *root_uuid*."""
        with self._lock:
            return [copy.deepcopy(r) for r in self._providers.values()
                    if r.get('root_provider_uuid') == root_uuid]


# -- reading ---------------------------------------------------------------------

def get_provider(ctx, client, uuid):
    """Placement's provider record, or None when there is none."""
    url = _rp_url(uuid)
    resp = client.get(ctx, url, version=VERSION)
    if resp.status_code == 404:
        return None
    if resp.status_code != 200:
        client.fail('GET', url, resp)
    return resp.json()


def _get_json(ctx, client, url):
    resp = client.get(ctx, url, version=VERSION)
    if resp.status_code != 200:
        client.fail('GET', url, resp)
    return resp.json()


def _refresh_details(ctx, client, cache, rec):
    """Cache *rec* with its inventories, traits and aggregates."""
    uuid = rec['uuid']
    inv = _get_json(ctx, client, _rp_url(uuid, '/inventories'))
    traits = _get_json(ctx, client, _rp_url(uuid, '/traits'))
    aggs = _get_json(ctx, client, _rp_url(uuid, '/aggregates'))
    full = {key: rec.get(key) for key in (
        'uuid', 'name', 'parent_provider_uuid', 'root_provider_uuid')}
    # The newest generation seen: reads may race a write by someone else.
    full['generation'] = max(inv['resource_provider_generation'],
                             traits['resource_provider_generation'],
                             aggs['resource_provider_generation'])
    full['inventories'] = normalize_inventory(inv['inventories'])
    full['traits'] = sorted(traits['traits'])
    full['aggregates'] = sorted(aggs['aggregates'])
    cache.put(full)
    return full


def read_tree(ctx, client, cache, root_uuid):
    """Placement's providers of the tree at *root_uuid*, parents first.

    One GET ``?in_tree=``; details are re-read only for providers whose
    generation moved since the cache saw them. Providers gone from
    placement are dropped from the cache. An unknown root gives [].
    """
    url = '/resource_providers?in_tree=%s' % root_uuid
    resp = client.get(ctx, url, version=VERSION)
    if resp.status_code == 400 or resp.status_code == 404:
        # 1.14 answers 400 for an in_tree provider that does not exist.
        listed = []
    elif resp.status_code != 200:
        client.fail('GET', url, resp)
    else:
        listed = resp.json()['resource_providers']
    seen = set()
    out = []
    for rec in _parents_first(listed):
        seen.add(rec['uuid'])
        cached = cache.get(rec['uuid'])
        if cached is None or cached.get('generation') != rec['generation']:
            cached = _refresh_details(ctx, client, cache, rec)
        out.append(cached)
    for stale in cache.tree(root_uuid):
        if stale['uuid'] not in seen:
            cache.forget(stale['uuid'])
    return out


def _parents_first(records):
    by_parent = {}
    for rec in records:
        by_parent.setdefault(rec.get('parent_provider_uuid'), []).append(rec)
    out = []
    todo = sorted(by_parent.get(None, []), key=lambda r: r['name'])
    while todo:
        rec = todo.pop(0)
        out.append(rec)
        todo.extend(sorted(by_parent.get(rec['uuid'], []),
                           key=lambda r: r['name']))
    return out


def get_aggregates(ctx, client, cache, uuid):
    """Aggregate uuids of a provider (fresh from placement)."""
    body = _get_json(ctx, client, _rp_url(uuid, '/aggregates'))
    cache.update(uuid, aggregates=sorted(body['aggregates']),
                 generation=body['resource_provider_generation'])
    return sorted(body['aggregates'])


# -- providers ---------------------------------------------------------------------

def ensure_provider(ctx, client, cache, uuid, name, parent_uuid=None):
    """The provider *uuid*, created (named *name*, under *parent_uuid*) if missing.

    A provider that exists under another name is renamed. Raises
    PlacementAPIError on conflicts placement reports (another provider
    already has *name*).
    """
    rec = cache.get(uuid) or get_provider(ctx, client, uuid)
    if rec is None:
        body = {'uuid': uuid, 'name': name}
        if parent_uuid:
            body['parent_provider_uuid'] = parent_uuid
        resp = client.post(ctx, '/resource_providers', body, version=VERSION)
        if resp.status_code != 200:
            client.fail('POST', '/resource_providers', resp)
        rec = resp.json()
        LOG.info('Created resource provider %s (%s)', name, uuid)
        rec.update(inventories={}, traits=[], aggregates=[])
        cache.put(rec)
        return rec
    if rec['name'] != name:
        url = _rp_url(uuid)
        body = {'name': name}
        if rec.get('parent_provider_uuid'):
            body['parent_provider_uuid'] = rec['parent_provider_uuid']
        resp = client.put(ctx, url, body, version=VERSION)
        if resp.status_code != 200:
            client.fail('PUT', url, resp)
        rec['name'] = name
        rec['generation'] = resp.json()['generation']
    if 'inventories' not in rec:
        rec = _refresh_details(ctx, client, cache, rec)
    else:
        cache.put(rec)
    return rec


def delete_provider(ctx, client, cache, uuid):
    """Delete a provider; True if gone, False if placement refused (in use)."""
    url = _rp_url(uuid)
    resp = client.delete(ctx, url, version=VERSION)
    if resp.status_code in (204, 404):
        cache.forget(uuid)
        return True
    if resp.status_code == 409:
        LOG.warning('Cannot delete resource provider %s: %s', uuid, resp.text)
        return False
    client.fail('DELETE', url, resp)


# -- generation-checked writes -------------------------------------------------------

def _write_with_generation(ctx, client, cache, uuid, sub, body_fn, what):
    """PUT *sub* of provider *uuid*; retry on generation conflicts.

    *body_fn(generation)* builds the body. Returns the response JSON.
    """
    url = _rp_url(uuid, sub)
    generation = cache.generation(uuid)
    for _attempt in range(MAX_TRIES):
        if generation is None:
            rec = get_provider(ctx, client, uuid)
            if rec is None:
                raise exception.PlacementAPIError(
                    method='PUT', url=url, status=404,
                    detail='provider %s vanished' % uuid)
            generation = rec['generation']
        resp = client.put(ctx, url, body_fn(generation), version=VERSION)
        if resp.status_code == 200:
            body = resp.json()
            cache.update(uuid, generation=body['resource_provider_generation'])
            return body
        if resp.status_code == 409 and error_code(resp) == CONCURRENT_UPDATE:
            LOG.debug('Generation conflict setting %s of %s, re-reading',
                      what, uuid)
            generation = None
            continue
        client.fail('PUT', url, resp)
    raise exception.ResourceProviderGenerationConflict(
        rp=uuid, actual='changed %d times' % MAX_TRIES, given=generation)


def set_inventories(ctx, client, cache, uuid, inventories):
    """Make the provider's inventories exactly *inventories*; new generation."""
    wanted = normalize_inventory(inventories)

    def body(generation):
        return {'resource_provider_generation': generation,
                'inventories': wanted}

    result = _write_with_generation(ctx, client, cache, uuid, '/inventories',
                                    body, 'inventories')
    cache.update(uuid, inventories=normalize_inventory(result['inventories']))
    return result['resource_provider_generation']


def ensure_traits_exist(ctx, client, traits):
    """Create the custom traits among *traits* (standard ones always exist)."""
    for name in traits:
        if not name.startswith('CUSTOM_'):
            continue
        url = '/traits/%s' % name
        resp = client.put(ctx, url, None, version=VERSION)
        if resp.status_code not in (201, 204):
            client.fail('PUT', url, resp)


def set_traits(ctx, client, cache, uuid, traits):
    """Make the provider's traits exactly *traits*; new generation."""
    wanted = sorted(set(traits))
    ensure_traits_exist(ctx, client, wanted)

    def body(generation):
        return {'resource_provider_generation': generation, 'traits': wanted}

    result = _write_with_generation(ctx, client, cache, uuid, '/traits',
                                    body, 'traits')
    cache.update(uuid, traits=sorted(result['traits']))
    return result['resource_provider_generation']


# -- the whole tree ------------------------------------------------------------------

def sync_tree(ctx, client, cache, root_uuid, desired):
    """Make placement's tree at *root_uuid* look like *desired*.

    *desired* is ``ProviderTree.to_list()`` (parents first; ``uuid``,
    ``name``, ``parent_provider_uuid``, ``inventories``, ``traits``).
    Providers of the tree missing from *desired* are deleted (children
    first; one with allocations stays, with a warning). Call
    :func:`read_tree` first so that the cache is current. Raises the first
    error met, after trying every provider.
    """
    wanted = {rec['uuid'] for rec in desired}
    errors = []
    known = _parents_first(cache.tree(root_uuid))
    for rec in reversed(known):
        if rec['uuid'] not in wanted:
            delete_provider(ctx, client, cache, rec['uuid'])
    for rec in desired:
        try:
            _sync_one(ctx, client, cache, rec)
        except (exception.PlacementAPIError,
                exception.ResourceProviderGenerationConflict) as exc:
            LOG.warning('Could not update resource provider %s (%s): %s',
                        rec['name'], rec['uuid'], exc)
            errors.append(exc)
    if errors:
        raise errors[0]


def _sync_one(ctx, client, cache, rec):
    current = ensure_provider(ctx, client, cache, rec['uuid'], rec['name'],
                              rec.get('parent_provider_uuid'))
    inventories = normalize_inventory(rec.get('inventories'))
    if normalize_inventory(current.get('inventories')) != inventories:
        set_inventories(ctx, client, cache, rec['uuid'], inventories)
    traits = sorted(set(rec.get('traits') or ()))
    if sorted(current.get('traits') or ()) != traits:
        set_traits(ctx, client, cache, rec['uuid'], traits)


# -- allocations ------------------------------------------------------------------------

def delete_allocation_for_instance(ctx, client, consumer_uuid):
    """Remove every allocation of *consumer_uuid*; True if there were some."""
    url = '/allocations/%s' % consumer_uuid
    resp = client.delete(ctx, url, version=VERSION)
    if resp.status_code == 204:
        return True
    if resp.status_code == 404:
        return False
    client.fail('DELETE', url, resp)
