"""Schemas of PUT /allocations/{consumer_uuid} and POST /allocations.

Each microversion that changed the body has its own schema, built from the
previous one:

- 1.0: ``allocations`` is a non-empty list of ``{resource_provider: {uuid},
  resources}``;
- 1.8: ``project_id`` and ``user_id`` are required;
- 1.12: ``allocations`` is a dict keyed by provider uuid (the shape GET
  returns; an optional ``generation`` in it is ignored);
- 1.13: POST /allocations, a dict of such bodies keyed by consumer uuid,
  whose ``allocations`` may be empty (remove them);
- 1.28: ``consumer_generation`` (integer or null) is required, and PUT too
  accepts empty allocations;
- 1.34: optional ``mappings`` (request group suffix -> provider uuids);
- 1.38: ``consumer_type`` is required.
"""

import copy

from nova_core.placement.schemas import common

_RESOURCES = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        common.RC_PATTERN: {'type': 'integer', 'minimum': 1},
    },
    'additionalProperties': False,
}

_EXTERNAL_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}


def _body(allocations, required=('allocations',), **properties):
    return {
        'type': 'object',
        'properties': dict(allocations=allocations, **properties),
        'required': list(required),
        'additionalProperties': False,
    }


ALLOCATION_SCHEMA = _body({
    'type': 'array',
    'minItems': 1,
    'items': {
        'type': 'object',
        'properties': {
            'resource_provider': {
                'type': 'object',
                'properties': {'uuid': {'type': 'string', 'format': 'uuid'}},
                'required': ['uuid'],
                'additionalProperties': False,
            },
            'resources': _RESOURCES,
        },
        'required': ['resource_provider', 'resources'],
        'additionalProperties': False,
    },
})

ALLOCATION_SCHEMA_V1_8 = copy.deepcopy(ALLOCATION_SCHEMA)
ALLOCATION_SCHEMA_V1_8['properties'].update(project_id=_EXTERNAL_ID,
                                             user_id=_EXTERNAL_ID)
ALLOCATION_SCHEMA_V1_8['required'] += ['project_id', 'user_id']

_BY_PROVIDER = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        common.UUID_PATTERN: {
            'type': 'object',
            'properties': {
                'generation': {'type': 'integer'},
                'resources': _RESOURCES,
            },
            'required': ['resources'],
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}

ALLOCATION_SCHEMA_V1_12 = _body(
    _BY_PROVIDER, required=('allocations', 'project_id', 'user_id'),
    project_id=_EXTERNAL_ID, user_id=_EXTERNAL_ID)

# The same, allowing empty allocations: the consumer's are removed.
_DELETABLE = copy.deepcopy(ALLOCATION_SCHEMA_V1_12)
_DELETABLE['properties']['allocations']['minProperties'] = 0


def _with(schema, name, definition, required=True):
    new = copy.deepcopy(schema)
    new['properties'][name] = definition
    if required:
        new['required'].append(name)
    return new


def _post(consumer_schema):
    return {
        'type': 'object',
        'minProperties': 1,
        'patternProperties': {common.UUID_PATTERN: consumer_schema},
        'additionalProperties': False,
    }


_GENERATION = {'type': ['integer', 'null']}

_MAPPINGS = {
    'type': 'object',
    'minProperties': 1,
    # Unanchored on purpose, as upstream: keys are checked loosely.
    'patternProperties': {
        common.GROUP_PAT_1_33: {
            'type': 'array',
            'minItems': 1,
            'items': {'type': 'string', 'format': 'uuid'},
        },
    },
}

_CONSUMER_TYPE = {
    'type': 'string',
    'pattern': common.CONSUMER_TYPE_PATTERN,
    'minLength': 1,
    'maxLength': 255,
}

ALLOCATION_SCHEMA_V1_28 = _with(_DELETABLE, 'consumer_generation',
                                _GENERATION)
ALLOCATION_SCHEMA_V1_34 = _with(ALLOCATION_SCHEMA_V1_28, 'mappings',
                                _MAPPINGS, required=False)
ALLOCATION_SCHEMA_V1_38 = _with(ALLOCATION_SCHEMA_V1_34, 'consumer_type',
                                _CONSUMER_TYPE)

POST_ALLOCATIONS_V1_13 = _post(_DELETABLE)
POST_ALLOCATIONS_V1_28 = _post(ALLOCATION_SCHEMA_V1_28)
POST_ALLOCATIONS_V1_34 = _post(ALLOCATION_SCHEMA_V1_34)
POST_ALLOCATIONS_V1_38 = _post(ALLOCATION_SCHEMA_V1_38)


# Newest first: the first whose version the request matches applies.
_PUT_SCHEMAS = (((1, 38), ALLOCATION_SCHEMA_V1_38),
                ((1, 34), ALLOCATION_SCHEMA_V1_34),
                ((1, 28), ALLOCATION_SCHEMA_V1_28),
                ((1, 12), ALLOCATION_SCHEMA_V1_12),
                ((1, 8), ALLOCATION_SCHEMA_V1_8),
                ((1, 0), ALLOCATION_SCHEMA))
_POST_SCHEMAS = (((1, 38), POST_ALLOCATIONS_V1_38),
                 ((1, 34), POST_ALLOCATIONS_V1_34),
                 ((1, 28), POST_ALLOCATIONS_V1_28),
                 ((1, 13), POST_ALLOCATIONS_V1_13))


def _for_version(schemas, version):
    for since, schema in schemas:
        if version.matches(since):
            return schema
    raise ValueError('no schema for version %s' % (version,))


def put_schema(version):
    """The PUT /allocations/{consumer_uuid} schema of *version*."""
    return _for_version(_PUT_SCHEMAS, version)


def post_schema(version):
    """The POST /allocations schema of *version* (1.13 and later)."""
    return _for_version(_POST_SCHEMAS, version)
