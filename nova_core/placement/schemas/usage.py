"""Schemas of the query strings of /usages."""

import copy

from nova_core.placement.schemas import common

_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}

GET_USAGES_SCHEMA_1_9 = {
    'type': 'object',
    'properties': {
        'project_id': _ID,
        'user_id': _ID,
    },
    'required': ['project_id'],
    'additionalProperties': False,
}

# 1.38: usages grouped by consumer type, optionally of one type only.
GET_USAGES_SCHEMA_1_38 = copy.deepcopy(GET_USAGES_SCHEMA_1_9)
GET_USAGES_SCHEMA_1_38['properties']['consumer_type'] = {
    'type': 'string',
    'pattern': common.CONSUMER_TYPE_GET_PATTERN,
    'minLength': 1,
    'maxLength': 255,
}
