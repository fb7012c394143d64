"""The compute API (v2.1) as data: URL -> HTTP method -> handler.

Paths are below ``/v2.1``; the project id Nova allows after it
(``/v2.1/{project_id}/servers``) is taken off before routing (see
``deploy.ProjectIdInURL``). ``''`` and ``'/'`` are the version document.
"""

from nova_core.api.compute.handlers import aggregates
from nova_core.api.compute.handlers import availability_zones
from nova_core.api.compute.handlers import flavor_access
from nova_core.api.compute.handlers import flavors
from nova_core.api.compute.handlers import hypervisors
from nova_core.api.compute.handlers import instance_actions
from nova_core.api.compute.handlers import ips
from nova_core.api.compute.handlers import keypairs
from nova_core.api.compute.handlers import limits
from nova_core.api.compute.handlers import quota_sets
from nova_core.api.compute.handlers import server_actions
from nova_core.api.compute.handlers import server_groups
from nova_core.api.compute.handlers import servers
from nova_core.api.compute.handlers import services
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
    '/servers/{server_id}/ips': {
        'GET': ips.list_ips,
    },
    '/servers/{server_id}/ips/{network_label}': {
        'GET': ips.show_ips,
    },
    '/servers/{server_id}/topology': {
        'GET': since(mv.SERVER_TOPOLOGY, servers.show_topology),
    },
    '/servers/{server_id}/os-instance-actions': {
        'GET': instance_actions.list_actions,
    },
    '/servers/{server_id}/os-instance-actions/{request_id}': {
        'GET': instance_actions.show_action,
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
    '/flavors/{flavor_id}/os-flavor-access': {
        'GET': flavor_access.list_access,
    },
    '/flavors/{flavor_id}/action': {
        'POST': flavor_access.flavor_action,
    },
    '/flavors/{flavor_id}/os-extra_specs': {
        'GET': flavors.list_extra_specs,
        'POST': flavors.create_extra_specs,
    },
    '/os-keypairs': {
        'GET': keypairs.list_keypairs,
        'POST': keypairs.create_keypair,
    },
    '/os-keypairs/{keypair_name}': {
        'GET': keypairs.show_keypair,
        'DELETE': keypairs.delete_keypair,
    },
    '/os-server-groups': {
        'GET': server_groups.list_server_groups,
        'POST': server_groups.create_server_group,
    },
    '/os-server-groups/{group_id}': {
        'GET': server_groups.show_server_group,
        'DELETE': server_groups.delete_server_group,
    },
    '/limits': {
        'GET': limits.show_limits,
    },
    '/os-quota-sets/{tenant_id}': {
        'GET': quota_sets.show_quota_set,
        'PUT': quota_sets.update_quota_set,
        'DELETE': quota_sets.delete_quota_set,
    },
    '/os-quota-sets/{tenant_id}/defaults': {
        'GET': quota_sets.show_defaults,
    },
    '/os-quota-sets/{tenant_id}/detail': {
        'GET': quota_sets.show_detail,
    },
    '/flavors/{flavor_id}/os-extra_specs/{key}': {
        'GET': flavors.show_extra_spec,
        'PUT': flavors.update_extra_spec,
        'DELETE': flavors.delete_extra_spec,
    },
    '/os-services': {
        'GET': services.list_services,
    },
    # {service_id}: an action name before 2.53, a uuid (PUT) or an id
    # (DELETE) after.
    '/os-services/{service_id}': {
        'PUT': services.update_service,
        'DELETE': services.delete_service,
    },
    '/os-availability-zone': {
        'GET': availability_zones.list_zones,
    },
    '/os-availability-zone/detail': {
        'GET': availability_zones.list_zones_detail,
    },
    '/os-aggregates': {
        'GET': aggregates.list_aggregates,
        'POST': aggregates.create_aggregate,
    },
    '/os-aggregates/{aggregate_id}': {
        'GET': aggregates.show_aggregate,
        'PUT': aggregates.update_aggregate,
        'DELETE': aggregates.delete_aggregate,
    },
    '/os-aggregates/{aggregate_id}/action': {
        'POST': aggregates.aggregate_action,
    },
    # The fixed paths first: the mapper takes the first match.
    '/os-hypervisors': {
        'GET': hypervisors.list_hypervisors,
    },
    '/os-hypervisors/detail': {
        'GET': hypervisors.list_hypervisors_detail,
    },
    '/os-hypervisors/statistics': {
        'GET': since(mv.MIN_VERSION, hypervisors.statistics,
                     max_version=mv.LAST_WITH_HYPERVISOR_STATS),
    },
    '/os-hypervisors/{hypervisor_id}': {
        'GET': hypervisors.show_hypervisor,
    },
    '/os-hypervisors/{hypervisor_id}/uptime': {
        'GET': since(mv.MIN_VERSION, hypervisors.show_uptime,
                     max_version=mv.LAST_WITH_HYPERVISOR_STATS),
    },
    '/os-hypervisors/{hypervisor_hostname_pattern}/search': {
        'GET': since(mv.MIN_VERSION, hypervisors.search,
                     max_version=mv.LAST_WITH_HYPERVISOR_SEARCH),
    },
    '/os-hypervisors/{hypervisor_hostname_pattern}/servers': {
        'GET': since(mv.MIN_VERSION, hypervisors.servers,
                     max_version=mv.LAST_WITH_HYPERVISOR_SEARCH),
    },
}

# First path segments of the routes: anything else in that place is a
# project id.
COLLECTIONS = frozenset(path.split('/')[1] for path in ROUTES
                        if path.count('/') >= 1 and path != '/')
