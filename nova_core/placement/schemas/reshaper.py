"""Schemas of POST /reshaper (microversion 1.30)."""

import copy

from nova_core.placement.schemas import allocation
from nova_core.placement.schemas import common
from nova_core.placement.schemas import inventory


def _schema(post_allocations):
    allocations = copy.deepcopy(post_allocations)
    # A reshape may move inventory that nothing is allocated from.
    allocations['minProperties'] = 0
    return {
        'type': 'object',
        'properties': {
            'inventories': {
                'type': 'object',
                'patternProperties': {
                    common.UUID_PATTERN: inventory.PUT_INVENTORY_SCHEMA,
                },
                # Nothing to reshape without at least one provider.
                'minProperties': 1,
                'additionalProperties': False,
            },
            'allocations': allocations,
        },
        'required': ['inventories', 'allocations'],
        'additionalProperties': False,
    }


POST_RESHAPER_SCHEMA = _schema(allocation.POST_ALLOCATIONS_V1_28)
POST_RESHAPER_SCHEMA_V1_34 = _schema(allocation.POST_ALLOCATIONS_V1_34)
POST_RESHAPER_SCHEMA_V1_38 = _schema(allocation.POST_ALLOCATIONS_V1_38)


def for_version(version):
    """The POST /reshaper schema of *version* (1.30 and later)."""
    if version.matches((1, 38)):
        return POST_RESHAPER_SCHEMA_V1_38
    if version.matches((1, 34)):
        return POST_RESHAPER_SCHEMA_V1_34
    return POST_RESHAPER_SCHEMA
