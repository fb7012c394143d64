"""JSON schemas of the /os-keypairs bodies and query strings (Nova's)."""

import copy

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}

CREATE = {
    'type': 'object',
    'properties': {
        'keypair': {
            'type': 'object',
            'properties': {
                'name': _NAME,
                'public_key': {'type': 'string'},
            },
            'required': ['name'],
            'additionalProperties': False,
        },
    },
    'required': ['keypair'],
    'additionalProperties': False,
}

# 2.2: the key type.
CREATE_V22 = copy.deepcopy(CREATE)
CREATE_V22['properties']['keypair']['properties']['type'] = {
    'type': 'string', 'enum': ['ssh', 'x509']}

# 2.10: admins create key pairs for other users.
CREATE_V210 = copy.deepcopy(CREATE_V22)
CREATE_V210['properties']['keypair']['properties']['user_id'] = {
    'type': 'string'}

_NON_NEGATIVE = {'type': 'string', 'pattern': '^[0-9]+$'}

QUERY = {'type': 'object', 'properties': {}, 'additionalProperties': True}
QUERY_V210 = {'type': 'object', 'properties': {'user_id': {}},
              'additionalProperties': True}
QUERY_V235 = {'type': 'object',
              'properties': {'user_id': {}, 'limit': _NON_NEGATIVE,
                             'marker': {}},
              'additionalProperties': True}
