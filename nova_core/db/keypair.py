"""key_pairs of the API database: a user's named public keys."""

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.key_pairs


def create(conn, user_id, name, public_key, fingerprint, key_type='ssh'):
    """Store a key pair; KeyPairExists if the user has one by that name."""
    try:
        conn.execute(_T.insert().values(
            user_id=user_id, name=name, public_key=public_key,
            fingerprint=fingerprint, type=key_type))
    except db_exc.DBDuplicateEntry:
        raise exception.KeyPairExists(key_name=name)
    return get(conn, user_id, name)


def get(conn, user_id, name):
    """``{id, name, user_id, fingerprint, public_key, type, created_at,
    updated_at}``; KeypairNotFound."""
    row = conn.execute(_T.select().where(
        _T.c.user_id == user_id, _T.c.name == name)).first()
    if row is None:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
    return base.to_dict(row)


def get_by_user(conn, user_id, limit=None, marker=None):
    """The user's key pairs in creation order, after the one named
    *marker* (MarkerNotFound if the user has none by that name)."""
    query = _T.select().where(_T.c.user_id == user_id).order_by(_T.c.id)
    if marker is not None:
        marker_id = conn.execute(sa.select(_T.c.id).where(
            _T.c.user_id == user_id, _T.c.name == marker)).scalar()
        if marker_id is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(_T.c.id > marker_id)
    if limit is not None:
        query = query.limit(limit)
    return [base.to_dict(row) for row in conn.execute(query)]


def count_by_user(conn, user_id):
    return conn.execute(sa.select(sa.func.count()).select_from(_T).where(
        _T.c.user_id == user_id)).scalar()


def delete(conn, user_id, name):
    """Remove it; KeypairNotFound if the user has none by that name."""
    if not conn.execute(_T.delete().where(
            _T.c.user_id == user_id, _T.c.name == name)).rowcount:
        raise exception.KeypairNotFound(name=name, user_id=user_id)
