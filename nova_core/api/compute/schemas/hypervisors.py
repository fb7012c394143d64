"""Query strings of /os-hypervisors (Nova's)."""

_BOOLEAN = {'type': 'string', 'enum': [
    '0', '1', 'true', 'false', 'True', 'False', 'TRUE', 'FALSE', 'yes', 'no',
    'on', 'off', 't', 'f', 'y', 'n']}
_LIMIT = {'type': 'string', 'pattern': '^[0-9]+$'}

# Before 2.33 anything goes (and is ignored).
QUERY = {'type': 'object', 'additionalProperties': True, 'properties': {}}

# 2.33: paging.
QUERY_V233 = {
    'type': 'object',
    'properties': {'limit': _LIMIT, 'marker': {'type': 'string'}},
    'additionalProperties': False,
}

# 2.53: uuid markers, a hostname pattern, the servers of each hypervisor.
QUERY_V253 = {
    'type': 'object',
    'properties': {
        'limit': _LIMIT,
        'marker': {'type': 'string'},
        'hypervisor_hostname_pattern': {'type': 'string', 'minLength': 1,
                                        'maxLength': 255},
        'with_servers': _BOOLEAN,
    },
    'additionalProperties': False,
}

SHOW_V253 = {
    'type': 'object',
    'properties': {'with_servers': _BOOLEAN},
    'additionalProperties': False,
}
