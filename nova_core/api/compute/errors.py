"""Nova's error bodies and the table mapping domain exceptions to HTTP.

Nova answers ``{"<fault name>": {"code": <status>, "message": <text>}}``,
the fault name following the status (``itemNotFound``, ``badRequest``...;
anything else is a ``computeFault``).
"""

import webob.exc

from nova_core.api import fault
from nova_core.api import microversion
from nova_core.api import wsgi
from nova_core import exception

FAULT_NAMES = {
    400: 'badRequest',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'itemNotFound',
    405: 'badMethod',
    409: 'conflictingRequest',
    413: 'overLimit',
    415: 'badMediaType',
    429: 'overLimit',
    501: 'notImplemented',
    503: 'serviceUnavailable',
}

TABLE = fault.ErrorTable(fault.category_entries() + [
    # The most specific class wins. Nova answers a state conflict with 409 (InstanceInvalidState is an
    # Invalid in nova_core's hierarchy).
    (exception.InstanceInvalidState, 409, None),
    (exception.MarkerNotFound, 400, None),
])


def json_formatter(body, status, title, environ):
    """``{"itemNotFound": {"code": 404, "message": "..."}}``.

    A 406 from version negotiation says which range is supported.
    """
    status_code = fault.status_code(status)
    # webob's template puts the explanation before the detail; the detail
    # alone is what Nova shows (the explanation when there is none).
    explanation, _sep, detail = body.partition('<br /><br />')
    message = (webob.exc.strip_tags(detail).strip() or
               webob.exc.strip_tags(explanation).strip())
    name = FAULT_NAMES.get(status_code, 'computeFault')
    if wsgi.ENV_MICROVERSION not in environ:
        message = _negotiation_message(status_code, message, environ)
    return {name: {'code': status_code, 'message': message}}


def _negotiation_message(status_code, message, environ):
    """Nova's words for a version the negotiation refused."""
    low, high = environ.get(microversion.ENV_VERSION_RANGE, (None, None))
    if high is None:
        return message
    for prefix, template in (
            ('Unacceptable version header: ',
             'Version %s is not supported by the API. Minimum is %s and '
             'maximum is %s.'),
            ('invalid version string: ',
             'API Version String %s is of invalid format. Must be of '
             'format MajorNum.MinorNum.')):
        if message.startswith(prefix):
            version = message[len(prefix):]
            if '%s and' in template:
                return template % (version, low, high)
            return template % version
    return message
