"""Handlers of /os-quota-sets/{tenant_id} (show, update, revert) and its
``/defaults`` and ``/detail``.

Limits live per project (the API database's ``quotas`` rows over the
``[quota]`` defaults). The network quotas are shown (unlimited unless set)
before 2.36, the injected-file ones before 2.57; an update names only what
its microversion shows. Per-user quotas are not kept: reading with a
``user_id`` shows the project's, changing them is refused (501).
"""

from oslo_utils import strutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import quota_sets as policies
from nova_core.api.compute import quotas
from nova_core.api.compute.schemas import quota_sets as schema
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core.db import quota as db_quota
from nova_core import exception

NO_NETWORK = '2.36'
NO_FILES = '2.57'
# The resources whose usage bounds a new limit from below (unless forced).
_COUNTED = ('instances', 'cores', 'ram', 'server_groups')


def _quota_set(req, values, project_id=None):
    hidden = quotas.hidden_resources(req.microversion.matches(NO_NETWORK),
                                     req.microversion.matches(NO_FILES))
    body = {'id': project_id} if project_id else {}
    body.update({name: value for name, value in sorted(values.items())
                 if name not in hidden})
    return wsgi.json_response(req, {'quota_set': body})


def _target(req, action):
    """The project of the URL, once the caller may *action* it; and the
    ``user_id`` of the query."""
    params = common.query(req, schema.QUERY_V275 if req.microversion.matches(
        mv.STRICT_QUERY) else schema.QUERY)
    project_id = req.path_arg('tenant_id')
    req.context.can(action, {'project_id': project_id})
    return project_id, params.get('user_id')


def _conf(req):
    return common.services(req).servers.conf


def _limits(req, project_id):
    with common.services(req).cells.api.reader(req.context) as conn:
        return quotas.limits(_conf(req), conn, project_id)


def _usage(req, project_id, user_id=None):
    return quotas.usage(req.context, common.services(req).cells, project_id,
                        _conf(req).scheduler.cell_timeout, user_id=user_id)


def _no_user_quotas(user_id):
    if user_id:
        raise fault.http_error(
            501, 'Per-user quotas are not implemented: set the project '
            'quota instead.')


def show_quota_set(req):
    project_id, _user_id = _target(req, policies.SHOW)
    return _quota_set(req, _limits(req, project_id), project_id)


def show_defaults(req):
    project_id, _user_id = _target(req, policies.DEFAULTS)
    return _quota_set(req, quotas.defaults(_conf(req)), project_id)


def show_detail(req):
    project_id, user_id = _target(req, policies.DETAIL)
    limits = _limits(req, project_id)
    used = _usage(req, project_id, user_id)
    return _quota_set(req, {
        name: {'in_use': used.get(name, 0), 'limit': limit, 'reserved': 0}
        for name, limit in limits.items()}, project_id)


def update_quota_set(req):
    project_id, user_id = _target(req, policies.UPDATE)
    if req.microversion.matches(NO_FILES):
        body_schema = schema.UPDATE_V257
    elif req.microversion.matches(NO_NETWORK):
        body_schema = schema.UPDATE_V236
    else:
        body_schema = schema.UPDATE
    spec = dict(common.body(req, body_schema)['quota_set'])
    _no_user_quotas(user_id)
    if 'networks' in spec:
        raise fault.http_error(400, 'The networks quota is disabled')
    force = strutils.bool_from_string(spec.pop('force', False))
    values = {name: int(value) for name, value in spec.items()}
    if not force and any(name in _COUNTED for name in values):
        used = _usage(req, project_id)
        for name in _COUNTED:
            limit = values.get(name)
            if limit is not None and limit != quotas.UNLIMITED and \
                    limit < used[name]:
                raise exception.InvalidQuotaValue(
                    limit=limit, resource=name, minimum=used[name])
    with common.services(req).cells.api.writer(req.context) as conn:
        for name, limit in sorted(values.items()):
            db_quota.set_limit(conn, project_id, name, limit)
        limits = quotas.limits(_conf(req), conn, project_id)
    # Nova answers an update without the id.
    return _quota_set(req, limits)


def delete_quota_set(req):
    project_id, user_id = _target(req, policies.DELETE)
    _no_user_quotas(user_id)
    with common.services(req).cells.api.writer(req.context) as conn:
        db_quota.delete_all_by_project(conn, project_id)
    return wsgi.empty_response(202)
