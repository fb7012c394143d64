"""Policies of /servers/{id}/os-instance-actions (Nova's names and defaults)."""

from nova_core.api.compute.policies import base

ACTIONS = 'os_compute_api:os-instance-actions:%s'
LIST = ACTIONS % 'list'
SHOW = ACTIONS % 'show'
EVENTS = ACTIONS % 'events'
EVENTS_DETAILS = ACTIONS % 'events:details'

_PATH = '/servers/{server_id}/os-instance-actions'

rules = [
    base.rule(LIST, base.PROJECT_READER_OR_ADMIN,
              'List actions for a server', ('GET', _PATH)),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show action details for a server',
              ('GET', _PATH + '/{request_id}')),
    base.rule(EVENTS, base.ADMIN,
              'Add events details in action details for a server: before '
              '2.51 the events themselves, from 2.51 their traceback and '
              'from 2.62 their host',
              ('GET', _PATH + '/{request_id}')),
    base.rule(EVENTS_DETAILS, base.PROJECT_READER_OR_ADMIN,
              "Add the events' details (2.84) in action details for a "
              'server', ('GET', _PATH + '/{request_id}')),
]
