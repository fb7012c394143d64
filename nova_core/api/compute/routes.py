"""The compute API (v2.1) as data: URL -> HTTP method -> handler.

Paths are below ``/v2.1``; the project id Nova allows after it
(``/v2.1/{project_id}/servers``) is taken off before routing (see
``deploy.ProjectIdInURL``). ``''`` and ``'/'`` are the version document.
"""

from nova_core.api.compute.handlers import flavors
from nova_core.api.compute.handlers import server_actions
from nova_core.api.compute.handlers import servers
from nova_core.api.compute.handlers import versions
from nova_core.api.compute import microversions as mv
from nova_core.api.router import since

ROUTES = {
    '': {'GET': versions.version},
    '/': {'GET': versions.version},
    '/servers': {
        'GET': servers.list_servers,
        'POST': servers.create_server,
    },
    '/servers/detail': {
        'GET': servers.list_servers_detail,
    },
    '/servers/{server_id}': {
        'GET': servers.show_server,
        'PUT': servers.update_server,
        'DELETE': servers.delete_server,
    },
    '/servers/{server_id}/action': {
        'POST': server_actions.server_action,
    },
    '/flavors': {
        'GET': flavors.list_flavors,
        'POST': flavors.create_flavor,
    },
    '/flavors/detail': {
        'GET': flavors.list_flavors_detail,
    },
    '/flavors/{flavor_id}': {
        'GET': flavors.show_flavor,
        'PUT': since(mv.FLAVOR_DESCRIPTION, flavors.update_flavor,
                     unavailable_status=405),
        'DELETE': flavors.delete_flavor,
    },
    '/flavors/{flavor_id}/os-extra_specs': {
        'GET': flavors.list_extra_specs,
        'POST': flavors.create_extra_specs,
    },
    '/flavors/{flavor_id}/os-extra_specs/{key}': {
        'GET': flavors.show_extra_spec,
        'PUT': flavors.update_extra_spec,
        'DELETE': flavors.delete_extra_spec,
    },
}

# First path segments of the routes: anything else in that place is a
# project id.
COLLECTIONS = frozenset(path.split('/')[1] for path in ROUTES
                        if path.count('/') >= 1 and path != '/')
