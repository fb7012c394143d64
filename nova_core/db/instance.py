"""instances of a cell database, with their flavor, metadata and system metadata.

``update`` is a compare-and-swap on ``task_state`` when asked: the compute
relies on it to notice that a delete (or another action) won a race.
"""

import uuid as uuidlib

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import base
from nova_core.db import main_models
from nova_core import exception

_T = main_models.instances
_EXTRA = main_models.instance_extra
_META = main_models.instance_metadata
_SYSMETA = main_models.instance_system_metadata
_TIMES = ('launched_at', 'terminated_at', 'created_at', 'updated_at',
          'deleted_at')
_COLUMNS = set(_T.c.keys()) - {'id', 'uuid', 'deleted'}
_LIST_FILTERS = ('uuid', 'project_id', 'user_id', 'host', 'node', 'vm_state',
                 'task_state', 'display_name', 'compute_id')


def _row_values(values):
    """Column values of *values* (ISO timestamps parsed)."""
    unknown = set(values) - _COLUMNS - {'flavor', 'metadata',
                                        'system_metadata', 'deleted'}
    if unknown:
        raise exception.Invalid('no instance field(s) %s'
                                % ', '.join(sorted(unknown)))
    row = {k: v for k, v in values.items() if k in _COLUMNS}
    for key in _TIMES:
        if key in row:
            row[key] = base.parse_time(row[key])
    return row


def _set_pairs(conn, table, instance_uuid, pairs):
    conn.execute(table.delete().where(table.c.instance_uuid == instance_uuid))
    if pairs:
        conn.execute(table.insert(), [
            {'instance_uuid': instance_uuid, 'key': k, 'value': v}
            for k, v in pairs.items()])


def _write_extras(conn, instance_uuid, values):
    if 'flavor' in values:
        conn.execute(_EXTRA.update().where(
            _EXTRA.c.instance_uuid == instance_uuid).values(
                flavor=base.dumps(values['flavor'])))
    if 'metadata' in values:
        _set_pairs(conn, _META, instance_uuid, values['metadata'])
    if 'system_metadata' in values:
        _set_pairs(conn, _SYSMETA, instance_uuid, values['system_metadata'])


def create(conn, values):
    """Create an instance from the instance dict *values*; returns it.

    Defaults: a new uuid, vm_state building, power_state 0 (NOSTATE).
    """
    values = dict(values)
    uuid = values.pop('uuid', None) or str(uuidlib.uuid4())
    row = {'vm_state': 'building', 'power_state': 0}
    row.update(_row_values(values))
    try:
        conn.execute(_T.insert().values(uuid=uuid, **row))
    except db_exc.DBDuplicateEntry:
        raise exception.InstanceExists(uuid=uuid)
    conn.execute(_EXTRA.insert().values(
        instance_uuid=uuid, flavor=base.dumps(values.get('flavor'))))
    _write_extras(conn, uuid, {k: values[k] for k in
                               ('metadata', 'system_metadata') if k in values})
    return get_by_uuid(conn, uuid)


def _dicts(conn, rows):
    instances = [base.to_dict(row) for row in rows]
    uuids = [inst['uuid'] for inst in instances]
    flavors, meta, sysmeta = {}, {}, {}
    if uuids:
        for r in conn.execute(sa.select(_EXTRA.c.instance_uuid,
                                        _EXTRA.c.flavor).where(
                _EXTRA.c.instance_uuid.in_(uuids))):
            flavors[r.instance_uuid] = base.json_load(r.flavor)
        for table, into in ((_META, meta), (_SYSMETA, sysmeta)):
            for r in conn.execute(sa.select(
                    table.c.instance_uuid, table.c.key, table.c.value).where(
                        table.c.instance_uuid.in_(uuids))):
                into.setdefault(r.instance_uuid, {})[r.key] = r.value
    for inst in instances:
        inst['flavor'] = flavors.get(inst['uuid'])
        inst['metadata'] = meta.get(inst['uuid'], {})
        inst['system_metadata'] = sysmeta.get(inst['uuid'], {})
    return instances


def get_by_uuid(conn, uuid, include_deleted=False):
    """The instance dict (SPEC "instance"); InstanceNotFound."""
    query = _T.select().where(_T.c.uuid == uuid)
    if not include_deleted:
        query = query.where(_T.c.deleted == 0)
    found = _dicts(conn, conn.execute(query).all())
    if not found:
        raise exception.InstanceNotFound(instance_id=uuid)
    return found[0]


def get_all(conn, filters=None, limit=None, marker=None):
    """Instances in creation order, after the instance *marker* (a uuid).

    *filters*: equality on uuid, project_id, user_id, host, node, vm_state,
    task_state, display_name, compute_id (a list or tuple means any of);
    ``deleted`` True / False (default False: live instances only).
    """
    filters = dict(filters or {})
    query = _T.select().order_by(_T.c.id)
    deleted = filters.pop('deleted', False)
    if deleted is not None:
        query = query.where(_T.c.deleted != 0 if deleted else _T.c.deleted == 0)
    for key, value in filters.items():
        if key not in _LIST_FILTERS:
            raise exception.Invalid('cannot filter instances by %s' % key)
        if isinstance(value, (list, tuple, set)):
            query = query.where(_T.c[key].in_(list(value)))
        else:
            query = query.where(_T.c[key] == value)
    if marker is not None:
        marker_id = conn.execute(
            sa.select(_T.c.id).where(_T.c.uuid == marker)).scalar()
        if marker_id is None:
            raise exception.MarkerNotFound(marker=marker)
        query = query.where(_T.c.id > marker_id)
    if limit is not None:
        query = query.limit(limit)
    return _dicts(conn, conn.execute(query).all())


def get_by_host(conn, host, node=None):
    filters = {'host': host}
    if node is not None:
        filters['node'] = node
    return get_all(conn, filters)


def _expected(expected):
    """A list of the states accepted, from a value, list or tuple."""
    if isinstance(expected, (list, tuple, set)):
        return list(expected)
    return [expected]


def _state_condition(column, expected):
    accepted = _expected(expected)
    conditions = [column.in_([s for s in accepted if s is not None])]
    if None in accepted:
        conditions.append(column.is_(None))
    return sa.or_(*conditions)


def update(conn, uuid, values, expected_task_state=None,
           expected_vm_state=None):
    """Update the instance; returns the new dict.

    *expected_task_state* / *expected_vm_state*: a state or a list of
    states (None in the list meaning "no task"); when given, the update is
    a compare-and-swap: it happens only if the row still is in one of them,
    else UnexpectedTaskStateError (UnexpectedDeletingTaskStateError when
    the instance is being deleted) or InstanceInvalidState. As in Nova,
    ``expected_task_state=None`` means no check; pass ``[None]`` to require
    no task.
    """
    row = _row_values(values)
    row['updated_at'] = base.utcnow()
    query = _T.update().where(_T.c.uuid == uuid, _T.c.deleted == 0)
    if expected_task_state is not None:
        query = query.where(_state_condition(_T.c.task_state,
                                             expected_task_state))
    if expected_vm_state is not None:
        query = query.where(_state_condition(_T.c.vm_state,
                                             expected_vm_state))
    if conn.execute(query.values(**row)).rowcount == 0:
        _raise_why_not_updated(conn, uuid, expected_task_state,
                               expected_vm_state)
    _write_extras(conn, uuid, values)
    return get_by_uuid(conn, uuid)


def _raise_why_not_updated(conn, uuid, expected_task_state,
                           expected_vm_state):
    current = conn.execute(sa.select(_T.c.task_state, _T.c.vm_state).where(
        _T.c.uuid == uuid, _T.c.deleted == 0)).first()
    if current is None:
        raise exception.InstanceNotFound(instance_id=uuid)
    if (expected_task_state is not None
            and current.task_state not in _expected(expected_task_state)):
        error = (exception.UnexpectedDeletingTaskStateError
                 if current.task_state == 'deleting'
                 else exception.UnexpectedTaskStateError)
        raise error(instance_uuid=uuid, expected=expected_task_state,
                    actual=current.task_state)
    raise exception.InstanceInvalidState(
        method='update', instance_uuid=uuid, attr='vm_state',
        state=current.vm_state)


def destroy(conn, uuid):
    """Soft-delete the instance (its row stays, ``deleted`` true)."""
    now = base.utcnow()
    result = conn.execute(_T.update().where(
        _T.c.uuid == uuid, _T.c.deleted == 0).values(
            deleted=_T.c.id, deleted_at=now, updated_at=now))
    if result.rowcount == 0:
        raise exception.InstanceNotFound(instance_id=uuid)
    return get_by_uuid(conn, uuid, include_deleted=True)


_SUMMARY_COLUMNS = ('id', 'uuid', 'host', 'node', 'vm_state', 'task_state',
                    'deleted', 'created_at', 'updated_at', 'deleted_at')


def _summaries(conn, query):
    return [{'id': r.id, 'uuid': r.uuid, 'host': r.host, 'node': r.node,
             'vm_state': r.vm_state, 'task_state': r.task_state,
             'deleted': bool(r.deleted), 'created_at': r.created_at,
             'updated_at': r.updated_at, 'deleted_at': r.deleted_at}
            for r in conn.execute(query)]


def get_host_summaries(conn):
    """Where the live instances with a host are, without their extras:
    ``[{id, uuid, host, node, vm_state, task_state, deleted, created_at,
    updated_at, deleted_at}]`` in id order (timestamps as naive UTC
    datetimes). What the scheduler counts per host (num_instances,
    num_io_ops) and which instances are where."""
    query = sa.select(*[_T.c[c] for c in _SUMMARY_COLUMNS]).where(
        _T.c.deleted == 0, _T.c.host.isnot(None)).order_by(_T.c.id)
    return _summaries(conn, query)


def get_summaries_changed_since(conn, since=None, after_id=None):
    """The summaries (as :func:`get_host_summaries`) of the instances
    created, updated or deleted at or after *since* (a naive UTC datetime
    or ISO text) or with an id above *after_id*, deleted ones and ones
    without a host included. ``update`` and ``destroy`` set ``updated_at``,
    ``create`` sets ``created_at``."""
    query = base.changed_since(
        _T, sa.select(*[_T.c[c] for c in _SUMMARY_COLUMNS]), since, after_id)
    return _summaries(conn, query)


def count_by_host(conn, exclude_vm_states=('deleted', 'shelved_offloaded')):
    """``{(host, node): number of live instances}`` of the instances with a
    host, less those in *exclude_vm_states* (one GROUP BY query)."""
    query = sa.select(_T.c.host, _T.c.node, sa.func.count()).where(
        _T.c.deleted == 0, _T.c.host.isnot(None)).group_by(
            _T.c.host, _T.c.node)
    if exclude_vm_states:
        query = query.where(sa.or_(
            _T.c.vm_state.is_(None),
            _T.c.vm_state.notin_(list(exclude_vm_states))))
    return {(r[0], r[1]): r[2] for r in conn.execute(query)}


def get_flavors_by_project(conn, project_id):
    """``{uuid: flavor dict}`` of the project's live instances: what quota
    usage counts (instances, the flavors' vcpus and memory_mb)."""
    query = sa.select(_T.c.uuid, _EXTRA.c.flavor).select_from(_T.outerjoin(
        _EXTRA, _EXTRA.c.instance_uuid == _T.c.uuid)).where(
            _T.c.project_id == project_id, _T.c.deleted == 0)
    return {r.uuid: base.json_load(r.flavor) or {}
            for r in conn.execute(query)}
