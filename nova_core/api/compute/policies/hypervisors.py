"""Policies of /os-hypervisors (Nova's rule names, admin only)."""

from nova_core.api.compute.policies import base

_RULE = 'os_compute_api:os-hypervisors:%s'
LIST = _RULE % 'list'
LIST_DETAIL = _RULE % 'list-detail'
STATISTICS = _RULE % 'statistics'
SHOW = _RULE % 'show'
UPTIME = _RULE % 'uptime'
SEARCH = _RULE % 'search'
SERVERS = _RULE % 'servers'

_ROOT = '/os-hypervisors'

rules = [
    base.rule(LIST, base.ADMIN, 'List all hypervisors.', ('GET', _ROOT)),
    base.rule(LIST_DETAIL, base.ADMIN, 'List all hypervisors with details',
              ('GET', _ROOT + '/detail')),
    base.rule(STATISTICS, base.ADMIN, 'Show summary statistics for all '
              'hypervisors over all compute nodes.',
              ('GET', _ROOT + '/statistics')),
    base.rule(SHOW, base.ADMIN, 'Show details for a hypervisor.',
              ('GET', _ROOT + '/{hypervisor_id}')),
    base.rule(UPTIME, base.ADMIN, 'Show the uptime of a hypervisor.',
              ('GET', _ROOT + '/{hypervisor_id}/uptime')),
    base.rule(SEARCH, base.ADMIN, 'Search hypervisor by hypervisor_hostname '
              'pattern.', ('GET', _ROOT + '/{hypervisor_hostname_pattern}'
                           '/search')),
    base.rule(SERVERS, base.ADMIN, 'List all servers on hypervisors that '
              'can match the provided hypervisor_hostname pattern.',
              ('GET', _ROOT + '/{hypervisor_hostname_pattern}/servers')),
]
