"""JSON schemas of the /os-services bodies and query strings (Nova's)."""

_HOST = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_BINARY = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_REASON = {'type': 'string', 'minLength': 1, 'maxLength': 255}

# PUT /os-services/enable|disable|disable-log-reason (before 2.53).
UPDATE = {
    'type': 'object',
    'properties': {'host': _HOST, 'binary': _BINARY,
                   'disabled_reason': _REASON},
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

# PUT /os-services/force-down (2.11 to 2.52).
FORCE_DOWN = {
    'type': 'object',
    'properties': {'host': _HOST, 'binary': _BINARY,
                   'forced_down': {'type': 'boolean'}},
    'required': ['host', 'binary'],
    'additionalProperties': False,
}

# PUT /os-services/{uuid} (2.53).
UPDATE_V253 = {
    'type': 'object',
    'properties': {
        'status': {'type': 'string', 'enum': ['enabled', 'disabled']},
        'disabled_reason': _REASON,
        'forced_down': {'type': 'boolean'},
    },
    'additionalProperties': False,
}

QUERY = {
    'type': 'object',
    'properties': {'host': {'type': 'string'}, 'binary': {'type': 'string'}},
    'additionalProperties': True,
}

# 2.75: unknown query parameters are refused.
QUERY_V275 = dict(QUERY, additionalProperties=False)
