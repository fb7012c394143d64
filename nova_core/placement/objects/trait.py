"""Traits: the standard ones from os-traits, CUSTOM_*, and provider traits."""

import collections

from oslo_db import exception as db_exc
import os_traits
import sqlalchemy as sa

from nova_core import exception
from nova_core.placement.db import api as db
from nova_core.placement.db import change
from nova_core.placement.db.resource_provider import \
    resource_provider_traits as rpt_t
from nova_core.placement.db.trait import traits as trait_t

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
        change.touch(conn, change.NAMES)


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
            change.touch(conn, change.NAMES)
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
        change.touch(conn, change.NAMES)
