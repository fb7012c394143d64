"""Schemas of /resource_providers: bodies of POST and PUT, list queries."""

import copy

_NAME = {'type': 'string', 'maxLength': 200}
_UUID = {'type': 'string', 'format': 'uuid'}

POST_RESOURCE_PROVIDER_SCHEMA = {
    'type': 'object',
    'properties': {'name': _NAME, 'uuid': _UUID},
    'required': ['name'],
    'additionalProperties': False,
}

PUT_RESOURCE_PROVIDER_SCHEMA = copy.deepcopy(POST_RESOURCE_PROVIDER_SCHEMA)
del PUT_RESOURCE_PROVIDER_SCHEMA['properties']['uuid']

# 1.14: a provider may be created under, or moved to, a parent.
_PARENT = {'anyOf': [_UUID, {'type': 'null'}]}

POST_RP_SCHEMA_V1_14 = copy.deepcopy(POST_RESOURCE_PROVIDER_SCHEMA)
POST_RP_SCHEMA_V1_14['properties']['parent_provider_uuid'] = _PARENT

PUT_RP_SCHEMA_V1_14 = copy.deepcopy(PUT_RESOURCE_PROVIDER_SCHEMA)
PUT_RP_SCHEMA_V1_14['properties']['parent_provider_uuid'] = _PARENT

# Query strings of GET /resource_providers, growing with the microversion.
# The values of member_of, resources and required are parsed by
# handlers/query.py, which gives the precise errors.
GET_RPS_SCHEMA_1_0 = {
    'type': 'object',
    'properties': {'name': {'type': 'string'}, 'uuid': _UUID},
    'additionalProperties': False,
}


def _extend(schema, **properties):
    extended = copy.deepcopy(schema)
    extended['properties'].update(properties)
    return extended


GET_RPS_SCHEMA_1_3 = _extend(GET_RPS_SCHEMA_1_0, member_of={'type': 'string'})
GET_RPS_SCHEMA_1_4 = _extend(GET_RPS_SCHEMA_1_3, resources={'type': 'string'})
GET_RPS_SCHEMA_1_14 = _extend(GET_RPS_SCHEMA_1_4, in_tree=_UUID)
GET_RPS_SCHEMA_1_18 = _extend(GET_RPS_SCHEMA_1_14,
                              required={'type': 'string'})

# Newest first: the first whose version the request matches applies.
GET_RPS_SCHEMAS = (
    ((1, 18), GET_RPS_SCHEMA_1_18),
    ((1, 14), GET_RPS_SCHEMA_1_14),
    ((1, 4), GET_RPS_SCHEMA_1_4),
    ((1, 3), GET_RPS_SCHEMA_1_3),
    ((1, 0), GET_RPS_SCHEMA_1_0),
)
