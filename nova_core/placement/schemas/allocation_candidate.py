"""Schemas of the query string of GET /allocation_candidates, per microversion.

The schema sees ``{name: last value}``; the texts of its errors (e.g. the
list of regexes a bad key does not match) are compared by clients, so the
patterns are spelled as upstream placement spells them.
"""

import copy

from nova_core.placement.schemas import common

_KEYS = ('resources', 'required', 'member_of', 'in_tree')


def _group_key_pattern(prefix, suffix_pattern):
    return '^%s(%s)?$' % (prefix, suffix_pattern)


GET_SCHEMA_1_10 = {
    'type': 'object',
    'properties': {
        'resources': {'type': 'string'},
    },
    'required': ['resources'],
    'additionalProperties': False,
}

LIMIT = {
    # Query values are strings; integers are accepted for direct callers.
    'type': ['integer', 'string'],
    'pattern': '^[1-9][0-9]*$',
    'minimum': 1,
    'minLength': 1,
}

# The schema sees the last of repeated values, the handler uses the first.
FIRST_LIMIT = {
    'type': 'object',
    'properties': {'limit': LIMIT},
}

# 1.16: limit.
GET_SCHEMA_1_16 = copy.deepcopy(GET_SCHEMA_1_10)
GET_SCHEMA_1_16['properties']['limit'] = LIMIT

# 1.17: required traits.
GET_SCHEMA_1_17 = copy.deepcopy(GET_SCHEMA_1_16)
GET_SCHEMA_1_17['properties']['required'] = {'type': ['string']}

# 1.21: member_of.
GET_SCHEMA_1_21 = copy.deepcopy(GET_SCHEMA_1_17)
GET_SCHEMA_1_21['properties']['member_of'] = {'type': ['string']}

# 1.25: request groups (resourcesN, requiredN, member_ofN) and group_policy;
# resources is no longer required.
GET_SCHEMA_1_25 = copy.deepcopy(GET_SCHEMA_1_21)
for _key in ('resources', 'required', 'member_of'):
    del GET_SCHEMA_1_25['properties'][_key]
del GET_SCHEMA_1_25['required']
GET_SCHEMA_1_25['patternProperties'] = {
    _group_key_pattern(key, common.GROUP_PAT): {'type': 'string'}
    for key in ('resources', 'required', 'member_of')}
GET_SCHEMA_1_25['properties']['group_policy'] = {
    'type': 'string',
    'enum': ['none', 'isolate'],
}

# 1.31: in_tree (also per group).
GET_SCHEMA_1_31 = copy.deepcopy(GET_SCHEMA_1_25)
GET_SCHEMA_1_31['patternProperties'][
    _group_key_pattern('in_tree', common.GROUP_PAT)] = {'type': 'string'}

# 1.33: suffixes may be any 1-64 of [a-zA-Z0-9_-].
GET_SCHEMA_1_33 = copy.deepcopy(GET_SCHEMA_1_31)
GET_SCHEMA_1_33['patternProperties'] = {
    _group_key_pattern(key, common.GROUP_PAT_1_33): {'type': 'string'}
    for key in _KEYS}

# 1.35: root_required.
GET_SCHEMA_1_35 = copy.deepcopy(GET_SCHEMA_1_33)
GET_SCHEMA_1_35['properties']['root_required'] = {'type': ['string']}

# 1.36: same_subtree.
GET_SCHEMA_1_36 = copy.deepcopy(GET_SCHEMA_1_35)
GET_SCHEMA_1_36['properties']['same_subtree'] = {'type': ['string']}

# Newest first: the first whose microversion the request matches applies.
BY_VERSION = [
    ((1, 36), GET_SCHEMA_1_36),
    ((1, 35), GET_SCHEMA_1_35),
    ((1, 33), GET_SCHEMA_1_33),
    ((1, 31), GET_SCHEMA_1_31),
    ((1, 25), GET_SCHEMA_1_25),
    ((1, 21), GET_SCHEMA_1_21),
    ((1, 17), GET_SCHEMA_1_17),
    ((1, 16), GET_SCHEMA_1_16),
    ((1, 10), GET_SCHEMA_1_10),
]
