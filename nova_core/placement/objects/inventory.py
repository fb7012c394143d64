"""Inventories: how much of each resource class a provider offers.

Every change to a provider's inventory bumps the provider's generation with
a compare-and-swap in the same transaction
(:func:`resource_provider.increment_generation`), so a client that read an
older generation cannot overwrite a newer inventory.

Two layers:

- ``ctx`` functions (:func:`get_all`, :func:`set_all`, :func:`add`,
  :func:`update`, :func:`delete`, :func:`delete_all`) open their own write
  transaction and are what the inventory handlers call;
- ``conn`` functions (:func:`load_for_provider`, :func:`replace_for_provider`,
  :func:`merge_for_provider`, :func:`check_capacity`) run inside a
  transaction the caller holds, so that one request can change the
  inventories of several providers together with allocations (the
  reshaper). Each takes the provider record as last read and returns it
  with its new generation; pass that record to the next call for the same
  provider.
"""

import collections
import logging

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core import exception
from nova_core.placement.db import api as db
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db import base
from nova_core.placement.db.inventory import inventories as inv_t
from nova_core.placement.db.resource_class import resource_classes as rc_t
from nova_core.placement.objects import resource_class as rc_obj
from nova_core.placement.objects import resource_provider as rp_obj

LOG = logging.getLogger(__name__)

# The writable fields, in the order of the API's representation.
FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
          'allocation_ratio')


class Inventory(collections.namedtuple('Inventory', (
        'resource_class',) + FIELDS + ('created_at', 'updated_at'),
        defaults=(0, 1, base.MAX_INT, 1, 1.0, None, None))):
    """One provider's inventory of one resource class.

    The defaults of the optional fields are the placement API's.
    """

    __slots__ = ()

    @property
    def capacity(self):
        """What can be allocated: (total - reserved) * allocation_ratio."""
        return int((self.total - self.reserved) * self.allocation_ratio)


_QUERY = sa.select(
    rc_t.c.name, *(inv_t.c[field] for field in FIELDS),
    inv_t.c.created_at, inv_t.c.updated_at,
).select_from(inv_t.join(rc_t, inv_t.c.resource_class_id == rc_t.c.id))


def find(inventories, resource_class):
    """The inventory of *resource_class* among *inventories*, or None."""
    for inventory in inventories:
        if inventory.resource_class == resource_class:
            return inventory
    return None


def check_capacity(provider, inventories, reserved_can_be_total):
    """Refuse an inventory that leaves nothing (or less) to allocate.

    With *reserved_can_be_total* (microversion 1.26 and later) a capacity
    of zero is allowed, a negative one is not.
    """
    for inventory in inventories:
        if inventory.capacity < 0 or (
                inventory.capacity == 0 and not reserved_can_be_total):
            cls = (exception.InvalidInventoryCapacityReservedCanBeTotal
                   if reserved_can_be_total
                   else exception.InvalidInventoryCapacity)
            raise cls(resource_class=inventory.resource_class,
                      resource_provider=provider.uuid)


# -- inside a caller's transaction --------------------------------------------

def load_for_provider(conn, provider):
    """The inventories of *provider*, sorted by resource class name."""
    return [Inventory(*row) for row in conn.execute(
        _QUERY.where(inv_t.c.resource_provider_id == provider.id)
        .order_by(rc_t.c.name))]


def replace_for_provider(conn, provider, inventories):
    """Make *inventories* the whole inventory of *provider*.

    Classes not in *inventories* are deleted (InventoryInUse if any has
    allocations), the others added or updated; an update below what is
    already allocated is allowed and logged. Returns *provider* with its
    new generation (ResourceProviderConcurrentUpdateDetected if somebody
    changed the provider since *provider* was read). ResourceClassNotFound
    if a class does not exist.
    """
    wanted = _by_class_id(conn, inventories)
    provider = _bumped(conn, provider)
    have = _current_class_ids(conn, provider)
    _delete(conn, provider, set(have) - set(wanted))
    _write(conn, provider, wanted, have)
    return provider


def merge_for_provider(conn, provider, inventories):
    """Add or update *inventories* on *provider*, keeping its other ones.

    The reshaper's interim step: the union of old and new inventories lets
    allocations move before the old classes go. Returns *provider* with its
    new generation, as :func:`replace_for_provider` does.
    """
    wanted = _by_class_id(conn, inventories)
    provider = _bumped(conn, provider)
    _write(conn, provider, wanted, _current_class_ids(conn, provider))
    return provider


def _by_class_id(conn, inventories):
    ids = rc_obj.ids_by_name(conn, [inv.resource_class for inv in inventories])
    return {ids[inv.resource_class]: inv for inv in inventories}


def _current_class_ids(conn, provider):
    """``{resource class id: name}`` of the provider's inventories."""
    return dict(conn.execute(
        sa.select(inv_t.c.resource_class_id, rc_t.c.name)
        .select_from(inv_t.join(rc_t, inv_t.c.resource_class_id == rc_t.c.id))
        .where(inv_t.c.resource_provider_id == provider.id)).all())


def _write(conn, provider, wanted, have):
    """Insert or update the *wanted* ``{class id: Inventory}``."""
    new = sorted(set(wanted) - set(have))
    if new:
        try:
            conn.execute(inv_t.insert(), [
                _values(wanted[rc_id], resource_provider_id=provider.id,
                        resource_class_id=rc_id) for rc_id in new])
        except db_exc.DBDuplicateEntry:
            # Inserted by a concurrent writer since we looked.
            raise exception.ResourceProviderConcurrentUpdateDetected()
    for rc_id in sorted(set(wanted) & set(have)):
        _update_row(conn, provider, rc_id, wanted[rc_id])


def _values(inventory, **extra):
    values = {field: getattr(inventory, field) for field in FIELDS}
    values.update(extra)
    return values


def _update_row(conn, provider, rc_id, inventory):
    used = conn.execute(sa.select(sa.func.sum(alloc_t.c.used)).where(
        alloc_t.c.resource_provider_id == provider.id,
        alloc_t.c.resource_class_id == rc_id)).scalar()
    if used is not None and used > inventory.capacity:
        # Allowed on purpose: an operator may shrink an inventory (a failed
        # disk) below what is in use; new allocations will fail instead.
        LOG.warning('Resource provider %s is now over-capacity for %s',
                    provider.uuid, inventory.resource_class)
    result = conn.execute(inv_t.update().where(
        inv_t.c.resource_provider_id == provider.id,
        inv_t.c.resource_class_id == rc_id).values(_values(inventory)))
    if not result.rowcount:
        raise exception.InventoryWithResourceClassNotFound(
            resource_class=inventory.resource_class)


def _delete(conn, provider, rc_ids):
    """Delete the provider's inventories of *rc_ids*; refused if in use."""
    if not rc_ids:
        return 0
    # Named in class id order (standard classes first, in
    # os-resource-classes order), as upstream's message does.
    in_use = conn.execute(
        sa.select(rc_t.c.id, rc_t.c.name).distinct()
        .select_from(alloc_t.join(rc_t, alloc_t.c.resource_class_id ==
                                  rc_t.c.id))
        .where(alloc_t.c.resource_provider_id == provider.id,
               alloc_t.c.resource_class_id.in_(sorted(rc_ids)))
        .order_by(rc_t.c.id)).all()
    if in_use:
        raise exception.InventoryInUse(
            resource_classes=', '.join(name for _id, name in in_use),
            resource_provider=provider.uuid)
    return conn.execute(inv_t.delete().where(
        inv_t.c.resource_provider_id == provider.id,
        inv_t.c.resource_class_id.in_(sorted(rc_ids)))).rowcount


def _bumped(conn, provider):
    """*provider* with its generation bumped (compare-and-swap).

    Done before any other write: the row lock it takes makes every writer
    of this provider's inventory or allocations wait for this transaction,
    so the checks that follow (in use, over capacity) cannot race.
    """
    return provider._replace(
        generation=rp_obj.increment_generation(conn, provider))


# -- one transaction each -------------------------------------------------------

def get_all(ctx, uuid):
    """``(provider, inventories)`` of the provider with *uuid*."""
    with db.reader(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        return provider, load_for_provider(conn, provider)


def set_all(ctx, uuid, inventories, generation=None):
    """Replace all inventories of the provider with *uuid*.

    *generation* is the client's view of the provider (None: any). Returns
    ``(provider with its new generation, inventories as stored)``.
    """
    with db.writer(ctx) as conn:
        provider = _load_checked(conn, uuid, generation)
        provider = replace_for_provider(conn, provider, inventories)
        return provider, load_for_provider(conn, provider)


def add(ctx, uuid, inventory):
    """Add the inventory of a class the provider has none of.

    InventoryExists if it has. Returns ``(provider, inventory as stored)``.
    """
    try:
        with db.writer(ctx) as conn:
            provider = rp_obj.load_by_uuid(conn, uuid)
            rc_id = rc_obj.ids_by_name(conn, [inventory.resource_class])[
                inventory.resource_class]
            provider = _bumped(conn, provider)
            if rc_id in _current_class_ids(conn, provider):
                raise exception.InventoryExists(
                    resource_class=inventory.resource_class,
                    resource_provider=uuid)
            conn.execute(inv_t.insert().values(_values(
                inventory, resource_provider_id=provider.id,
                resource_class_id=rc_id)))
            return provider, find(load_for_provider(conn, provider),
                                  inventory.resource_class)
    except db_exc.DBDuplicateEntry:
        raise exception.InventoryExists(
            resource_class=inventory.resource_class, resource_provider=uuid)


def update(ctx, uuid, inventory, generation=None):
    """Update the provider's inventory of ``inventory.resource_class``.

    InventoryWithResourceClassNotFound if the provider has none of it.
    Returns ``(provider, inventory as stored)``.
    """
    with db.writer(ctx) as conn:
        provider = _load_checked(conn, uuid, generation)
        rc_id = rc_obj.ids_by_name(conn, [inventory.resource_class])[
            inventory.resource_class]
        provider = _bumped(conn, provider)
        _update_row(conn, provider, rc_id, inventory)
        return provider, find(load_for_provider(conn, provider),
                              inventory.resource_class)


def delete(ctx, uuid, resource_class):
    """Delete the provider's inventory of *resource_class*.

    InventoryWithResourceClassNotFound if there is none, InventoryInUse if
    it has allocations. Returns the provider with its new generation.
    """
    with db.writer(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        rc_id = rc_obj.ids_by_name(conn, [resource_class])[resource_class]
        provider = _bumped(conn, provider)
        if not _delete(conn, provider, {rc_id}):
            raise exception.InventoryWithResourceClassNotFound(
                resource_class=resource_class)
        return provider


def delete_all(ctx, uuid):
    """Delete all of the provider's inventories (its generation is bumped
    even if it had none). Returns the provider with its new generation."""
    return set_all(ctx, uuid, [])[0]


def _load_checked(conn, uuid, generation):
    provider = rp_obj.load_by_uuid(conn, uuid)
    if generation is not None:
        rp_obj.check_generation(provider, generation)
    return provider
