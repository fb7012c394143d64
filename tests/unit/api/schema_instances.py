"""Hypothesis strategies of JSON values near a JSON schema.

``near(schema)`` draws mostly values the schema was written for (so that
the pre-check's "valid" answer gets exercised) and, at every level, now and
then a near miss: a wrong type, a bool for an integer, an integral float, a
boundary plus or minus one, a bad uuid, a too long string, a missing
required property, an extra one. The strategies do not promise validity:
the tests ask jsonschema what the answer is.
"""

import copy
import math

from hypothesis import strategies as st

_MAX_DEPTH = 6

# Spellings the uuid format checker (oslo's is_uuid_like) might judge
# differently from the UUID_PATTERN of the placement schemas.
BAD_UUIDS = (
    'not-a-uuid', '', '9a1e9b8e58c84dd29b224a36de6d7f8d',
    '9A1E9B8E-58C8-4DD2-9B22-4A36DE6D7F8D',
    '{9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8d}',
    '9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8',
    '9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8dd',
    'zzzzzzzz-58c8-4dd2-9b22-4a36de6d7f8d',
    '------------------------------------',
    'urn:uuid:9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8d',
    '9a1e9b8e-58c8-4dd2-9b22-4a36de6d7f8d\n',
)

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3),
    st.sampled_from([0, 1, -1, 255, 256, 2147483647, 2147483648, 2 ** 70]),
    st.sampled_from([0.0, 1.0, -1.0, 1.5, 2.0 ** 31, math.inf, -math.inf,
                     math.nan]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(['', ' ', 'x' * 255, 'x' * 256, 'CUSTOM_X', 'VCPU',
                     'INSTANCE', 'none', 'isolate', 'true', '1', '0', '-1',
                     '01', '1000', ' a', 'a ', '\u00e9' * 255]),
    st.sampled_from(BAD_UUIDS),
    st.uuids().map(str),
)

JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=6)


def _bounds(schema):
    """Integers around each numeric or length bound of *schema*."""
    found = []
    for key in ('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'):
        if key in schema:
            bound = schema[key]
            found += [bound - 1, bound, bound + 1]
            if isinstance(bound, int):
                found += [float(bound), float(bound) + 0.5]
    return found


def wrong(schema):
    """A near miss for *schema*: any JSON value, or one around its bounds
    or lengths."""
    candidates = [JSON]
    if isinstance(schema, dict):
        bounds = _bounds(schema)
        if bounds:
            candidates.append(st.sampled_from(bounds))
        for key in ('minLength', 'maxLength'):
            if key in schema:
                size = schema[key]
                candidates.append(st.sampled_from(
                    ['x' * max(size - 1, 0), 'x' * size, 'x' * (size + 1)]))
        if schema.get('enum'):
            candidates.append(st.sampled_from(
                [_sibling(value) for value in schema['enum']]))
    return st.one_of(candidates)


def _sibling(value):
    """A value jsonschema's equality might confuse with *value*."""
    if value is True:
        return 1
    if value is False:
        return 0
    if isinstance(value, int):
        return float(value)
    if isinstance(value, str):
        return value.upper() if value != value.upper() else value.lower()
    return None


@st.composite
def near(draw, schema, depth=0, misses=True):
    """A value for *schema*, sometimes (and always when deep) a near miss;
    without *misses*, only values meant to fit."""
    if misses and (depth >= _MAX_DEPTH or draw(st.integers(0, 9)) == 0):
        return draw(wrong(schema))
    return draw(fitting(schema, depth, misses))


def _merged(schema, branch):
    """*schema* without its combinators, plus one *branch* of them."""
    merged = {k: v for k, v in schema.items()
              if k not in ('anyOf', 'oneOf', 'allOf')}
    if not isinstance(branch, dict):
        return merged
    for key, value in branch.items():
        if key == 'required':
            merged['required'] = list(merged.get('required', [])) + value
        elif key not in merged:
            merged[key] = value
    return merged


@st.composite
def fitting(draw, schema, depth=0, misses=True):
    """A value meant to fit *schema* (best effort); with *misses*, its
    parts may be near misses."""
    if schema is True or schema == {}:
        return draw(JSON)
    if schema is False or not isinstance(schema, dict):
        return draw(JSON)
    for key in ('allOf', 'anyOf', 'oneOf'):
        if key in schema:
            branches = schema[key]
            if key == 'allOf':
                merged = dict(schema)
                del merged['allOf']
                for branch in branches:
                    merged = _merged(merged, branch)
            else:
                merged = _merged(schema, draw(st.sampled_from(branches)))
            return draw(fitting(merged, depth, misses))
    if 'enum' in schema:
        return copy.deepcopy(draw(st.sampled_from(schema['enum'])))
    if 'const' in schema:
        return copy.deepcopy(schema['const'])
    types = schema.get('type') or _inferred_types(schema)
    if isinstance(types, str):
        types = [types]
    kind = draw(st.sampled_from(sorted(types)))
    return draw(_BY_TYPE[kind](schema, depth, misses))


def _inferred_types(schema):
    if {'properties', 'patternProperties', 'required'} & schema.keys():
        return ['object']
    if 'items' in schema:
        return ['array']
    if {'pattern', 'minLength', 'maxLength', 'format'} & schema.keys():
        return ['string']
    return ['string', 'integer', 'object', 'null', 'boolean']


@st.composite
def _object(draw, schema, depth, misses):
    properties = schema.get('properties', {})
    required = [name for name in schema.get('required', [])]
    optional = sorted(set(properties) - set(required))
    names = required + draw(st.lists(st.sampled_from(optional), unique=True,
                                     max_size=len(optional))
                            if optional else st.just([]))
    value = {}
    for name in names:
        value[name] = draw(near(properties.get(name, True), depth + 1,
                                misses))
    patterns = schema.get('patternProperties', {})
    least = schema.get('minProperties', 0)
    most = schema.get('maxProperties', 3)
    for pattern, sub in sorted(patterns.items()):
        for key in draw(st.lists(st.from_regex(pattern), max_size=2,
                                 min_size=1 if least > len(value) else 0)):
            value[key] = draw(near(sub, depth + 1, misses))
    extra = schema.get('additionalProperties', True)
    if extra is not False and (len(value) < least or (
            isinstance(extra, dict) and draw(st.booleans()))):
        value[draw(st.text(max_size=5).filter(lambda key: key not in value))
              ] = draw(near(extra, depth + 1, misses))
    if not misses:
        return value
    # Near misses of the object itself.
    mutation = draw(st.integers(0, 11))
    if mutation == 0 and value:
        del value[draw(st.sampled_from(sorted(value)))]
    elif mutation == 1:
        value[draw(st.sampled_from(['bogus', 'resources', '', 'Limit',
                                    'resources1', 'required_x']))] = draw(
            JSON)
    elif mutation == 2:
        for _ in range(max(0, most - len(value) + 1)):
            value['extra%d' % len(value)] = draw(JSON)
    return value


@st.composite
def _array(draw, schema, depth, misses):
    least = schema.get('minItems', 0)
    most = schema.get('maxItems', least + 3)
    items = schema.get('items', True)
    unique = schema.get('uniqueItems') and not misses
    value = draw(st.lists(near(items, depth + 1, misses), min_size=least,
                          max_size=max(least, min(most, least + 3)),
                          unique_by=repr if unique else None))
    if not misses:
        return value
    mutation = draw(st.integers(0, 9))
    if mutation == 0 and value:
        value.append(copy.deepcopy(value[0]))  # a duplicate
    elif mutation == 1 and value:
        value.pop()
    return value


@st.composite
def _string(draw, schema, depth, misses):
    if schema.get('format') == 'uuid':
        value = draw(st.uuids())
        return draw(st.sampled_from([str(value), value.hex,
                                     str(value).upper()]))
    if schema.get('format') in ('ipv4', 'ipv6'):
        version = int(schema['format'][-1])
        return str(draw(st.ip_addresses(v=version)))
    least = schema.get('minLength', 0)
    most = schema.get('maxLength')
    if 'pattern' in schema:
        value = draw(st.from_regex(schema['pattern']))
        if most is not None and len(value) > most and (
                not misses or draw(st.booleans())):
            value = value[:most]
        return value
    return draw(st.text(min_size=least,
                        max_size=min(most if most is not None else 20,
                                     least + 20)))


def _bounded_integers(schema):
    low = schema.get('minimum')
    if 'exclusiveMinimum' in schema:
        low = math.floor(schema['exclusiveMinimum']) + 1
    high = schema.get('maximum')
    if 'exclusiveMaximum' in schema:
        high = math.ceil(schema['exclusiveMaximum']) - 1
    low = None if low is None else math.ceil(low)
    high = None if high is None else math.floor(high)
    return st.integers(min_value=low, max_value=high)


def _integer(schema, depth, misses):
    return _bounded_integers(schema)


def _number(schema, depth, misses):
    low = schema.get('minimum', schema.get('exclusiveMinimum'))
    high = schema.get('maximum', schema.get('exclusiveMaximum'))
    return st.one_of(
        _bounded_integers(schema),
        st.floats(min_value=low, max_value=high, allow_nan=False,
                  exclude_min=low is not None and 'exclusiveMinimum' in schema,
                  exclude_max=high is not None
                  and 'exclusiveMaximum' in schema))


_BY_TYPE = {
    'object': _object,
    'array': _array,
    'string': _string,
    'integer': _integer,
    'number': _number,
    'boolean': lambda schema, depth, misses: st.booleans(),
    'null': lambda schema, depth, misses: st.none(),
}
