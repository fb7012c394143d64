"""JSON schemas of the /os-server-groups bodies and query strings (Nova's)."""

import copy

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}
_HARD = ['anti-affinity', 'affinity']
_ALL = _HARD + ['soft-anti-affinity', 'soft-affinity']


def _policies(names):
    return {'type': 'array', 'items': {'type': 'string', 'enum': names},
            'uniqueItems': True, 'minItems': 1, 'maxItems': 1}


CREATE = {
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {'name': _NAME, 'policies': _policies(_HARD)},
            'required': ['name', 'policies'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
}

# 2.15: the soft policies.
CREATE_V215 = copy.deepcopy(CREATE)
CREATE_V215['properties']['server_group']['properties']['policies'] = (
    _policies(_ALL))

# 2.64: one ``policy`` and its ``rules``.
CREATE_V264 = {
    'type': 'object',
    'properties': {
        'server_group': {
            'type': 'object',
            'properties': {
                'name': _NAME,
                'policy': {'type': 'string', 'enum': _ALL},
                'rules': {
                    'type': 'object',
                    'properties': {
                        'max_server_per_host': {
                            'type': ['integer', 'string'],
                            'pattern': '^[0-9]*$', 'minimum': 1,
                            'minLength': 1},
                    },
                    'additionalProperties': False,
                },
            },
            'required': ['name', 'policy'],
            'additionalProperties': False,
        },
    },
    'required': ['server_group'],
    'additionalProperties': False,
}

_QUERY_PROPS = {'all_projects': {}, 'limit': {}, 'offset': {}}
QUERY = {'type': 'object', 'properties': _QUERY_PROPS,
         'additionalProperties': True}
# 2.75: unknown parameters are refused.
QUERY_V275 = {'type': 'object', 'properties': _QUERY_PROPS,
              'additionalProperties': False}
