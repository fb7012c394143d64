"""flavors (+ extra specs, projects) of the API database."""

import uuid as uuidlib

from oslo_db import exception as db_exc
import sqlalchemy as sa

from nova_core.db import api_models
from nova_core.db import base
from nova_core import exception

_T = api_models.flavors
_SPECS = api_models.flavor_extra_specs
_PROJECTS = api_models.flavor_projects
_BOOLS = ('is_public', 'disabled')


def _dicts(conn, rows):
    flavors = [base.to_dict(row, bool_columns=_BOOLS) for row in rows]
    ids = [flavor['id'] for flavor in flavors]
    specs = {}
    if ids:
        for row in conn.execute(sa.select(
                _SPECS.c.flavor_id, _SPECS.c.key, _SPECS.c.value).where(
                    _SPECS.c.flavor_id.in_(ids))):
            specs.setdefault(row.flavor_id, {})[row.key] = row.value
    for flavor in flavors:
        flavor['extra_specs'] = specs.get(flavor['id'], {})
    return flavors


def _one(conn, where, flavor_id):
    rows = conn.execute(_T.select().where(where)).all()
    if not rows:
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    return _dicts(conn, rows)[0]


def create(conn, name, memory_mb, vcpus, root_gb=0, ephemeral_gb=0,
           flavorid=None, swap=0, rxtx_factor=1.0, is_public=True,
           disabled=False, description=None, extra_specs=None):
    """Add a flavor (*flavorid* defaults to a new uuid); FlavorExists."""
    flavorid = flavorid or str(uuidlib.uuid4())
    try:
        conn.execute(_T.insert().values(
            name=name, flavorid=flavorid, memory_mb=memory_mb, vcpus=vcpus,
            root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=swap,
            rxtx_factor=rxtx_factor, is_public=is_public, disabled=disabled,
            description=description))
    except db_exc.DBDuplicateEntry as exc:
        what = 'name' if 'name' in (exc.columns or []) else 'id'
        raise exception.FlavorExists(
            what=what, value=name if what == 'name' else flavorid)
    if extra_specs:
        set_extra_specs(conn, flavorid, extra_specs)
    return get_by_flavorid(conn, flavorid)


def get_by_flavorid(conn, flavorid):
    """The flavor dict (SPEC "flavor", with extra_specs); FlavorNotFound."""
    return _one(conn, _T.c.flavorid == flavorid, flavorid)


def get_by_name(conn, name):
    return _one(conn, _T.c.name == name, name)


def get_by_id(conn, flavor_id):
    return _one(conn, _T.c.id == flavor_id, flavor_id)


def get_all(conn, is_public=None, include_disabled=True):
    query = _T.select().order_by(_T.c.memory_mb, _T.c.flavorid)
    if is_public is not None:
        query = query.where(_T.c.is_public == is_public)
    if not include_disabled:
        query = query.where(_T.c.disabled == sa.false())
    return _dicts(conn, conn.execute(query).all())


def _flavor_id(conn, flavorid):
    found = conn.execute(
        sa.select(_T.c.id).where(_T.c.flavorid == flavorid)).scalar()
    if found is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return found


def delete(conn, flavorid):
    found = _flavor_id(conn, flavorid)
    conn.execute(_SPECS.delete().where(_SPECS.c.flavor_id == found))
    conn.execute(_PROJECTS.delete().where(_PROJECTS.c.flavor_id == found))
    conn.execute(_T.delete().where(_T.c.id == found))


def set_extra_specs(conn, flavorid, specs):
    """Add or replace the given extra specs (others are kept)."""
    found = _flavor_id(conn, flavorid)
    for key, value in specs.items():
        updated = conn.execute(_SPECS.update().where(
            _SPECS.c.flavor_id == found, _SPECS.c.key == key).values(
                value=value)).rowcount
        if not updated:
            conn.execute(_SPECS.insert().values(flavor_id=found, key=key,
                                                value=value))
    return get_by_flavorid(conn, flavorid)['extra_specs']


def delete_extra_spec(conn, flavorid, key):
    found = _flavor_id(conn, flavorid)
    conn.execute(_SPECS.delete().where(_SPECS.c.flavor_id == found,
                                       _SPECS.c.key == key))


def update_description(conn, flavorid, description):
    """Set (or clear, with None) a flavor's description; the flavor."""
    found = _flavor_id(conn, flavorid)
    conn.execute(_T.update().where(_T.c.id == found).values(
        description=description))
    return get_by_flavorid(conn, flavorid)


def remove_project(conn, flavorid, project_id):
    """Take a project's access to a private flavor away; False if it had
    none."""
    found = _flavor_id(conn, flavorid)
    return bool(conn.execute(_PROJECTS.delete().where(
        _PROJECTS.c.flavor_id == found,
        _PROJECTS.c.project_id == project_id)).rowcount)


def add_project(conn, flavorid, project_id):
    """Give a project access to a private flavor (idempotent)."""
    found = _flavor_id(conn, flavorid)
    if project_id not in get_projects(conn, flavorid):
        conn.execute(_PROJECTS.insert().values(flavor_id=found,
                                               project_id=project_id))


def get_projects(conn, flavorid):
    found = _flavor_id(conn, flavorid)
    return sorted(conn.execute(sa.select(_PROJECTS.c.project_id).where(
        _PROJECTS.c.flavor_id == found)).scalars())
