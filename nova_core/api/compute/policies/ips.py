"""Policies of /servers/{server_id}/ips (Nova's names and defaults)."""

from nova_core.api.compute.policies import base

INDEX = 'os_compute_api:ips:index'
SHOW = 'os_compute_api:ips:show'

rules = [
    base.rule(INDEX, base.PROJECT_READER_OR_ADMIN,
              'List IP addresses that are assigned to a server',
              ('GET', '/servers/{server_id}/ips')),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show IP addresses details for a network label of a server',
              ('GET', '/servers/{server_id}/ips/{network_label}')),
]
