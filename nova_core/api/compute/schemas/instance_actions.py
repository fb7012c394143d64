"""Query strings of GET /servers/{id}/os-instance-actions (2.58 on):
unknown parameters are refused, as in Nova."""

_V258 = {name: {} for name in ('limit', 'marker', 'changes-since')}

QUERY_V258 = {'type': 'object', 'properties': _V258,
              'additionalProperties': False}
QUERY_V266 = {'type': 'object',
              'properties': dict(_V258, **{'changes-before': {}}),
              'additionalProperties': False}
