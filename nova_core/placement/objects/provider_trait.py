"""Traits of resource providers: which providers have which traits."""

import sqlalchemy as sa

from nova_core.placement.db import api as db
from nova_core.placement.db.resource_provider import \
    resource_provider_traits as rpt_t
from nova_core.placement.db.trait import traits as trait_t
from nova_core.placement.objects import resource_provider as rp_obj
from nova_core.placement.objects import trait as trait_obj


def load(conn, provider_id):
    """Names of the traits of one provider, sorted."""
    return sorted(conn.execute(
        sa.select(trait_t.c.name)
        .select_from(trait_t.join(rpt_t, rpt_t.c.trait_id == trait_t.c.id))
        .where(rpt_t.c.resource_provider_id == provider_id)).scalars())


def replace(conn, provider_id, names):
    """Make *names* the provider's traits (the caller bumps its generation)."""
    wanted = trait_obj.ids_by_name(conn, names)
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


def get(ctx, uuid):
    """``(provider, trait names)`` of the provider with *uuid*."""
    with db.reader(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        return provider, load(conn, provider.id)


def set_for_provider(ctx, uuid, names, generation=None):
    """Replace a provider's traits; returns ``(provider, new generation)``.

    With *generation* (the client's view) a stale view is a
    ResourceProviderConcurrentUpdateDetected; without it the change applies
    to whatever generation the provider has.
    """
    with db.writer(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        if generation is not None:
            rp_obj.check_generation(provider, generation)
        replace(conn, provider.id, names)
        return provider, rp_obj.increment_generation(conn, provider)
