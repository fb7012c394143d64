"""Handlers of /flavors/{id}/os-flavor-access and the flavor actions
addTenantAccess / removeTenantAccess: which projects see a private flavor."""

from nova_core.api.compute.handlers import common
from nova_core.api.compute.policies import flavors as policies
from nova_core.api.compute.schemas import flavors as schema
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core.db import flavor as db_flavor
from nova_core import exception


def _access_list(flavorid, projects):
    return {'flavor_access': [{'flavor_id': flavorid, 'tenant_id': project}
                              for project in projects]}


def list_access(req):
    req.context.can(policies.ACCESS)
    flavorid = req.path_arg('flavor_id')
    with common.services(req).cells.api.reader(req.context) as conn:
        flavor = db_flavor.get_by_flavorid(conn, flavorid)
        if flavor.get('is_public', True):
            raise fault.http_error(
                404, 'Access list not available for public flavors.')
        projects = db_flavor.get_projects(conn, flavorid)
    return wsgi.json_response(req, _access_list(flavorid, projects))


def _add(conn, flavor, project):
    if flavor.get('is_public', True):
        raise fault.http_error(409, 'Can not add access to a public flavor.')
    if project in db_flavor.get_projects(conn, flavor['flavorid']):
        raise exception.FlavorAccessExists(flavor_id=flavor['flavorid'],
                                           project_id=project)
    db_flavor.add_project(conn, flavor['flavorid'], project)


def _remove(conn, flavor, project):
    if not db_flavor.remove_project(conn, flavor['flavorid'], project):
        raise exception.FlavorAccessNotFound(flavor_id=flavor['flavorid'],
                                             project_id=project)


# action name -> (policy, body schema, change)
ACTIONS = {
    'addTenantAccess': (policies.ACCESS_ADD, schema.ADD_TENANT_ACCESS, _add),
    'removeTenantAccess': (policies.ACCESS_REMOVE,
                           schema.REMOVE_TENANT_ACCESS, _remove),
}


def flavor_action(req):
    """``POST /flavors/{id}/action``: the access list after the change."""
    name = common.action_name(req, ACTIONS)
    rule, body_schema, change = ACTIONS[name]
    req.context.can(rule)
    project = common.body(req, body_schema)[name]['tenant']
    flavorid = req.path_arg('flavor_id')
    with common.services(req).cells.api.writer(req.context) as conn:
        change(conn, db_flavor.get_by_flavorid(conn, flavorid), project)
        projects = db_flavor.get_projects(conn, flavorid)
    return wsgi.json_response(req, _access_list(flavorid, projects))
