"""Request validation at the HTTP edge: media types, JSON bodies, queries."""

import functools

import jsonschema
from oslo_serialization import jsonutils
from oslo_utils import uuidutils

from nova_core.api import fault
from nova_core.api import schema_precheck

JSON = 'application/json'

FORMAT_CHECKER = jsonschema.FormatChecker()


@FORMAT_CHECKER.checks('uuid')
def _is_uuid(instance):
    return not isinstance(instance, str) or uuidutils.is_uuid_like(instance)


def accepts(*types):
    """Handler decorator: 406 unless the client accepts one of *types*."""
    def decorator(handler):
        @functools.wraps(handler)
        def wrapper(req):
            if req.accept and not req.accept.acceptable_offers(types):
                raise fault.http_error(
                    406, 'Only %s is provided' % ', '.join(types))
            return handler(req)
        return wrapper
    return decorator


def requires_content(content_type=JSON):
    """Handler decorator: 415 unless the body is *content_type*."""
    def decorator(handler):
        @functools.wraps(handler)
        def wrapper(req):
            if req.content_type != content_type:
                raise fault.http_error(
                    415, 'The media type %s is not supported, use %s'
                    % (req.content_type or 'None', content_type))
            return handler(req)
        return wrapper
    return decorator


def extract_json(req, schema):
    """The request body as JSON, validated against *schema* (400 if not)."""
    try:
        data = jsonutils.loads(req.body)
    except ValueError as exc:
        raise fault.http_error(400, 'Malformed JSON: %s' % exc)
    validate(data, schema, 'JSON does not validate: %s')
    return data


def validate(data, schema, message='%s'):
    """400 unless *data* fits *schema*; *message* may hold the reason (%s)."""
    error = first_error(schema, data)
    if error is not None:
        raise fault.http_error(
            400, message % error if '%s' in message else message)


def first_error(schema, data):
    """jsonschema's best error of *data* against *schema*, None if it fits.

    The schema's compiled pre-check answers first: it says "fits" only where
    jsonschema would, so the common valid request skips jsonschema's
    generic walk; anything else (a refusal, or what the pre-check does not
    know) is jsonschema's to decide and to word, as before.
    """
    _schema, validator, precheck = _compiled(schema)
    try:
        fits = precheck(data)
    except Exception:  # a surprise in the pre-check only means "ask"
        fits = False
    if fits:
        return None
    return jsonschema.exceptions.best_match(validator.iter_errors(data))


# Schemas are module constants; checking one, building its validator and
# compiling its pre-check cost more than validating a request, so it is
# done once per schema.
_VALIDATORS = {}
_MAX_VALIDATORS = 512


def _compiled(schema):
    """(schema, its jsonschema validator, its pre-check), made once."""
    found = _VALIDATORS.get(id(schema))
    if found is None or found[0] is not schema:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        if len(_VALIDATORS) >= _MAX_VALIDATORS:
            _VALIDATORS.clear()
        found = (schema, cls(schema, format_checker=FORMAT_CHECKER),
                 schema_precheck.compile_schema(schema, cls, FORMAT_CHECKER))
        _VALIDATORS[id(schema)] = found
    return found


def _validator(schema):
    return _compiled(schema)[1]


def query_params(req, schema):
    """The query string as a dict of lists, validated against *schema*.

    Values that cannot be decoded are a 400, as is anything the schema
    refuses. *schema* sees ``{name: value}`` with the last value for a
    repeated name; handlers that accept repeats read ``req.GET.getall``.
    """
    try:
        params = dict(req.GET)
    except UnicodeDecodeError as exc:
        raise fault.http_error(
            400, 'Invalid query string parameters: %s' % exc)
    validate(params, schema, 'Invalid query string parameters: %s')
    return params


def int_param(params, name, default=None):
    """Query parameter *name* as a non-negative integer (*default* when
    absent); Nova's and Glance's 400 messages otherwise."""
    if name not in params:
        return default
    try:
        value = int(params[name])
    except ValueError:
        raise fault.http_error(400, '%s param must be an integer' % name)
    if value < 0:
        raise fault.http_error(400, '%s param must be positive' % name)
    return value
