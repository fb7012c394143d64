"""Schemas of /resource_providers/{uuid}/aggregates."""

import copy

_AGGREGATES = {
    'type': 'array',
    'items': {'type': 'string', 'format': 'uuid'},
    'uniqueItems': True,
}

# 1.1 - 1.18: the body is the bare list.
PUT_AGGREGATES_SCHEMA_V1_1 = copy.deepcopy(_AGGREGATES)

# 1.19: the list with the provider generation the client saw.
PUT_AGGREGATES_SCHEMA_V1_19 = {
    'type': 'object',
    'properties': {
        'aggregates': copy.deepcopy(_AGGREGATES),
        'resource_provider_generation': {'type': 'integer'},
    },
    'required': ['aggregates', 'resource_provider_generation'],
    'additionalProperties': False,
}
