"""The compiled pre-check of request validation: JSON Schema subtleties
keyword by keyword, and the hot placement requests taking the fast path."""

import math
from unittest import mock

import jsonschema
import pytest
import webob

from nova_core.api import microversion
from nova_core.api import schema_precheck
from nova_core.api import validation
from nova_core.placement.handlers import allocation_candidate as ac_handler
from nova_core.placement.schemas import allocation
from nova_core.placement.schemas import allocation_candidate

UUID = '9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8d'
MESSAGE = 'JSON does not validate: %s'


def _precheck(schema):
    return validation._compiled(schema)[2]


def _jsonschema_says(schema, instance):
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=validation.FORMAT_CHECKER).is_valid(
        instance)


def _refusal(schema, instance):
    try:
        validation.validate(instance, schema, MESSAGE)
    except webob.exc.HTTPException as exc:
        return exc.status_code, exc.detail
    return None


def _pure_refusal(schema, instance):
    cls = jsonschema.validators.validator_for(schema)
    error = jsonschema.exceptions.best_match(
        cls(schema, format_checker=validation.FORMAT_CHECKER).iter_errors(
            instance))
    return None if error is None else (400, MESSAGE % error)


# (schema, instance, what the pre-check answers, what jsonschema answers):
# the pre-check may say False where jsonschema says True (it then decides),
# never the other way round.
CASES = [
    # bool is no integer and no number; an integral float is an integer to
    # jsonschema, which is left to decide it.
    ({'type': 'integer'}, 3, True, True),
    ({'type': 'integer'}, True, False, False),
    ({'type': 'integer'}, 3.0, False, True),
    ({'type': 'integer'}, 3.5, False, False),
    ({'type': 'number'}, 3.5, True, True),
    ({'type': 'number'}, False, False, False),
    ({'type': 'number', 'maximum': 1.5}, math.nan, True, True),
    ({'type': 'number', 'maximum': 1.5}, math.inf, False, False),
    ({'type': ['integer', 'null']}, None, True, True),
    ({'type': ['integer', 'null']}, 0, True, True),
    ({'type': ['integer', 'null']}, '0', False, False),
    ({'type': 'integer', 'minimum': 1}, 0, False, False),
    ({'type': 'integer', 'minimum': 1}, 1, True, True),
    ({'type': 'integer', 'maximum': 10}, 2 ** 80, False, False),
    ({'exclusiveMinimum': 0}, 0, False, False),
    ({'exclusiveMinimum': 0}, 0.001, True, True),
    ({'exclusiveMaximum': 1}, 1, False, False),
    # Keywords of other types do not apply: a string with a minimum.
    ({'type': ['integer', 'string'], 'minimum': 1}, '0', True, True),
    ({'minimum': 1}, True, True, True),
    ({'minLength': 2}, 1, True, True),
    # pattern is re.search: unanchored unless the pattern anchors.
    ({'type': 'string', 'pattern': 'b'}, 'abc', True, True),
    ({'type': 'string', 'pattern': '^b'}, 'abc', False, False),
    ({'type': 'string', 'pattern': '^a$'}, 'a\n', True, True),
    ({'type': 'string', 'minLength': 2, 'maxLength': 3}, 'ab', True, True),
    ({'type': 'string', 'maxLength': 3}, '\u00e9\u00e9\u00e9', True, True),
    ({'type': 'string', 'maxLength': 3}, 'abcd', False, False),
    # format: only what the format checker knows; uuid is oslo's.
    ({'type': 'string', 'format': 'uuid'}, UUID, True, True),
    ({'type': 'string', 'format': 'uuid'}, UUID.replace('-', ''), True,
     True),
    ({'type': 'string', 'format': 'uuid'}, 'not-a-uuid', False, False),
    ({'format': 'uuid'}, 17, True, True),
    ({'type': 'string', 'format': 'ipv4'}, '10.0.0.1', True, True),
    ({'type': 'string', 'format': 'ipv4'}, '10.0.0.300', False, False),
    ({'type': 'string', 'format': 'no-such-format'}, 'x', True, True),
    # enum and const: bool and int are not equal; 1.0 and 1 are (for
    # jsonschema), which the pre-check leaves to it.
    ({'enum': [1, 'a', None]}, 1, True, True),
    ({'enum': [1, 'a', None]}, True, False, False),
    ({'enum': [1, 'a', None]}, 1.0, False, True),
    ({'enum': [True]}, 1, False, False),
    ({'enum': [None, 'raw']}, None, True, True),
    ({'enum': [[1], {'a': 1}]}, [1], False, True),
    ({'const': 0}, False, False, False),
    ({'const': 'x'}, 'x', True, True),
    # Objects: required (also nested), properties, additional properties
    # and the patterns that make a property not additional.
    ({'type': 'object', 'required': ['a']}, {}, False, False),
    ({'type': 'object', 'required': ['a']}, {'a': None}, True, True),
    ({'required': ['a']}, [], True, True),
    ({'properties': {'a': {'required': ['b']}}}, {'a': {}}, False, False),
    ({'properties': {'a': {'required': ['b']}}}, {'a': {'b': 1}}, True,
     True),
    ({'properties': {'a': {'type': 'string'}},
      'additionalProperties': False}, {'a': 'x', 'b': 1}, False, False),
    ({'patternProperties': {'^x': {'type': 'integer'}},
      'additionalProperties': False}, {'xa': 1}, True, True),
    ({'patternProperties': {'^x': {'type': 'integer'}},
      'additionalProperties': False}, {'xa': 's'}, False, False),
    ({'patternProperties': {'^x': {'type': 'integer'}},
      'additionalProperties': False}, {'ya': 1}, False, False),
    ({'patternProperties': {'^x': {}, '^y': {}},
      'additionalProperties': False}, {'ya': 1, 'xb': 2}, True, True),
    ({'patternProperties': {'^x': {'type': 'integer'}},
      'additionalProperties': {'type': 'string'}}, {'xa': 1, 'b': 's'},
     True, True),
    ({'patternProperties': {'^x': {'type': 'integer'}},
      'additionalProperties': {'type': 'string'}}, {'b': 1}, False, False),
    # A property both named and matching a pattern must fit both.
    ({'properties': {'xa': {'type': 'integer'}},
      'patternProperties': {'^x': {'minimum': 5}}}, {'xa': 3}, False,
     False),
    ({'properties': {'xa': {'type': 'integer'}},
      'patternProperties': {'^x': {'minimum': 5}}}, {'xa': 7}, True, True),
    ({'minProperties': 1}, {}, False, False),
    ({'maxProperties': 1}, {'a': 1, 'b': 2}, False, False),
    ({'maxProperties': 1}, {'a': 1}, True, True),
    # Arrays.
    ({'type': 'array', 'items': {'type': 'string'}}, ['a', 'b'], True,
     True),
    ({'type': 'array', 'items': {'type': 'string'}}, ['a', 1], False,
     False),
    ({'type': 'array', 'items': False}, [], True, True),
    ({'type': 'array', 'items': False}, [1], False, False),
    ({'minItems': 1}, [], False, False),
    ({'maxItems': 0}, [1], False, False),
    ({'uniqueItems': True}, ['a', 'b'], True, True),
    ({'uniqueItems': True}, ['a', 'a'], False, False),
    ({'uniqueItems': True}, [1, True], False, True),
    ({'uniqueItems': True}, [1, 1.0], False, False),
    ({'uniqueItems': True}, [{'a': 1}, {'a': 1}], False, False),
    ({'uniqueItems': False}, [1, 1], True, True),
    # Combinators.
    ({'anyOf': [{'type': 'string', 'format': 'uuid'}, {'type': 'null'}]},
     None, True, True),
    ({'anyOf': [{'type': 'string', 'format': 'uuid'}, {'type': 'null'}]},
     'x', False, False),
    ({'allOf': [{'minimum': 1}, {'maximum': 3}]}, 2, True, True),
    ({'allOf': [{'minimum': 1}, {'maximum': 3}]}, 4, False, False),
    ({'oneOf': [{'type': 'array'}, {'type': 'string',
                                    'enum': ['none', 'auto']}]},
     'auto', True, True),
    ({'oneOf': [{'type': 'array'}, {'type': 'string',
                                    'enum': ['none', 'auto']}]},
     [], True, True),
    ({'oneOf': [{'type': 'integer'}, {'minimum': 2}]}, 3, False, False),
    ({'oneOf': [{'type': 'integer'}, {'minimum': 2}]}, 1, False, True),
    ({'oneOf': [{'type': 'integer'}, {'type': 'number'}]}, 1.5, False,
     True),
    ({'type': 'object', 'anyOf': [{'required': ['a']},
                                  {'required': ['b']}]}, {'b': 1}, True,
     True),
    ({'type': 'object', 'anyOf': [{'required': ['a']},
                                  {'required': ['b']}]}, {'c': 1}, False,
     False),
    # Boolean schemas and annotations.
    ({'properties': {'a': True, 'b': False}}, {'a': 1}, True, True),
    ({'properties': {'a': True, 'b': False}}, {'b': 1}, False, False),
    ({'type': 'string', 'description': 'a name', 'default': 'x'}, 'y',
     True, True),
    # Keywords the compiler does not know: that sub-schema is "not sure".
    ({'type': 'integer', 'multipleOf': 2}, 4, False, True),
    ({'properties': {'a': {'not': {'type': 'null'}}}}, {'b': 1}, True,
     True),
    ({'properties': {'a': {'not': {'type': 'null'}}}}, {'a': 1}, False,
     True),
    ({'$defs': {'n': {'type': 'integer'}}, '$ref': '#/$defs/n'}, 1, False,
     True),
    ({'type': 'object', 'propertyNames': {'maxLength': 1}}, {'a': 1},
     False, True),
    ({'type': 'object', 'dependentRequired': {'a': ['b']}}, {}, False,
     True),
    # Values that are no JSON (direct callers): jsonschema decides.
    ({'type': 'object'}, {1: 'a'}, True, True),
    ({'patternProperties': {'^a': {}}}, {1: 'a'}, False, None),
    ({'type': 'array'}, ('a',), False, False),
    ({}, (1,), False, True),
    ({'type': 'number'}, 1 + 2j, False, True),
]


@pytest.mark.parametrize('schema, instance, fast, valid', CASES)
def test_precheck_answers_only_what_jsonschema_would(schema, instance, fast,
                                                     valid):
    assert _precheck(schema)(instance) is fast
    if valid is None:
        # jsonschema itself fails on it; validate() fails the same way.
        with pytest.raises(TypeError):
            _jsonschema_says(schema, instance)
        with pytest.raises(TypeError):
            validation.validate(instance, schema)
        return
    assert _jsonschema_says(schema, instance) is valid
    assert _refusal(schema, instance) == _pure_refusal(schema, instance)


def test_other_drafts_are_left_to_jsonschema():
    # Draft 4 has boolean exclusiveMinimum and $ref replacing its siblings:
    # the pre-check mirrors 2020-12 only.
    schema = {'$schema': 'http://json-schema.org/draft-04/schema#',
              'type': 'integer'}
    assert _precheck(schema) is schema_precheck.never
    assert _refusal(schema, 1) is None
    schema = {'$schema': 'https://json-schema.org/draft/2020-12/schema',
              'type': 'integer'}
    assert _precheck(schema)(1) is True


def test_a_format_registered_after_compiling_is_checked():
    checker = jsonschema.FormatChecker(formats=())
    check = schema_precheck.compile_schema(
        {'format': 'even'}, jsonschema.Draft202012Validator, checker)
    assert check(3) is True
    checker.checks('even', raises=ValueError)(lambda n: n % 2 == 0)
    assert check(3) is False and check(4) is True
    checker.checks('even', raises=ValueError)(lambda n: int('x'))
    assert check(4) is False


def test_a_surprise_in_the_precheck_falls_back(monkeypatch):
    schema = {'type': 'object', 'properties': {'a': {'type': 'integer'}}}

    def boom(instance):
        raise RuntimeError('a bug in the pre-check')
    entry = validation._compiled(schema)
    monkeypatch.setitem(validation._VALIDATORS, id(schema),
                        (entry[0], entry[1], boom))
    assert validation.first_error(schema, {'a': 1}) is None
    assert _refusal(schema, {'a': 'x'}) == _pure_refusal(schema, {'a': 'x'})


def test_the_cache_keeps_one_entry_per_schema():
    schema = {'type': 'string'}
    first = validation._compiled(schema)
    assert validation._compiled(schema) is first
    assert validation._validator(schema) is first[1]
    twin = dict(schema)
    assert validation._compiled(twin)[0] is twin


# -- the hot placement requests take the fast path ---------------------------

PROJECT = 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5'
USER = 'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5'
RESOURCES = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


def _put_body(version):
    """A typical claim of *version*, as the scheduler's client sends it."""
    if not version.matches((1, 12)):
        body = {'allocations': [{'resource_provider': {'uuid': UUID},
                                 'resources': dict(RESOURCES)}]}
    else:
        body = {'allocations': {UUID: {'resources': dict(RESOURCES)}}}
    if version.matches((1, 8)):
        body.update(project_id=PROJECT, user_id=USER)
    if version.matches((1, 28)):
        body['consumer_generation'] = None
    if version.matches((1, 34)):
        body['mappings'] = {'': [UUID]}
    if version.matches((1, 38)):
        body['consumer_type'] = 'INSTANCE'
    return body


def _candidates_query(version):
    query = 'resources=VCPU:1,MEMORY_MB:512,DISK_GB:1'
    if version.matches((1, 16)):
        query += '&limit=1000'
    if version.matches((1, 17)):
        query += '&required=HW_CPU_X86_AVX2'
    if version.matches((1, 21)):
        query += '&member_of=in:%s' % UUID
    if version.matches((1, 25)):
        query += ('&resources1=CUSTOM_NIC:1&required1=CUSTOM_PHYSNET'
                  '&group_policy=isolate')
    if version.matches((1, 31)):
        query += '&in_tree=%s' % UUID
    if version.matches((1, 33)):
        query += '&resources_ACCEL=CUSTOM_FPGA:1'
    if version.matches((1, 35)):
        query += '&root_required=COMPUTE_STATUS_DISABLED'
    if version.matches((1, 36)):
        query += '&same_subtree=_ACCEL,1'
    return query


VERSIONS = [microversion.Version(1, minor) for minor in range(0, 40)]


@pytest.fixture
def jsonschema_forbidden():
    """jsonschema's error search must not run: the pre-check answered."""
    with mock.patch.object(jsonschema.exceptions, 'best_match',
                           side_effect=AssertionError('slow path taken')):
        yield


@pytest.mark.parametrize('version', VERSIONS, ids=str)
def test_allocation_put_takes_the_fast_path(version, jsonschema_forbidden):
    schema = allocation.put_schema(version)
    body = _put_body(version)
    req = webob.Request.blank('/allocations/%s' % UUID, method='PUT',
                              json=body)
    assert validation.extract_json(req, schema) == body


@pytest.mark.parametrize('version', VERSIONS[13:], ids=str)
def test_allocation_post_takes_the_fast_path(version, jsonschema_forbidden):
    body = {PROJECT[:8] + UUID[8:]: _put_body(version)}
    if version.matches((1, 28)):
        body[UUID] = dict(_put_body(version), allocations={})
    validation.validate(body, allocation.post_schema(version))


@pytest.mark.parametrize('version', VERSIONS[10:], ids=str)
def test_candidates_query_takes_the_fast_path(version, jsonschema_forbidden):
    req = webob.Request.blank('/allocation_candidates?'
                              + _candidates_query(version))
    params = validation.query_params(req, ac_handler._schema(version))
    assert params['resources'] == 'VCPU:1,MEMORY_MB:512,DISK_GB:1'
    if version.matches((1, 16)):
        validation.validate({'limit': params['limit']},
                            allocation_candidate.FIRST_LIMIT)


def test_refusals_still_go_to_jsonschema():
    version = microversion.Version(1, 38)
    body = dict(_put_body(version), consumer_type='instance')
    req = webob.Request.blank('/', method='PUT', json=body)
    with pytest.raises(webob.exc.HTTPBadRequest) as caught:
        validation.extract_json(req, allocation.put_schema(version))
    assert caught.value.detail == _pure_refusal(
        allocation.put_schema(version), body)[1]
    assert "'instance' does not match '^[A-Z0-9_]+$'" in caught.value.detail
