"""Policies of /os-aggregates (Nova's rule names, admin only)."""

from nova_core.api.compute.policies import base

_RULE = 'os_compute_api:os-aggregates:%s'
INDEX = _RULE % 'index'
CREATE = _RULE % 'create'
SHOW = _RULE % 'show'
UPDATE = _RULE % 'update'
DELETE = _RULE % 'delete'
ADD_HOST = _RULE % 'add_host'
REMOVE_HOST = _RULE % 'remove_host'
SET_METADATA = _RULE % 'set_metadata'

_ONE = '/os-aggregates/{aggregate_id}'

rules = [
    base.rule(INDEX, base.ADMIN, 'List all aggregates',
              ('GET', '/os-aggregates')),
    base.rule(CREATE, base.ADMIN, 'Create an aggregate',
              ('POST', '/os-aggregates')),
    base.rule(SHOW, base.ADMIN, 'Show details for an aggregate',
              ('GET', _ONE)),
    base.rule(UPDATE, base.ADMIN, 'Update name and/or availability zone '
              'of an aggregate', ('PUT', _ONE)),
    base.rule(DELETE, base.ADMIN, 'Delete an aggregate', ('DELETE', _ONE)),
    base.rule(ADD_HOST, base.ADMIN, 'Add a host to an aggregate',
              ('POST', _ONE + '/action (add_host)')),
    base.rule(REMOVE_HOST, base.ADMIN, 'Remove a host from an aggregate',
              ('POST', _ONE + '/action (remove_host)')),
    base.rule(SET_METADATA, base.ADMIN, 'Create or replace metadata for an '
              'aggregate', ('POST', _ONE + '/action (set_metadata)')),
]
