"""Per-project quota limits of the API database (minimal)."""

import sqlalchemy as sa

from nova_core.db import api_models

_T = api_models.quotas


def set_limit(conn, project_id, resource, hard_limit):
    """Create or change one limit (-1: unlimited)."""
    updated = conn.execute(_T.update().where(
        _T.c.project_id == project_id, _T.c.resource == resource).values(
            hard_limit=hard_limit)).rowcount
    if not updated:
        conn.execute(_T.insert().values(project_id=project_id,
                                        resource=resource,
                                        hard_limit=hard_limit))


def get_all_by_project(conn, project_id):
    """``{resource: hard_limit}`` of the limits set for *project_id*."""
    return {row.resource: row.hard_limit for row in conn.execute(
        sa.select(_T.c.resource, _T.c.hard_limit).where(
            _T.c.project_id == project_id))}


def delete_all_by_project(conn, project_id):
    conn.execute(_T.delete().where(_T.c.project_id == project_id))
