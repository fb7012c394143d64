"""Policies of /servers and its actions (Nova's names and defaults)."""

from nova_core.api.compute.policies import base

SERVERS = 'os_compute_api:servers:%s'
INDEX = SERVERS % 'index'
DETAIL = SERVERS % 'detail'
INDEX_ALL_TENANTS = SERVERS % 'index:get_all_tenants'
DETAIL_ALL_TENANTS = SERVERS % 'detail:get_all_tenants'
ALLOW_ALL_FILTERS = SERVERS % 'allow_all_filters'
SHOW = SERVERS % 'show'
SHOW_HOST_STATUS = SERVERS % 'show:host_status'
SHOW_FLAVOR_EXTRA_SPECS = SERVERS % 'show:flavor-extra-specs'
CREATE = SERVERS % 'create'
CREATE_FORCED_HOST = SERVERS % 'create:forced_host'
UPDATE = SERVERS % 'update'
DELETE = SERVERS % 'delete'
REBOOT = SERVERS % 'reboot'
START = SERVERS % 'start'
STOP = SERVERS % 'stop'
EXTENDED_ATTRS = 'os_compute_api:os-extended-server-attributes'
TOPOLOGY = 'compute:server:topology:index'
TOPOLOGY_HOST = 'compute:server:topology:host:index'

rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN, 'List all servers',
              ('GET', '/servers')),
    base.rule(DETAIL, base.PROJECT_READER_OR_ADMIN,
              'List all servers with detailed information',
              ('GET', '/servers/detail')),
    base.rule(INDEX_ALL_TENANTS, base.ADMIN,
              'List all servers for all projects', ('GET', '/servers')),
    base.rule(DETAIL_ALL_TENANTS, base.ADMIN,
              'List all servers with detailed information for all projects',
              ('GET', '/servers/detail')),
    base.rule(ALLOW_ALL_FILTERS, base.ADMIN,
              'Allow all filters when listing servers',
              ('GET', '/servers'), ('GET', '/servers/detail')),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN, 'Show a server',
              ('GET', '/servers/{server_id}')),
    base.rule(SHOW_HOST_STATUS, base.ADMIN, 'Show a server with host status',
              ('GET', '/servers/{server_id}')),
    base.rule(SHOW_FLAVOR_EXTRA_SPECS, base.PROJECT_READER_OR_ADMIN,
              'Starting with microversion 2.47, the flavor and its extra '
              'specs used for a server is also returned in the response',
              ('GET', '/servers/{server_id}')),
    base.rule(CREATE, base.PROJECT_MEMBER_OR_ADMIN, 'Create a server',
              ('POST', '/servers')),
    base.rule(CREATE_FORCED_HOST, base.ADMIN,
              'Create a server on the specified host and/or node',
              ('POST', '/servers')),
    base.rule(UPDATE, base.PROJECT_MEMBER_OR_ADMIN, 'Update a server',
              ('PUT', '/servers/{server_id}')),
    base.rule(DELETE, base.PROJECT_MEMBER_OR_ADMIN, 'Delete a server',
              ('DELETE', '/servers/{server_id}')),
    base.rule(REBOOT, base.PROJECT_MEMBER_OR_ADMIN, 'Reboot a server',
              ('POST', '/servers/{server_id}/action (reboot)')),
    base.rule(START, base.PROJECT_MEMBER_OR_ADMIN, 'Start a server',
              ('POST', '/servers/{server_id}/action (os-start)')),
    base.rule(STOP, base.PROJECT_MEMBER_OR_ADMIN, 'Stop a server',
              ('POST', '/servers/{server_id}/action (os-stop)')),
    base.rule(EXTENDED_ATTRS, base.ADMIN,
              'Return extended attributes for server (host, hypervisor '
              'hostname, instance name)',
              ('GET', '/servers/{id}'), ('GET', '/servers/detail')),
    base.rule(TOPOLOGY, base.PROJECT_READER_OR_ADMIN,
              'Show the NUMA topology data for a server',
              ('GET', '/servers/{server_id}/topology')),
    base.rule(TOPOLOGY_HOST, base.ADMIN,
              'Show the NUMA topology data for a server with host '
              'NUMA ID and CPU pinning information',
              ('GET', '/servers/{server_id}/topology')),
]

