"""SQL that selects resource providers by tree, aggregates, traits and capacity.

The tree, aggregate and trait functions return a condition on a column
holding provider ids (a ``resource_providers.id`` or any foreign key to
it), so that listings and candidate searches can AND them into one query;
capacity is a query of its own (see :func:`with_capacity`). Trait names
are resolved first: an unknown one is an error, not an empty result.
"""

import sqlalchemy as sa

from nova_core.placement.db.aggregate import placement_aggregates as agg_t
from nova_core.placement.db.aggregate import \
    resource_provider_aggregates as rpa_t
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.inventory import inventories as inv_t
from nova_core.placement.db.resource_provider import \
    resource_provider_traits as rpt_t
from nova_core.placement.db.resource_provider import resource_providers as rp_t
from nova_core.placement.objects import trait as trait_obj


def in_tree(rp_id, uuid):
    """Providers in the same tree as the provider *uuid* (none if unknown)."""
    other = rp_t.alias('in_tree_rp')
    root = sa.select(other.c.root_provider_id).where(
        other.c.uuid == uuid).scalar_subquery()
    tree = rp_t.alias('tree_rp')
    return rp_id.in_(sa.select(tree.c.id).where(
        tree.c.root_provider_id == root))


def _in_aggregates(uuids):
    """Ids of the providers associated with any of the aggregates *uuids*."""
    return sa.select(rpa_t.c.resource_provider_id).select_from(
        rpa_t.join(agg_t, agg_t.c.id == rpa_t.c.aggregate_id)).where(
            agg_t.c.uuid.in_(sorted(uuids)))


def member_of(rp_id, groups, forbidden=()):
    """Providers in at least one aggregate of each group, in none forbidden.

    Unknown aggregate uuids are not an error: nothing is in them.
    """
    conditions = [rp_id.in_(_in_aggregates(group)) for group in groups]
    if forbidden:
        conditions.append(rp_id.not_in(_in_aggregates(forbidden)))
    return sa.and_(sa.true(), *conditions)


def _having_traits(ids):
    return sa.select(rpt_t.c.resource_provider_id).where(
        rpt_t.c.trait_id.in_(sorted(ids)))


def traits(conn, rp_id, groups, forbidden=()):
    """Providers having, themselves, one trait of each group and none of
    *forbidden*. TraitNotFound if any name is unknown."""
    ids = trait_obj.ids_by_name(conn, set().union(forbidden, *groups))
    conditions = [rp_id.in_(_having_traits(ids[name] for name in group))
                  for group in groups]
    if forbidden:
        conditions.append(rp_id.not_in(
            _having_traits(ids[name] for name in forbidden)))
    return sa.and_(sa.true(), *conditions)


def used(inventory):
    """What is allocated of each *inventory* row's provider and class.

    A correlated subquery: one lookup in the allocations index on
    (provider, class, used) per inventory row, which stays cheap whatever
    the database knows about its tables' statistics.
    """
    return sa.select(sa.func.coalesce(sa.func.sum(alloc_t.c.used), 0)).where(
        alloc_t.c.resource_provider_id == inventory.c.resource_provider_id,
        alloc_t.c.resource_class_id == inventory.c.resource_class_id,
    ).correlate(inventory).scalar_subquery()


def fits(inventory, amount):
    """*amount* can still be allocated from each *inventory* row.

    Room: used + amount <= (total - reserved) * allocation_ratio; and the
    amount respects min_unit, max_unit and step_size.
    """
    amount = sa.literal(amount, sa.Integer)
    return sa.and_(
        used(inventory) + amount <= (
            (inventory.c.total - inventory.c.reserved)
            * inventory.c.allocation_ratio),
        inventory.c.min_unit <= amount,
        inventory.c.max_unit >= amount,
        amount % inventory.c.step_size == 0)


def with_capacity(conn, rc_id, amount):
    """Ids of the providers that can, themselves, give *amount* of *rc_id*.

    A query of its own rather than a condition: joined into a provider
    query, its unknowable selectivity led PostgreSQL to nested loops and
    MariaDB to a quadratic semi-join; alone it is one pass over the class's
    inventories on every backend.
    """
    inventory = inv_t.alias()
    return set(conn.execute(sa.select(inventory.c.resource_provider_id).where(
        inventory.c.resource_class_id == rc_id,
        fits(inventory, amount))).scalars())
