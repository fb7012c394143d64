"""The pre-check against jsonschema on every schema of the project.

For every schema (tests/unit/api/project_schemas.py finds them), values
near it (tests/unit/api/schema_instances.py) must get: "valid" from the
pre-check only if jsonschema says valid; from ``validate()`` exactly the
refusal (status and message) jsonschema alone gives; from ``first_error()``
jsonschema's own best error. Then single-point mutations of typical
requests, and a proof that each schema's fast path is reachable.
"""

import copy
import os

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
import jsonschema
import pytest

from nova_core.api.compute.schemas import flavors
from nova_core.api.compute.schemas import servers
from nova_core.api import schema_precheck
from nova_core.api import validation
from nova_core.placement.schemas import aggregate
from nova_core.placement.schemas import allocation
from nova_core.placement.schemas import allocation_candidate
from nova_core.placement.schemas import inventory
from nova_core.placement.schemas import reshaper
from nova_core.placement.schemas import resource_provider
from nova_core.placement.schemas import trait
from nova_core.placement.schemas import usage
from tests.unit.api import project_schemas
from tests.unit.api import schema_instances
from tests.unit.api.test_schema_precheck import _refusal

SCHEMAS = project_schemas.schemas()
NAMES = [name for name, _schema in SCHEMAS]
MESSAGE = 'JSON does not validate: %s'

SETTINGS = settings(
    max_examples=int(os.environ.get('NOVA_CORE_PRECHECK_EXAMPLES', 40)),
    deadline=None, database=None,
    derandomize=os.environ.get('CI') == 'true',
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large])


def _pure(schema):
    """A validator of *schema* that owes nothing to validation's cache."""
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=validation.FORMAT_CHECKER)


def _described(error):
    # Not str(error): the refusal compares that (and it pretty-prints the
    # schema and the instance, the slowest part of these tests).
    if error is None:
        return None
    return (error.message, error.validator, list(error.path),
            list(error.schema_path))


def check_agreement(schema, instance):
    """Assert the contract on one value; True if the fast path took it."""
    expected = jsonschema.exceptions.best_match(
        _pure(schema).iter_errors(instance))
    fast = validation._compiled(schema)[2](instance)
    assert fast in (True, False)
    if fast:
        assert expected is None, (
            'the pre-check accepts what jsonschema refuses: %r' % (instance,))
    want = None if expected is None else (400, MESSAGE % expected)
    assert _refusal(schema, instance) == want
    assert _described(validation.first_error(schema, instance)) == (
        _described(expected))
    return fast


def test_every_schema_was_found():
    # A sample of what the walk must find, so that a change to it that
    # finds nothing does not pass quietly.
    found = {id(schema) for _name, schema in SCHEMAS}
    for schema in (allocation.ALLOCATION_SCHEMA_V1_38,
                   allocation.POST_ALLOCATIONS_V1_38,
                   allocation_candidate.GET_SCHEMA_1_36,
                   allocation_candidate.FIRST_LIMIT,
                   reshaper.POST_RESHAPER_SCHEMA_V1_38,
                   inventory.PUT_INVENTORY_SCHEMA,
                   usage.GET_USAGES_SCHEMA_1_38,
                   servers.CREATE, servers.ACTION, flavors.SPECS_UPDATE):
        assert id(schema) in found
    assert len(SCHEMAS) >= 100


@pytest.mark.parametrize('name, schema', SCHEMAS, ids=NAMES)
def test_every_schema_compiles_to_a_precheck(name, schema):
    # No project schema uses a keyword the compiler leaves to jsonschema
    # as a whole; a new one that does should be a choice, not a surprise.
    assert validation._compiled(schema)[2] is not schema_precheck.never


@pytest.mark.parametrize('name, schema', SCHEMAS, ids=NAMES)
def test_every_valid_value_takes_the_fast_path(name, schema):
    # Not part of the contract, but the point of it: on values written for
    # a project schema, the pre-check knows every one jsonschema accepts.
    outcomes = []

    @SETTINGS
    @given(instance=schema_instances.near(schema, misses=False))
    def fitting_values(instance):
        fast = check_agreement(schema, instance)
        assert fast == _pure(schema).is_valid(instance), (
            'jsonschema had to accept %r' % (instance,))
        outcomes.append(fast)

    fitting_values()
    assert any(outcomes), 'no value fitting %s was drawn' % name


@pytest.mark.parametrize('name, schema', SCHEMAS, ids=NAMES)
@SETTINGS
@given(data=st.data())
def test_precheck_agrees_with_jsonschema(name, schema, data):
    check_agreement(schema, data.draw(schema_instances.near(schema),
                                      label='instance'))


@pytest.mark.parametrize('name, schema', SCHEMAS, ids=NAMES)
@settings(SETTINGS, max_examples=max(1, SETTINGS.max_examples // 2))
@given(instance=schema_instances.JSON)
def test_precheck_agrees_on_any_json(name, schema, instance):
    check_agreement(schema, instance)


# -- single-point mutations of typical requests ------------------------------

UUID = '9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8d'
OTHER = '0f0e4c2a-3b1d-4e5f-8a9b-0c1d2e3f4a5b'
RESOURCES = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
CLAIM_1_38 = {
    'allocations': {UUID: {'resources': RESOURCES}},
    'project_id': 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
    'user_id': 'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5',
    'consumer_generation': None,
    'consumer_type': 'INSTANCE',
}
CLAIM_1_28 = {key: value for key, value in CLAIM_1_38.items()
              if key != 'consumer_type'}
INVENTORY = {'total': 8, 'reserved': 0, 'min_unit': 1, 'max_unit': 8,
             'step_size': 1, 'allocation_ratio': 16.0}

TYPICAL = [
    (allocation.ALLOCATION_SCHEMA, {'allocations': [
        {'resource_provider': {'uuid': UUID}, 'resources': RESOURCES}]}),
    (allocation.ALLOCATION_SCHEMA_V1_8, {
        'allocations': [{'resource_provider': {'uuid': UUID},
                         'resources': RESOURCES}],
        'project_id': 'p', 'user_id': 'u'}),
    (allocation.ALLOCATION_SCHEMA_V1_12, {
        'allocations': {UUID: {'resources': RESOURCES, 'generation': 3}},
        'project_id': 'p', 'user_id': 'u'}),
    (allocation.ALLOCATION_SCHEMA_V1_28,
     dict(CLAIM_1_28, consumer_generation=1)),
    (allocation.ALLOCATION_SCHEMA_V1_34,
     dict(CLAIM_1_28, mappings={'_NIC': [UUID, OTHER]})),
    (allocation.ALLOCATION_SCHEMA_V1_38, CLAIM_1_38),
    (allocation.POST_ALLOCATIONS_V1_38,
     {OTHER: CLAIM_1_38, UUID: dict(CLAIM_1_38, allocations={})}),
    (allocation_candidate.GET_SCHEMA_1_36, {
        'resources': 'VCPU:1,MEMORY_MB:512,DISK_GB:1', 'limit': '1000',
        'required': 'HW_CPU_X86_AVX2', 'member_of': 'in:' + UUID,
        'resources_NIC': 'CUSTOM_NIC:1', 'group_policy': 'isolate',
        'in_tree': UUID, 'root_required': '!CUSTOM_X',
        'same_subtree': '_NIC,_ACCEL'}),
    (allocation_candidate.GET_SCHEMA_1_25,
     {'resources1': 'VCPU:1', 'group_policy': 'none'}),
    (allocation_candidate.FIRST_LIMIT, {'limit': '10'}),
    (reshaper.POST_RESHAPER_SCHEMA_V1_38, {
        'inventories': {UUID: {'resource_provider_generation': 1,
                               'inventories': {'VCPU': INVENTORY}}},
        'allocations': {OTHER: CLAIM_1_38}}),
    (inventory.PUT_INVENTORY_SCHEMA, {'resource_provider_generation': 0,
                                      'inventories': {'VCPU': INVENTORY}}),
    (inventory.POST_INVENTORY_SCHEMA,
     dict(INVENTORY, resource_class='VCPU', resource_provider_generation=0)),
    (resource_provider.POST_RP_SCHEMA_V1_14,
     {'name': 'cn1', 'uuid': UUID, 'parent_provider_uuid': None}),
    (resource_provider.GET_RPS_SCHEMA_1_18,
     {'name': 'cn1', 'in_tree': UUID, 'resources': 'VCPU:1'}),
    (trait.SET_TRAITS_FOR_RP_SCHEMA,
     {'traits': ['HW_CPU_X86_AVX2', 'CUSTOM_A'],
      'resource_provider_generation': 4}),
    (aggregate.PUT_AGGREGATES_SCHEMA_V1_19,
     {'aggregates': [UUID, OTHER], 'resource_provider_generation': 2}),
    (usage.GET_USAGES_SCHEMA_1_38,
     {'project_id': 'p', 'user_id': 'u', 'consumer_type': 'all'}),
    (servers.CREATE, {'server': {
        'name': 'vm1', 'flavorRef': '1', 'imageRef': UUID,
        'networks': [{'uuid': UUID, 'fixed_ip': '10.0.0.2'}],
        'min_count': '2', 'max_count': 3, 'metadata': {'k': 'v'},
        'accessIPv4': '10.0.0.9', 'config_drive': True},
        'os:scheduler_hints': {'group': UUID, 'other': [1]}}),
    (flavors.CREATE, {'flavor': {'name': 'm1', 'ram': 512, 'vcpus': '1',
                                 'disk': 0, 'rxtx_factor': '1.5',
                                 'os-flavor-access:is_public': False}}),
]

# What a value is replaced with, at every place of a typical request.
REPLACEMENTS = [
    None, True, False, 0, 1, -1, 1.0, 0.5, 2 ** 31, '', 'x', 'x' * 256,
    'not-a-uuid', UUID.upper(), UUID.replace('-', ''), [], {}, [UUID],
    {'VCPU': 1}, float('nan'),
]


def _places(value, path=()):
    """Every path into *value* (dict keys and list indexes)."""
    yield path
    if isinstance(value, dict):
        for key, each in value.items():
            yield from _places(each, path + (key,))
    elif isinstance(value, list):
        for index, each in enumerate(value):
            yield from _places(each, path + (index,))


def _at(value, path):
    for step in path:
        value = value[step]
    return value


def mutants(value):
    """Copies of *value* that differ from it in one place."""
    for path in _places(value):
        parent_path, last = path[:-1], path[-1:]
        for replacement in REPLACEMENTS:
            mutant = copy.deepcopy(value)
            if not path:
                yield copy.deepcopy(replacement)
                continue
            _at(mutant, parent_path)[last[0]] = copy.deepcopy(replacement)
            yield mutant
        target = _at(value, path)
        if isinstance(target, dict):
            for key in list(target):
                mutant = copy.deepcopy(value)
                del _at(mutant, path)[key]
                yield mutant
            for key in ('bogus', 'VCPU', 'vcpu', UUID, 'resources1', ''):
                mutant = copy.deepcopy(value)
                _at(mutant, path)[key] = copy.deepcopy(
                    next(iter(target.values()), 1))
                yield mutant
        elif isinstance(target, list):
            mutant = copy.deepcopy(value)
            _at(mutant, path).append(copy.deepcopy(target[0])
                                     if target else 1)
            yield mutant
            if target:
                mutant = copy.deepcopy(value)
                _at(mutant, path).pop()
                yield mutant


@pytest.mark.parametrize('schema, value', TYPICAL)
def test_typical_requests_and_their_mutants(schema, value):
    assert check_agreement(schema, value), 'the typical request was slow'
    fast = total = 0
    for mutant in mutants(value):
        total += 1
        fast += check_agreement(schema, mutant)
    assert total > 20
    assert fast < total
