"""JSON schemas of the /flavors bodies and query strings (Nova's)."""

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
         'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}
_FLAVOR_ID = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
              'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'}
_NON_NEGATIVE = {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
                 'minimum': 0}
_POSITIVE = {'type': ['integer', 'string'], 'pattern': '^[0-9]*$',
             'minimum': 1, 'maximum': 2147483647}

CREATE = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {
                'name': _NAME,
                'id': _FLAVOR_ID,
                'ram': _POSITIVE,
                'vcpus': _POSITIVE,
                'disk': _NON_NEGATIVE,
                'OS-FLV-EXT-DATA:ephemeral': _NON_NEGATIVE,
                'swap': _NON_NEGATIVE,
                'rxtx_factor': {'type': ['number', 'string'],
                                'pattern': r'^[0-9]+(\.[0-9]+)?$',
                                'minimum': 0, 'exclusiveMinimum': 0},
                'os-flavor-access:is_public': {'type': 'boolean'},
            },
            'required': ['name', 'ram', 'vcpus', 'disk'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

# 2.55: a description.
CREATE_V255 = {
    'type': 'object',
    'properties': {
        'flavor': dict(CREATE['properties']['flavor'], properties=dict(
            CREATE['properties']['flavor']['properties'],
            description={'type': ['string', 'null'], 'maxLength': 65535})),
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

UPDATE = {
    'type': 'object',
    'properties': {
        'flavor': {
            'type': 'object',
            'properties': {'description': {'type': ['string', 'null'],
                                           'maxLength': 65535}},
            'required': ['description'],
            'additionalProperties': False,
        },
    },
    'required': ['flavor'],
    'additionalProperties': False,
}

_SPEC_KEY = r'^[a-zA-Z0-9-_:. ]{1,255}$'
_SPEC_VALUE = {'type': ['string', 'number', 'boolean'], 'maxLength': 255}
SPECS_CREATE = {
    'type': 'object',
    'properties': {
        'extra_specs': {
            'type': 'object',
            'patternProperties': {_SPEC_KEY: _SPEC_VALUE},
            'additionalProperties': False,
        },
    },
    'required': ['extra_specs'],
    'additionalProperties': False,
}
SPECS_UPDATE = {
    'type': 'object',
    'patternProperties': {_SPEC_KEY: _SPEC_VALUE},
    'minProperties': 1,
    'maxProperties': 1,
    'additionalProperties': False,
}

_QUERY_PROPS = {name: {} for name in (
    'limit', 'marker', 'is_public', 'minRam', 'minDisk', 'sort_key',
    'sort_dir')}
QUERY = {'type': 'object', 'properties': _QUERY_PROPS,
         'additionalProperties': True}
QUERY_V275 = {'type': 'object', 'properties': _QUERY_PROPS,
              'additionalProperties': False}


def _tenant_action(name):
    return {
        'type': 'object',
        'properties': {name: {
            'type': 'object',
            'properties': {'tenant': {'type': 'string', 'minLength': 1,
                                      'maxLength': 255}},
            'required': ['tenant'],
            'additionalProperties': False}},
        'required': [name],
        'additionalProperties': False,
    }


ADD_TENANT_ACCESS = _tenant_action('addTenantAccess')
REMOVE_TENANT_ACCESS = _tenant_action('removeTenantAccess')
