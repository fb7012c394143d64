"""Handlers of /os-server-groups and /os-server-groups/{group_id}.

Before 2.64 a group has a one-item ``policies`` list (and an empty
``metadata``); from 2.64 one ``policy`` and its ``rules``. From 2.13 the
owner (``project_id``, ``user_id``) is shown. Members are the group's
servers that still exist (those of the group's project, counted as the
quotas count them); deleting a group leaves its servers alone.
"""

from oslo_utils import uuidutils

from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import server_groups as policies
from nova_core.api.compute import quotas
from nova_core.api.compute.schemas import server_groups as schema
from nova_core.api import fault
from nova_core.api import validation
from nova_core.api import wsgi
from nova_core.db import server_group as db_server_group
from nova_core import exception

SOFT_POLICIES = '2.15'
OWNER = '2.13'
POLICY_AND_RULES = '2.64'
MAX_LIMIT = 1000


def _db(req):
    return common.services(req).cells.api


def _live(req, project_id, seen):
    """The uuids of *project_id*'s servers that exist (counted once per
    request and project, as the quotas count them; *seen* remembers)."""
    if project_id not in seen:
        services = common.services(req)
        seen[project_id] = set(quotas.server_flavors(
            req.context, services.cells, project_id,
            services.servers.conf.scheduler.cell_timeout))
    return seen[project_id]


def _view(req, group, seen=None):
    view = {'id': group['uuid'], 'name': group['name']}
    if req.microversion.matches(POLICY_AND_RULES):
        view['policy'] = group['policy']
        view['rules'] = group['rules'] or {}
    else:
        view['policies'] = [group['policy']] if group['policy'] else []
        view['metadata'] = {}
    live = _live(req, group['project_id'], {} if seen is None else seen)
    view['members'] = [m for m in group['members'] if m in live]
    if req.microversion.matches(OWNER):
        view['project_id'] = group['project_id']
        view['user_id'] = group['user_id']
    return view


def _get(req):
    uuid = req.path_arg('group_id')
    if not uuidutils.is_uuid_like(uuid):
        raise exception.InstanceGroupNotFound(group_uuid=uuid)
    with _db(req).reader(req.context) as conn:
        return db_server_group.get(conn, uuid)


def create_server_group(req):
    ctx = req.context
    ctx.can(policies.CREATE, {'project_id': ctx.project_id,
                              'user_id': ctx.user_id})
    if req.microversion.matches(POLICY_AND_RULES):
        body_schema = schema.CREATE_V264
    elif req.microversion.matches(SOFT_POLICIES):
        body_schema = schema.CREATE_V215
    else:
        body_schema = schema.CREATE
    spec = common.body(req, body_schema)['server_group']
    if 'policy' in spec:
        policy = spec['policy']
        rules = dict(spec.get('rules') or {})
        if rules and policy != 'anti-affinity':
            raise fault.http_error(
                400, 'Only anti-affinity policy supports rules.')
        if 'max_server_per_host' in rules:
            rules['max_server_per_host'] = int(rules['max_server_per_host'])
    else:
        policy, rules = spec['policies'][0], {}
    conf = common.services(req).servers.conf
    with _db(req).writer(ctx) as conn:
        quotas.check_server_groups(conf, conn, ctx.project_id)
        group = db_server_group.create(conn, spec['name'], ctx.project_id,
                                       ctx.user_id, policy, rules=rules)
    return wsgi.json_response(req, {'server_group': _view(req, group)})


def list_server_groups(req):
    ctx = req.context
    params = common.query(req, schema.QUERY_V275 if req.microversion.matches(
        mv.STRICT_QUERY) else schema.QUERY)
    target = {'project_id': ctx.project_id}
    ctx.can(policies.INDEX, target)
    project_id = ctx.project_id
    if 'all_projects' in params:
        ctx.can(policies.INDEX_ALL_PROJECTS, target)
        project_id = None
    limit = min(validation.int_param(params, 'limit') or MAX_LIMIT, MAX_LIMIT)
    offset = validation.int_param(params, 'offset') or 0
    with _db(req).reader(ctx) as conn:
        groups = db_server_group.get_all(conn, project_id=project_id,
                                         limit=limit, offset=offset)
    seen = {}
    return wsgi.json_response(
        req, {'server_groups': [_view(req, g, seen) for g in groups]})


def show_server_group(req):
    group = _get(req)
    req.context.can(policies.SHOW, {'project_id': group['project_id']})
    return wsgi.json_response(req, {'server_group': _view(req, group)})


def delete_server_group(req):
    group = _get(req)
    req.context.can(policies.DELETE, {'project_id': group['project_id']})
    with _db(req).writer(req.context) as conn:
        db_server_group.delete(conn, group['uuid'])
    return wsgi.empty_response(204)
