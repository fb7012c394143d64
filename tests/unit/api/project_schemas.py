"""Every JSON schema the project validates requests with, found by walking
the modules that define them (module constants, and the schemas inside
lists, tuples and dicts of them)."""

import importlib
import pkgutil

import jsonschema

from nova_core.api import schema_precheck

# Packages whose modules hold schemas, and single modules that do.
PACKAGES = ('nova_core.placement.schemas', 'nova_core.api.compute.schemas')
MODULES = ('nova_core.api.image.handlers.images',)

_KEYWORDS = (schema_precheck.ASSERTIONS | schema_precheck.ANNOTATIONS
             | frozenset(jsonschema.Draft202012Validator.VALIDATORS))
_SHAPING = frozenset(('type', 'properties', 'patternProperties', 'anyOf',
                      'oneOf', 'allOf', 'enum', 'items'))


def _modules():
    for package in PACKAGES:
        module = importlib.import_module(package)
        yield module
        for info in pkgutil.iter_modules(module.__path__):
            yield importlib.import_module('%s.%s' % (package, info.name))
    for name in MODULES:
        yield importlib.import_module(name)


def looks_like_schema(value):
    """A non-empty dict of JSON Schema keywords that shapes a value."""
    return (isinstance(value, dict) and value
            and all(isinstance(key, str) and key in _KEYWORDS
                    for key in value)
            and bool(_SHAPING & value.keys()))


def _found_in(value, depth=0):
    if looks_like_schema(value):
        yield value
    elif depth < 3 and isinstance(value, (list, tuple)):
        for each in value:
            yield from _found_in(each, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for each in value.values():
            yield from _found_in(each, depth + 1)


def schemas():
    """[(name, schema)] of every schema, each once (by identity), named
    after the module constant that holds it, or after its container."""
    seen, found = set(), []
    for module in _modules():
        prefix = module.__name__.rsplit('.', 1)[-1]
        attributes = sorted((attr, value) for attr, value
                            in vars(module).items()
                            if not attr.startswith('__'))
        # Constants first, so that a schema listed in a table of versions
        # keeps its own name.
        attributes.sort(key=lambda item: not looks_like_schema(item[1]))
        for attr, value in attributes:
            for index, schema in enumerate(_found_in(value)):
                if id(schema) in seen:
                    continue
                seen.add(id(schema))
                name = '%s.%s' % (prefix, attr)
                if not looks_like_schema(value):
                    name += '[%d]' % index
                found.append((name, schema))
    return found
