"""Traits: the standard ones from os-traits, CUSTOM_*, and provider traits."""

import collections

from oslo_db import exception as db_exc
import os_traits
import sqlalchemy as sa

from nova_core import exception
from nova_core.placement.db import api as db
from nova_core.placement.db.resource_provider import \
    resource_provider_traits as rpt_t
from nova_core.placement.db.trait import traits as trait_t
from nova_core.placement.objects import resource_provider as rp_obj

CUSTOM_PREFIX = os_traits.CUSTOM_NAMESPACE

Trait = collections.namedtuple('Trait', 'id name created_at updated_at')

_COLUMNS = (trait_t.c.id, trait_t.c.name, trait_t.c.created_at,
            trait_t.c.updated_at)


def is_custom(name):
    return name.startswith(CUSTOM_PREFIX)


def ensure_standard(conn):
    """Insert the standard traits this os-traits knows, if missing."""
    have = {row.name for row in conn.execute(sa.select(trait_t.c.name))}
    missing = [{'name': name} for name in os_traits.get_traits()
               if name not in have]
    if missing:
        conn.execute(trait_t.insert(), missing)


def get_all(ctx, name_in=None, prefix=None, associated=None):
    """Traits, optionally filtered.

    :param name_in: only these names.
    :param prefix: only names starting with this.
    :param associated: True: only traits some provider has; False: only
        traits no provider has; None: either.
    """
    query = sa.select(*_COLUMNS).order_by(trait_t.c.name)
    if name_in is not None:
        query = query.where(trait_t.c.name.in_(sorted(name_in)))
    if prefix is not None:
        # The prefix is data, not a pattern: escape LIKE's wildcards.
        escaped = prefix.replace('\\', '\\\\').replace('%', '\\%') \
            .replace('_', '\\_')
        query = query.where(trait_t.c.name.like(escaped + '%', escape='\\'))
    if associated is not None:
        used = sa.select(rpt_t.c.trait_id)
        query = query.where(trait_t.c.id.in_(used) if associated
                            else trait_t.c.id.not_in(used))
    with db.reader(ctx) as conn:
        return [Trait(*row) for row in conn.execute(query)]


def get_by_name(ctx, name):
    with db.reader(ctx) as conn:
        row = conn.execute(sa.select(*_COLUMNS).where(
            trait_t.c.name == name)).first()
    if row is None:
        raise exception.TraitNotFound(name=name)
    return Trait(*row)


def ids_by_name(conn, names):
    """``{name: id}`` for *names*; TraitNotFound names the missing ones."""
    names = set(names)
    if not names:
        return {}
    found = dict(conn.execute(sa.select(trait_t.c.name, trait_t.c.id).where(
        trait_t.c.name.in_(sorted(names)))).all())
    missing = names - set(found)
    if missing:
        raise exception.TraitNotFound(name=', '.join(sorted(missing)))
    return found


def create(ctx, name):
    """Create custom trait *name*; TraitExists if it is there."""
    try:
        with db.writer(ctx) as conn:
            result = conn.execute(trait_t.insert().values(name=name))
            return Trait(*conn.execute(sa.select(*_COLUMNS).where(
                trait_t.c.id == result.inserted_primary_key[0])).one())
    except db_exc.DBDuplicateEntry:
        raise exception.TraitExists(name=name)


def destroy(ctx, name):
    """Delete custom trait *name* unless a provider has it."""
    if not is_custom(name):
        raise exception.TraitCannotDeleteStandard(name=name)
    with db.writer(ctx) as conn:
        trait_id = conn.execute(sa.select(trait_t.c.id).where(
            trait_t.c.name == name)).scalar()
        if trait_id is None:
            raise exception.TraitNotFound(name=name)
        if conn.execute(sa.select(rpt_t.c.trait_id).where(
                rpt_t.c.trait_id == trait_id).limit(1)).first():
            raise exception.TraitInUse(name=name)
        conn.execute(trait_t.delete().where(trait_t.c.id == trait_id))


# -- traits of resource providers ---------------------------------------------

def get_for_provider(conn, provider_id):
    """Names of the traits of one provider, sorted."""
    return sorted(conn.execute(
        sa.select(trait_t.c.name)
        .select_from(trait_t.join(rpt_t, rpt_t.c.trait_id == trait_t.c.id))
        .where(rpt_t.c.resource_provider_id == provider_id)).scalars())


def get_for_providers(conn, provider_ids):
    """``{provider id: set of trait names}`` for several providers."""
    result = collections.defaultdict(set)
    query = (sa.select(rpt_t.c.resource_provider_id, trait_t.c.name)
             .select_from(trait_t.join(rpt_t, rpt_t.c.trait_id == trait_t.c.id))
             .where(rpt_t.c.resource_provider_id.in_(sorted(provider_ids))))
    for rp_id, name in conn.execute(query):
        result[rp_id].add(name)
    return result


def replace_for_provider(conn, provider_id, names):
    """Make *names* the provider's traits (the caller bumps its generation)."""
    wanted = ids_by_name(conn, names)
    have = set(conn.execute(sa.select(rpt_t.c.trait_id).where(
        rpt_t.c.resource_provider_id == provider_id)).scalars())
    to_delete = have - set(wanted.values())
    to_add = set(wanted.values()) - have
    if to_delete:
        conn.execute(rpt_t.delete().where(sa.and_(
            rpt_t.c.resource_provider_id == provider_id,
            rpt_t.c.trait_id.in_(sorted(to_delete)))))
    if to_add:
        conn.execute(rpt_t.insert(), [
            {'resource_provider_id': provider_id, 'trait_id': trait_id}
            for trait_id in sorted(to_add)])


def provider_traits(ctx, uuid):
    """``(provider, trait names)`` of the provider with *uuid*."""
    with db.reader(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        return provider, get_for_provider(conn, provider.id)


def set_provider_traits(ctx, uuid, names, generation=None):
    """Replace a provider's traits; returns ``(provider, new generation)``.

    With *generation* (the client's view) a stale view is a
    ResourceProviderConcurrentUpdateDetected; without it the change applies
    to whatever generation the provider has.
    """
    with db.writer(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        if generation is not None:
            rp_obj.check_generation(provider, generation)
        replace_for_provider(conn, provider.id, names)
        return provider, rp_obj.increment_generation(conn, provider)
