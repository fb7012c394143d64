"""Schemas of /resource_providers/{uuid}/inventories."""

import copy

from nova_core.placement.db import base
from nova_core.placement.schemas import common

# What a client may leave out of an inventory, and what it then gets.
DEFAULTS = {
    'reserved': 0,
    'min_unit': 1,
    'max_unit': base.MAX_INT,
    'step_size': 1,
    'allocation_ratio': 1.0,
}


def _integer(minimum):
    return {'type': 'integer', 'minimum': minimum, 'maximum': base.MAX_INT}


BASE_INVENTORY_SCHEMA = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': {'type': 'integer'},
        'total': _integer(1),
        'reserved': _integer(0),
        'min_unit': _integer(1),
        'max_unit': _integer(1),
        'step_size': _integer(1),
        'allocation_ratio': {
            'type': 'number',
            'maximum': base.SQL_SP_FLOAT_MAX,
        },
    },
    'required': ['total', 'resource_provider_generation'],
    'additionalProperties': False,
}

# PUT /resource_providers/{uuid}/inventories/{resource_class}
PUT_ONE_SCHEMA = BASE_INVENTORY_SCHEMA

# POST /resource_providers/{uuid}/inventories
POST_INVENTORY_SCHEMA = copy.deepcopy(BASE_INVENTORY_SCHEMA)
POST_INVENTORY_SCHEMA['properties']['resource_class'] = {
    'type': 'string',
    'pattern': common.RC_PATTERN,
}
POST_INVENTORY_SCHEMA['required'] = ['total', 'resource_class']

# One record of PUT /resource_providers/{uuid}/inventories (and of the
# reshaper): the class is the key, the generation is the envelope's.
INVENTORY_RECORD_SCHEMA = copy.deepcopy(BASE_INVENTORY_SCHEMA)
INVENTORY_RECORD_SCHEMA['required'] = ['total']

PUT_INVENTORY_SCHEMA = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': {'type': 'integer'},
        'inventories': {
            'type': 'object',
            'patternProperties': {
                common.RC_PATTERN: INVENTORY_RECORD_SCHEMA,
            },
            # A key that is no class name still needs a valid record: its
            # name is then refused as an unknown resource class.
            'additionalProperties': INVENTORY_RECORD_SCHEMA,
        },
    },
    'required': ['resource_provider_generation', 'inventories'],
    'additionalProperties': False,
}
