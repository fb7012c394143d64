"""Server groups (instance_groups + members + policy) of the API database."""

import uuid as uuidlib

import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.instance_groups
_MEMBERS = api_models.instance_group_member
_POLICY = api_models.instance_group_policy


def create(conn, name, project_id, user_id, policy, rules=None, uuid=None,
           members=()):
    """A group with one policy (affinity, anti-affinity, soft-...)."""
    uuid = uuid or str(uuidlib.uuid4())
    if conn.execute(sa.select(_T.c.id).where(_T.c.uuid == uuid)).first():
        raise exception.InstanceGroupExists(group_uuid=uuid)
    group_id = base.insert_id(conn.execute(_T.insert().values(
        uuid=uuid, name=name, project_id=project_id, user_id=user_id)))
    conn.execute(_POLICY.insert().values(group_id=group_id, policy=policy,
                                         rules=base.dumps(rules or {})))
    if members:
        add_members(conn, uuid, members)
    return get(conn, uuid)


def _group_id(conn, uuid):
    group_id = conn.execute(
        sa.select(_T.c.id).where(_T.c.uuid == uuid)).scalar()
    if group_id is None:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    return group_id


def get(conn, uuid):
    """``{id, uuid, name, project_id, user_id, policy, rules, members,
    created_at, updated_at}``; InstanceGroupNotFound."""
    row = conn.execute(_T.select().where(_T.c.uuid == uuid)).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    group = base.to_dict(row)
    policy = conn.execute(sa.select(_POLICY.c.policy, _POLICY.c.rules).where(
        _POLICY.c.group_id == group['id'])).first()
    group['policy'] = policy.policy if policy else None
    group['rules'] = base.json_load(policy.rules) if policy else {}
    group['members'] = sorted(conn.execute(
        sa.select(_MEMBERS.c.instance_uuid).where(
            _MEMBERS.c.group_id == group['id'])).scalars())
    return group


def get_all(conn, project_id=None, limit=None, offset=None):
    """Groups in creation order (of *project_id*, or all), *offset* of
    them skipped and at most *limit* returned."""
    query = sa.select(_T.c.uuid).order_by(_T.c.id)
    if project_id is not None:
        query = query.where(_T.c.project_id == project_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [get(conn, uuid) for uuid in conn.execute(query).scalars()]


def count_by_project(conn, project_id):
    return conn.execute(sa.select(sa.func.count()).select_from(_T).where(
        _T.c.project_id == project_id)).scalar()


def add_members(conn, uuid, instance_uuids):
    """Add instances to the group (those already in it are skipped)."""
    group_id = _group_id(conn, uuid)
    present = set(conn.execute(sa.select(_MEMBERS.c.instance_uuid).where(
        _MEMBERS.c.group_id == group_id)).scalars())
    new = [u for u in dict.fromkeys(instance_uuids) if u not in present]
    if new:
        conn.execute(_MEMBERS.insert(), [
            {'group_id': group_id, 'instance_uuid': u} for u in new])
    return get(conn, uuid)


def remove_members(conn, uuid, instance_uuids):
    group_id = _group_id(conn, uuid)
    conn.execute(_MEMBERS.delete().where(
        _MEMBERS.c.group_id == group_id,
        _MEMBERS.c.instance_uuid.in_(list(instance_uuids))))


def get_by_instance_uuid(conn, instance_uuid):
    """The group *instance_uuid* is a member of, or None."""
    uuid = conn.execute(sa.select(_T.c.uuid).join(
        _MEMBERS, _MEMBERS.c.group_id == _T.c.id).where(
            _MEMBERS.c.instance_uuid == instance_uuid)).scalar()
    return get(conn, uuid) if uuid is not None else None


def delete(conn, uuid):
    group_id = _group_id(conn, uuid)
    conn.execute(_MEMBERS.delete().where(_MEMBERS.c.group_id == group_id))
    conn.execute(_POLICY.delete().where(_POLICY.c.group_id == group_id))
    conn.execute(_T.delete().where(_T.c.id == group_id))
