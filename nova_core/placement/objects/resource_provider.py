"""Resource providers: create, read, update (incl. re-parenting), delete.

Generations: every change to what a provider offers (inventory, traits,
aggregates from 1.19, allocations against it) bumps its generation with a
compare-and-swap, :func:`increment_generation`; a lost race is a
ResourceProviderConcurrentUpdateDetected, never a silent overwrite.
"""

import collections

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core import exception
from nova_core.db import prepared
from nova_core.placement.db import api as db
from nova_core.placement.db import change
from nova_core.placement.db.aggregate import \
    resource_provider_aggregates as rpa_t
from nova_core.placement.db.allocation import allocations as alloc_t
from nova_core.placement.db.inventory import inventories as inv_t
from nova_core.placement.db.resource_provider import \
    resource_provider_traits as rpt_t
from nova_core.placement.db.resource_provider import resource_providers as rp_t
from nova_core.placement.objects import provider_filter
from nova_core.placement.objects import resource_class as rc_obj

Provider = collections.namedtuple('Provider', [
    'id', 'uuid', 'name', 'generation', 'parent_provider_uuid',
    'root_provider_uuid', 'created_at', 'updated_at',
    'parent_provider_id', 'root_provider_id'])

_parent = rp_t.alias('parent')
_root = rp_t.alias('root')

# The provider with its parent's and root's uuids, in Provider field order.
PROVIDER_QUERY = sa.select(
    rp_t.c.id, rp_t.c.uuid, rp_t.c.name, rp_t.c.generation,
    _parent.c.uuid, _root.c.uuid, rp_t.c.created_at, rp_t.c.updated_at,
    rp_t.c.parent_provider_id, rp_t.c.root_provider_id,
).select_from(
    rp_t.outerjoin(_parent, rp_t.c.parent_provider_id == _parent.c.id)
        .outerjoin(_root, rp_t.c.root_provider_id == _root.c.id))

# Up to this many ids go into the SQL as a list; a longer list filters the
# rows in Python instead, to stay clear of bind parameter limits.
_MAX_ID_LIST = 1000

# How often a tree lock chases a provider that keeps moving to other trees.
_TREE_LOCK_ATTEMPTS = 3

_SAME_AS_UUID = ('parent provider UUID cannot be same as UUID. Please set '
                 'parent provider UUID to None if there is no parent.')
_NO_PARENT = 'parent provider UUID does not exist.'


def find_by_uuid(conn, uuid):
    """The provider with *uuid*, or None."""
    row = conn.execute(PROVIDER_QUERY.where(rp_t.c.uuid == uuid)).first()
    return Provider(*row) if row else None


def load_by_uuid(conn, uuid):
    """The provider with *uuid*; ResourceProviderNotFound if there is none."""
    provider = find_by_uuid(conn, uuid)
    if provider is None:
        raise exception.ResourceProviderNotFound(uuid=uuid)
    return provider


def get_by_uuid(ctx, uuid):
    with db.reader(ctx) as conn:
        return load_by_uuid(conn, uuid)


def get_all(ctx, name=None, uuid=None, in_tree=None, member_of=(),
            forbidden_aggregates=(), resources=None, required_traits=(),
            forbidden_traits=()):
    """Providers matching every given filter, oldest first.

    :param in_tree: uuid of a provider: only its whole tree.
    :param member_of: sets of aggregate uuids: in one of each set.
    :param forbidden_aggregates: in none of these aggregates.
    :param resources: ``{class name: amount}`` the provider itself can
        give; ResourceClassNotFound for an unknown class.
    :param required_traits: sets of trait names: the provider itself has
        one of each set; TraitNotFound for an unknown trait.
    :param forbidden_traits: trait names the provider must not have.
    """
    rp_id = rp_t.c.id
    query = PROVIDER_QUERY.order_by(rp_id)
    if name is not None:
        query = query.where(rp_t.c.name == name)
    if uuid is not None:
        query = query.where(rp_t.c.uuid == uuid)
    if in_tree is not None:
        query = query.where(provider_filter.in_tree(rp_id, in_tree))
    if member_of or forbidden_aggregates:
        query = query.where(provider_filter.member_of(
            rp_id, member_of, forbidden_aggregates))
    with db.reader(ctx) as conn:
        if required_traits or forbidden_traits:
            query = query.where(provider_filter.traits(
                conn, rp_id, required_traits, forbidden_traits))
        able = None
        if resources:
            able = _able_to_give(conn, resources)
            if len(able) <= _MAX_ID_LIST:
                query = query.where(rp_id.in_(sorted(able)))
        providers = [Provider(*row) for row in conn.execute(query)]
    if able is not None:
        providers = [rp for rp in providers if rp.id in able]
    return providers


def _able_to_give(conn, resources):
    """Ids of providers with room for every ``{class name: amount}``."""
    rc_ids = rc_obj.ids_by_name(conn, resources)
    able = None
    for rc_name, amount in sorted(resources.items()):
        found = provider_filter.with_capacity(conn, rc_ids[rc_name], amount)
        able = found if able is None else able & found
        if not able:
            break
    return able


# Run by every write to a provider: straight on the driver (db.prepared).
_BUMP = prepared.Prepared(rp_t.update().where(
    rp_t.c.id == sa.bindparam('b_id'),
    rp_t.c.generation == sa.bindparam('b_generation')).values(
        generation=sa.bindparam('b_new')))


def increment_generation(conn, provider, log=True):
    """Bump *provider*'s generation if it is still the one we read.

    Returns the new generation. Run it inside the write transaction that
    makes the change the generation stands for. *log* False: the caller
    records the change in the change log itself (allocation writes, with
    ``change.touch_usage``).
    """
    if _BUMP.run(conn, {'b_id': provider.id,
                        'b_generation': provider.generation,
                        'b_new': provider.generation + 1}) != 1:
        raise exception.ResourceProviderConcurrentUpdateDetected()
    if log:
        change.touch(conn, provider.id)
    return provider.generation + 1


def check_generation(provider, generation):
    """ResourceProviderConcurrentUpdateDetected unless the client's
    *generation* is the provider's current one."""
    if generation != provider.generation:
        raise exception.ResourceProviderConcurrentUpdateDetected()


def _duplicate(exc, uuid, name):
    columns = set(exc.columns or ())
    parts = []
    if columns & {'uuid', 'uniq_resource_providers0uuid'}:
        parts.append('uuid: %s' % uuid)
    if columns & {'name', 'uniq_resource_providers0name'} or not parts:
        parts.append('name: %s' % name)
    return exception.ResourceProviderDuplicate(duplicate=', '.join(parts))


def create(ctx, uuid, name, parent_provider_uuid=None):
    """Create a provider; a root unless *parent_provider_uuid* is given."""
    if parent_provider_uuid is not None and parent_provider_uuid == uuid:
        raise exception.InvalidResourceProviderParent(
            action='create', reason=_SAME_AS_UUID)
    try:
        with db.writer(ctx) as conn:
            parent = root_id = None
            if parent_provider_uuid is not None:
                parent = find_by_uuid(conn, parent_provider_uuid)
                if parent is None:
                    raise exception.InvalidResourceProviderParent(
                        action='create', reason=_NO_PARENT)
                # The parent's tree may be moving under another root.
                root_id = _lock_trees(conn, [parent])[parent.id].root
            new_id = conn.execute(rp_t.insert().values(
                uuid=uuid, name=name, generation=0,
                parent_provider_id=parent and parent.id,
                root_provider_id=root_id,
            )).inserted_primary_key[0]
            if parent is None:
                conn.execute(rp_t.update().where(rp_t.c.id == new_id).values(
                    root_provider_id=new_id, updated_at=None))
            change.touch(conn, new_id)
            return load_by_uuid(conn, uuid)
    except db_exc.DBDuplicateEntry as exc:
        raise _duplicate(exc, uuid, name)
    except db_exc.DBDeadlock:
        raise exception.ResourceProviderConcurrentUpdateDetected()


# Where a provider sits: its parent's id (or None) and its root's id.
Place = collections.namedtuple('Place', 'parent root')


def _lock_trees(conn, providers):
    """Hold the trees *providers* are in and say where everyone in them is.

    Whatever changes the shape of a tree (a new child, a move into or out
    of it) first locks the row of its root, so that such changes run one
    after the other and none decides on a view another is changing: two
    moves at once could otherwise make a loop, or a child could keep the
    old root of a parent that just moved. The rows are then read with a
    locking read, which sees the latest committed state on every backend
    (a plain read on MariaDB would see the transaction's older snapshot).

    Returns ``{provider id: Place}`` for every member of those trees. If a
    provider moved to another tree meanwhile, that tree is locked too; if
    it keeps moving (or was deleted), ResourceProviderConcurrentUpdateDetected.
    """
    ids = {provider.id for provider in providers}
    roots = {provider.root_provider_id for provider in providers}
    for _attempt in range(_TREE_LOCK_ATTEMPTS):
        conn.execute(sa.select(rp_t.c.id).where(rp_t.c.id.in_(sorted(roots)))
                     .order_by(rp_t.c.id).with_for_update())
        rows = conn.execute(sa.select(
            rp_t.c.id, rp_t.c.parent_provider_id, rp_t.c.root_provider_id,
        ).where(sa.or_(rp_t.c.root_provider_id.in_(sorted(roots)),
                       rp_t.c.id.in_(sorted(ids))))
            .with_for_update(read=True)).all()
        places = {rp_id: Place(parent, root) for rp_id, parent, root in rows}
        if not ids <= set(places):
            break
        moved_to = {places[rp_id].root for rp_id in ids} - roots
        if not moved_to:
            return places
        roots |= moved_to
    raise exception.ResourceProviderConcurrentUpdateDetected()


def _subtree_ids(places, top_id):
    """*top_id* and all its descendants, from a ``{id: Place}`` map."""
    children = collections.defaultdict(list)
    for rp_id, place in places.items():
        children[place.parent].append(rp_id)
    found, todo = [], [top_id]
    while todo:
        rp_id = todo.pop()
        found.append(rp_id)
        todo.extend(children[rp_id])
    return found


_UNSET = object()


def update(ctx, uuid, name=_UNSET, parent_provider_uuid=_UNSET,
           allow_reparenting=False):
    """Rename and/or (re-, un-)parent a provider.

    Without *allow_reparenting* (before microversion 1.37) a parent can only
    be set on a provider that has none. The provider's generation is not
    changed: neither its name nor its place in a tree is inventory.
    """
    try:
        with db.writer(ctx) as conn:
            provider = load_by_uuid(conn, uuid)
            values = {'name': provider.name if name is _UNSET else name}
            if parent_provider_uuid is not _UNSET:
                values.update(_parent_change(
                    conn, provider, parent_provider_uuid, allow_reparenting))
            # Always written, so that updated_at (the answer's
            # Last-Modified) says when the provider was last PUT.
            conn.execute(rp_t.update().where(
                rp_t.c.id == provider.id).values(**values))
            return load_by_uuid(conn, uuid)
    except db_exc.DBDuplicateEntry:
        raise exception.ResourceProviderDuplicate(duplicate=name)
    except db_exc.DBDeadlock:
        raise exception.ResourceProviderConcurrentUpdateDetected()


def _parent_change(conn, provider, parent_uuid, allow_reparenting):
    """The column values that give *provider* the parent *parent_uuid*."""
    if parent_uuid is None:
        if provider.parent_provider_id is None:
            return {}
        if not allow_reparenting:
            raise exception.InvalidResourceProviderParent(
                action='update',
                reason='un-parenting a provider is not currently allowed.')
        places = _lock_trees(conn, [provider])
        if places[provider.id].parent is None:
            return {}
        _move_subtree(conn, places, provider.id, provider.id)
        return {'parent_provider_id': None, 'root_provider_id': provider.id}
    parent = find_by_uuid(conn, parent_uuid)
    if parent is None:
        # Upstream says "create" here too.
        raise exception.InvalidResourceProviderParent(
            action='create', reason=_NO_PARENT)
    places = _lock_trees(conn, [provider, parent])
    current_parent = places[provider.id].parent
    if parent.id == current_parent:
        return {}
    if current_parent is not None and not allow_reparenting:
        raise exception.InvalidResourceProviderParent(
            action='update',
            reason='re-parenting a provider is not currently allowed.')
    if parent.id in _subtree_ids(places, provider.id):
        raise exception.InvalidResourceProviderParent(
            action='update',
            reason='creating loop in the provider tree is not allowed.')
    new_root = places[parent.id].root
    _move_subtree(conn, places, provider.id, new_root)
    return {'parent_provider_id': parent.id, 'root_provider_id': new_root}


def _move_subtree(conn, places, top_id, new_root_id):
    moving = _subtree_ids(places, top_id)
    change.touch(conn, *moving)
    descendants = [rp_id for rp_id in moving if rp_id != top_id]
    if descendants:
        conn.execute(rp_t.update().where(
            rp_t.c.id.in_(sorted(descendants))).values(
                root_provider_id=new_root_id))


def destroy(ctx, uuid):
    """Delete a provider with its inventories, traits and aggregate links.

    Refused while it has children or allocations.
    """
    try:
        with db.writer(ctx) as conn:
            provider = load_by_uuid(conn, uuid)
            # Bumping the generation first locks the row, so an allocation
            # written concurrently either lands before (and is seen below)
            # or fails its own generation check.
            increment_generation(conn, provider)
            if conn.execute(sa.select(rp_t.c.id).where(
                    rp_t.c.parent_provider_id == provider.id).limit(1)).first():
                raise exception.CannotDeleteParentResourceProvider()
            if conn.execute(sa.select(alloc_t.c.id).where(
                    alloc_t.c.resource_provider_id == provider.id)
                    .limit(1)).first():
                raise exception.ResourceProviderInUse()
            for table in (inv_t, rpa_t, rpt_t):
                conn.execute(table.delete().where(
                    table.c.resource_provider_id == provider.id))
            conn.execute(rp_t.update().where(rp_t.c.id == provider.id).values(
                root_provider_id=None))
            conn.execute(rp_t.delete().where(rp_t.c.id == provider.id))
    except db_exc.DBReferenceError:
        # A child was added concurrently, after the check above.
        raise exception.CannotDeleteParentResourceProvider()
