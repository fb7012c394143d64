"""Aggregates: the uuids that group resource providers, and provider membership.

An aggregate is nothing but a uuid chosen by the client; a row in
placement_aggregates exists for each uuid ever associated with a provider
and is created on first use.
"""

import logging
import random
import time

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core import exception
from nova_core.placement.db import api as db
from nova_core.placement.db import change
from nova_core.placement.db.aggregate import placement_aggregates as agg_t
from nova_core.placement.db.aggregate import \
    resource_provider_aggregates as rpa_t
from nova_core.placement.db.resource_provider import resource_providers as rp_t
from nova_core.placement.objects import resource_provider as rp_obj

LOG = logging.getLogger(__name__)

# Races lost to other writers are retried this often, after a random pause
# of up to _BACKOFF seconds times the attempt number.
_RETRIES = 10
_BACKOFF = 0.05


def uuids_for_provider(conn, provider_id):
    """The aggregate uuids of one provider, in association order."""
    return list(conn.execute(
        sa.select(agg_t.c.uuid)
        .select_from(agg_t.join(rpa_t, rpa_t.c.aggregate_id == agg_t.c.id))
        .where(rpa_t.c.resource_provider_id == provider_id)
        .order_by(rpa_t.c.created_at, agg_t.c.id)).scalars())


def get_for_provider(ctx, uuid):
    """``(provider, aggregate uuids)`` of the provider with *uuid*."""
    with db.reader(ctx) as conn:
        provider = rp_obj.load_by_uuid(conn, uuid)
        return provider, uuids_for_provider(conn, provider.id)


def ensure(conn, uuid):
    """The id of aggregate *uuid*, creating its row if there is none.

    Two transactions may create the same new aggregate at once; the loser
    gets DBDuplicateEntry and must run its whole transaction again (a new
    transaction sees the winner's row; on PostgreSQL the failed insert has
    spoilt the old one anyway).
    """
    found = conn.execute(sa.select(agg_t.c.id).where(
        agg_t.c.uuid == uuid)).scalar()
    if found is not None:
        return found
    return conn.execute(agg_t.insert().values(
        uuid=uuid)).inserted_primary_key[0]


def _lock_provider(conn, uuid):
    """Load the provider and hold its row until the transaction ends.

    Replacements of one provider's aggregates then run one after the other,
    whether or not the client sent a generation.
    """
    conn.execute(sa.select(rp_t.c.id).where(
        rp_t.c.uuid == uuid).with_for_update())
    return rp_obj.load_by_uuid(conn, uuid)


def replace_for_provider(ctx, uuid, aggregate_uuids, generation=None):
    """Make *aggregate_uuids* the aggregates of the provider *uuid*.

    :param generation: the provider generation the client saw (microversion
        1.19 and later). When given, a different current generation is a
        ResourceProviderConcurrentUpdateDetected and the generation is
        bumped; when None the generation is left alone, as before 1.19.
    :returns: ``(provider, generation)``, the generation after the change.

    Runs its own transaction (never join it to a caller's): a race lost to
    a concurrent creator of the same aggregate restarts it.
    """
    wanted = list(dict.fromkeys(aggregate_uuids))
    for attempt in range(_RETRIES):
        if attempt:
            time.sleep(random.uniform(0, _BACKOFF * attempt))
        try:
            with db.writer(ctx) as conn:
                provider = _lock_provider(conn, uuid)
                if generation is not None:
                    rp_obj.check_generation(provider, generation)
                _replace(conn, provider.id, wanted)
                if generation is None:
                    return provider, provider.generation
                return provider, rp_obj.increment_generation(conn, provider)
        except (db_exc.DBDuplicateEntry, db_exc.DBDeadlock) as exc:
            # Lost a race to create an aggregate (or InnoDB picked us as a
            # deadlock victim while several did): start afresh.
            LOG.debug('Retrying aggregates of provider %s: %s', uuid, exc)
        except db_exc.DBReferenceError:
            # The provider was deleted between our read and our insert.
            raise exception.ResourceProviderNotFound(uuid=uuid)
    raise exception.MaxDBRetriesExceeded(
        action='setting the aggregates of provider %s' % uuid)


def _replace(conn, provider_id, wanted):
    # Before 1.19 the generation stays; sharing may change all the same.
    change.touch(conn, provider_id)
    have = dict(conn.execute(
        sa.select(agg_t.c.uuid, agg_t.c.id)
        .select_from(agg_t.join(rpa_t, rpa_t.c.aggregate_id == agg_t.c.id))
        .where(rpa_t.c.resource_provider_id == provider_id)).all())
    stale = [agg_id for agg_uuid, agg_id in have.items()
             if agg_uuid not in wanted]
    if stale:
        conn.execute(rpa_t.delete().where(sa.and_(
            rpa_t.c.resource_provider_id == provider_id,
            rpa_t.c.aggregate_id.in_(stale))))
    new = [agg_uuid for agg_uuid in wanted if agg_uuid not in have]
    if new:
        conn.execute(rpa_t.insert(), [
            {'resource_provider_id': provider_id,
             'aggregate_id': ensure(conn, agg_uuid)} for agg_uuid in new])
