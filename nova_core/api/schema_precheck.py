"""A JSON schema compiled into a quick check that can only say "valid".

jsonschema walks a schema generically on every call, which costs more than
the small bodies and queries of the hot placement requests are worth. A
schema compiled here becomes a plain function of one instance: True means
jsonschema would accept the instance too; False means "not sure", and the
caller asks jsonschema, which stays the judge and words every refusal.

The compiler is conservative by construction:

- a schema, or a sub-schema, with a keyword it does not know compiles to a
  check that always says False (the caller falls back), and so does a
  schema of any draft but the one it mirrors (2020-12, what
  ``validator_for`` picks for a schema without ``$schema``);
- instances are told apart by exact Python type, so what jsonschema might
  judge differently is left to it: a bool is no integer, a float is never
  an integer here (1.0 is one for jsonschema), a dict or str subclass is
  not sure;
- ``enum``, ``const`` and ``uniqueItems`` answer only for plain scalars;
  ``oneOf`` answers only when exactly one branch passes and every other
  one refuses the instance's type outright.
"""

import re

import jsonschema

_NULL = type(None)

# The exact Python types of JSON values, per JSON type name.
_TYPES = {
    'object': (dict,),
    'array': (list,),
    'string': (str,),
    'integer': (int,),
    'number': (int, float),
    'boolean': (bool,),
    'null': (_NULL,),
}
_ALL_TYPES = (dict, list, str, int, float, bool, _NULL)
_SCALARS = (str, int, float, bool, _NULL)

# The JSON types jsonschema may see in a value of each exact type: a float
# with an integral value is an integer to it, so floats may be either.
_MAY_BE = {
    dict: {'object'},
    list: {'array'},
    str: {'string'},
    int: {'integer', 'number'},
    float: {'integer', 'number'},
    bool: {'boolean'},
    _NULL: {'null'},
}

# Keywords that only annotate: the validator class has no check for them.
ANNOTATIONS = frozenset((
    'title', 'description', 'default', 'examples', '$comment', 'readOnly',
    'writeOnly', 'deprecated'))

# The assertions compiled below, each mirroring jsonschema's own.
ASSERTIONS = frozenset((
    'type', 'enum', 'const', 'format', 'allOf', 'anyOf', 'oneOf',
    'properties', 'patternProperties', 'additionalProperties', 'required',
    'minProperties', 'maxProperties', 'items', 'minItems', 'maxItems',
    'uniqueItems', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum',
    'exclusiveMinimum', 'exclusiveMaximum'))

_KNOWN = ANNOTATIONS | ASSERTIONS

# The one validator class whose semantics the compiled checks mirror.
DRAFT = jsonschema.Draft202012Validator


def _always(instance):
    return True


def never(instance):
    """The check of what the compiler cannot vouch for: always "not sure"."""
    return False


def compile_schema(schema, validator_cls, format_checker):
    """A function of one instance that returns True only if *schema*, as
    *validator_cls* with *format_checker* validates it, accepts it.

    *schema* must already have passed ``validator_cls.check_schema``.
    """
    if validator_cls is not DRAFT:
        return never
    if isinstance(schema, dict) and '$schema' in schema:
        # validator_for read it already; it asserts nothing by itself.
        schema = {k: v for k, v in schema.items() if k != '$schema'}
    return _Compiler(format_checker).node(schema)


def _is_bound(value):
    return type(value) in (int, float)


def _is_count(value):
    return type(value) is int and value >= 0


class _Compiler:
    """Compiles one schema; *format_checker* is the validator's."""

    def __init__(self, format_checker):
        self.format_checker = format_checker

    def node(self, schema):
        """The check of one (sub-)schema."""
        if schema is True:
            return _always
        if type(schema) is not dict or not schema.keys() <= _KNOWN:
            return never
        types = self._types(schema)
        if types is None:
            return never
        common = self._common(schema)
        specific = {dict: self._object(schema), list: self._array(schema),
                    str: self._string(schema)}
        numeric = self._number(schema)
        specific[int] = specific[float] = numeric
        checks = {}
        for python_type in types:
            found = list(common)
            if python_type in specific and specific[python_type] is not None:
                found.append(specific[python_type])
            checks[python_type] = tuple(found)
        return _dispatch(checks)

    @staticmethod
    def _types(schema):
        """The exact Python types *schema* lets through (None: unknown)."""
        if 'type' not in schema:
            return _ALL_TYPES
        names = schema['type']
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list):
            return None
        types = []
        for name in names:
            if name not in _TYPES:
                return None
            types.extend(t for t in _TYPES[name] if t not in types)
        return tuple(types)

    def _common(self, schema):
        """Checks that apply whatever the instance's type."""
        checks = []
        if 'enum' in schema:
            checks.append(_one_of_values(schema['enum']))
        if 'const' in schema:
            checks.append(_one_of_values([schema['const']]))
        if 'format' in schema:
            checks.append(self._format(schema['format']))
        if 'allOf' in schema:
            checks.append(_all(self._branches(schema['allOf'])))
        if 'anyOf' in schema:
            checks.append(_any(self._branches(schema['anyOf'])))
        if 'oneOf' in schema:
            checks.append(self._one_of(schema['oneOf']))
        return checks

    def _branches(self, schemas):
        if not isinstance(schemas, list) or not schemas:
            return (never,)
        return tuple(self.node(each) for each in schemas)

    def _format(self, name):
        if self.format_checker is None:
            return _always  # jsonschema then asserts no format either
        checkers = self.format_checker.checkers

        def check(instance):
            # Looked up per call, as jsonschema does: a format registered
            # later is checked, an unknown one asserts nothing.
            found = checkers.get(name)
            if found is None:
                return True
            func, raises = found
            try:
                return bool(func(instance))
            except raises:
                return False
        return check

    def _one_of(self, schemas):
        if not isinstance(schemas, list) or not schemas:
            return never
        branches = tuple((self.node(each), _refuses_type(each))
                         for each in schemas)

        def check(instance):
            passed = False
            for branch, refuses in branches:
                if refuses(instance):
                    continue
                if passed or not branch(instance):
                    return False  # two may pass, or this one may
                passed = True
            return passed
        return check

    def _object(self, schema):
        keys = ('properties', 'patternProperties', 'additionalProperties',
                'required', 'minProperties', 'maxProperties')
        if not any(key in schema for key in keys):
            return None
        try:
            properties = {name: self.node(sub) for name, sub
                          in schema.get('properties', {}).items()}
            patterns = schema.get('patternProperties', {})
            by_pattern = tuple((re.compile(pattern).search, self.node(sub))
                               for pattern, sub in patterns.items())
            # jsonschema finds additional properties with the patterns
            # joined into one regex; so does this, to agree on odd ones.
            matches_any = (re.compile('|'.join(patterns)).search
                           if patterns else None)
        except (AttributeError, TypeError, re.error):
            return never
        extra = schema.get('additionalProperties', True)
        extra = None if extra is True else self.node(extra)
        required = schema.get('required', [])
        least = schema.get('minProperties', 0)
        most = schema.get('maxProperties')
        if (not isinstance(required, list)
                or not all(type(name) is str for name in required)
                or not _is_count(least)
                or not (most is None or _is_count(most))):
            return never
        return _object_check(properties, by_pattern, matches_any, extra,
                             tuple(required), least, most)

    def _array(self, schema):
        keys = ('items', 'minItems', 'maxItems', 'uniqueItems')
        if not any(key in schema for key in keys):
            return None
        items = schema.get('items', True)
        if not (items is True or items is False or type(items) is dict):
            return never  # the list form is no 2020-12 keyword
        items = None if items is True else self.node(items)
        least = schema.get('minItems', 0)
        most = schema.get('maxItems')
        unique = schema.get('uniqueItems', False)
        if (not _is_count(least) or not (most is None or _is_count(most))
                or type(unique) is not bool):
            return never
        return _array_check(items, least, most, unique)

    def _string(self, schema):
        keys = ('minLength', 'maxLength', 'pattern')
        if not any(key in schema for key in keys):
            return None
        least = schema.get('minLength', 0)
        most = schema.get('maxLength')
        if not _is_count(least) or not (most is None or _is_count(most)):
            return never
        search = None
        if 'pattern' in schema:
            try:
                search = re.compile(schema['pattern']).search
            except (TypeError, re.error):
                return never
        return _string_check(least, most, search)

    @staticmethod
    def _number(schema):
        bounds = [schema.get(key) for key in (
            'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum')]
        if all(bound is None for bound in bounds):
            return None
        if not all(bound is None or _is_bound(bound) for bound in bounds):
            return never
        return _number_check(*bounds)


def _dispatch(checks):
    """The check of one schema: by the instance's exact type, the checks
    that apply to it (a type the schema refuses, or no JSON type, is no)."""
    if all(not found for found in checks.values()):
        types = frozenset(checks)
        return lambda instance: type(instance) in types
    if len(checks) == 1:
        [(only_type, found)] = checks.items()
        if len(found) == 1:
            [only] = found
            return lambda instance: type(instance) is only_type and only(
                instance)

    def check(instance):
        found = checks.get(type(instance))
        if found is None:
            return False
        for each in found:
            if not each(instance):
                return False
        return True
    return check


def _object_check(properties, by_pattern, matches_any, extra, required,
                  least, most):
    # With one pattern, the joined regex is that pattern: its match, made
    # for patternProperties anyway, also tells whether a key is additional.
    one_pattern = len(by_pattern) == 1

    def check(instance):
        size = len(instance)
        if size < least or (most is not None and size > most):
            return False
        for name in required:
            if name not in instance:
                return False
        for key, value in instance.items():
            if type(key) is not str:
                return False
            matched = False
            for search, sub in by_pattern:
                if search(key) is not None:
                    matched = True
                    if not sub(value):
                        return False
            known = properties.get(key)
            if known is not None:
                if not known(value):
                    return False
            elif extra is not None:
                if not one_pattern:
                    matched = (matches_any is not None
                               and matches_any(key) is not None)
                if not matched and not extra(value):
                    return False
        return True
    return check


def _array_check(items, least, most, unique):
    def check(instance):
        size = len(instance)
        if size < least or (most is not None and size > most):
            return False
        if unique and not _unique(instance):
            return False
        if items is not None:
            for each in instance:
                if not items(each):
                    return False
        return True
    return check


def _unique(instance):
    # Strings and ints (not bools, not floats: jsonschema's own equality
    # rules apply there) are unique exactly when a set says so.
    if not all(type(each) in (str, int) for each in instance):
        return False
    return len(set(instance)) == len(instance)


def _string_check(least, most, search):
    def check(instance):
        size = len(instance)
        if size < least or (most is not None and size > most):
            return False
        return search is None or search(instance) is not None
    return check


def _number_check(minimum, maximum, exclusive_minimum, exclusive_maximum):
    # The comparisons are jsonschema's, so NaN fares as it does there.
    def check(instance):
        if minimum is not None and instance < minimum:
            return False
        if maximum is not None and instance > maximum:
            return False
        if exclusive_minimum is not None and instance <= exclusive_minimum:
            return False
        if exclusive_maximum is not None and instance >= exclusive_maximum:
            return False
        return True
    return check


def _one_of_values(values):
    """``enum`` (or ``const``, one value): a scalar equal to one of *values*
    and of the same exact type; lists, dicts and the rest are not sure."""
    if not isinstance(values, list):
        return never
    allowed = frozenset((type(value), value) for value in values
                        if type(value) in _SCALARS)

    def check(instance):
        return (type(instance) in _SCALARS
                and (type(instance), instance) in allowed)
    return check


def _all(branches):
    def check(instance):
        for branch in branches:
            if not branch(instance):
                return False
        return True
    return check


def _any(branches):
    def check(instance):
        for branch in branches:
            if branch(instance):
                return True
        return False
    return check


def _refuses_type(schema):
    """A check that is True only when *schema* surely refuses the instance
    for its type alone (a ``oneOf`` branch that cannot also pass)."""
    if schema is False:
        return _always
    if type(schema) is not dict or 'type' not in schema:
        return never
    names = schema['type']
    names = {names} if isinstance(names, str) else set(names)

    def refuses(instance):
        may_be = _MAY_BE.get(type(instance))
        return may_be is not None and not may_be & names
    return refuses
