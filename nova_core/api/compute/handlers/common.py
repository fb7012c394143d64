"""What every compute handler needs: bodies and queries validated with
Nova's messages, who is an admin, the services the app was built with."""

from oslo_serialization import jsonutils

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception

ENV_SERVICES = 'nova_core.compute.services'


def services(req):
    """The app's :class:`deploy.Services` (servers API, operations, cells)."""
    return req.environ[ENV_SERVICES]


def body(req, schema):
    """The JSON body validated against *schema*, or Nova's 400."""
    try:
        data = jsonutils.loads(req.body)
    except ValueError:
        raise fault.http_error(400, 'Malformed request body')
    error = validation.first_error(schema, data)
    if error is not None:
        raise fault.http_error(400, _input_message(error))
    return data


def _input_message(error):
    path = list(error.path)
    if error.validator == 'required' or not path:
        field = path[-1] if path else 'Request body'
        return 'Invalid input for field/attribute %s. Value: %s. %s' % (
            field, jsonutils.dumps(error.instance), error.message)
    return 'Invalid input for field/attribute %s. Value: %s. %s' % (
        path[-1], jsonutils.dumps(error.instance), error.message)


def action_name(req, actions):
    """The one action a ``POST .../action`` body names, if *actions* has it
    (Nova's 400s otherwise); the body itself is validated afterwards."""
    try:
        data = jsonutils.loads(req.body)
    except ValueError:
        raise fault.http_error(400, 'Malformed request body')
    if not isinstance(data, dict) or len(data) != 1:
        raise fault.http_error(400, 'Malformed request body')
    [name] = data
    if name not in actions:
        raise fault.http_error(400, 'There is no such action: %s' % name)
    return name


def query(req, schema):
    """The query string (``{name: last value}``) checked against *schema*."""
    try:
        params = dict(req.GET)
    except UnicodeDecodeError:
        raise fault.http_error(400, 'Query string is not UTF-8 encoded')
    error = validation.first_error(schema, params)
    if error is not None:
        raise fault.http_error(
            400, 'Invalid input for query parameters %s. Value: %s. %s' % (
                ', '.join(sorted(set(params) - set(schema['properties']))),
                ', '.join(str(params[k]) for k in sorted(
                    set(params) - set(schema['properties']))),
                error.message))
    return params


def is_admin(ctx):
    """True if the caller passes ``context_is_admin``."""
    try:
        return ctx.can('context_is_admin', {'project_id': ctx.project_id,
                                            'user_id': ctx.user_id})
    except exception.PolicyNotAuthorized:
        return False


def positive_int(value, name, minimum=0):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise fault.http_error(400, '%s param must be an integer' % name)
    if number < minimum:
        raise fault.http_error(
            400, '%s param must be %s' % (
                name, 'positive' if minimum else 'non-negative'))
    return number


def after_marker(items, key, marker):
    """The *items* after the one whose *key* is *marker* (400 if none is)."""
    ids = [item[key] for item in items]
    if marker not in ids:
        raise fault.http_error(400, 'marker [%s] not found' % marker)
    return items[ids.index(marker) + 1:]
