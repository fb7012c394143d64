"""Turning failures into HTTP error responses, in one place per app.

Handlers raise either domain exceptions (``nova_core.exception``), which an
app's :class:`ErrorTable` translates into a status and an error code, or an
:func:`http_error` for problems that exist only at the HTTP edge (a bad
query string, a schema violation). Either way the body is produced by the
app's error formatter, so every error of an app has the same shape.
"""

import logging

import webob.exc

from nova_core import exception

LOG = logging.getLogger(__name__)

ENV_ERROR_CODE = 'nova_core.error_code'
ENV_ERROR_FORMATTER = 'nova_core.error_formatter'


def http_error(status, detail=None, code=None, headers=None):
    """A webob HTTP exception carrying an optional machine-readable code."""
    exc = webob.exc.status_map[status](detail=detail, headers=headers)
    exc.error_code = code
    return exc


def category_entries():
    """The entries every app's table starts with: the categories of
    ``nova_core.exception`` and their statuses (no error code)."""
    return [
        (exception.NotFound, 404, None),
        (exception.Invalid, 400, None),
        (exception.Conflict, 409, None),
        (exception.Exists, 409, None),
        (exception.Forbidden, 403, None),
    ]


def status_code(status):
    """The number of a WSGI status line (``'404 Not Found'`` -> 404)."""
    return int(status.split(None, 1)[0])


class ErrorTable:
    """Maps domain exception classes to ``(status, error code)``.

    The most specific class wins (the exception's MRO is walked), so a table
    can give a category (``NotFound``) one answer and a member of it another.
    """

    def __init__(self, entries, default_code=None):
        self._entries = {cls: (status, code) for cls, status, code in entries}
        self.default_code = default_code

    def lookup(self, exc):
        for cls in type(exc).__mro__:
            if cls in self._entries:
                return self._entries[cls]
        return None

    def translate(self, exc):
        """The HTTP exception for domain exception *exc*, or None."""
        found = self.lookup(exc)
        if found is None:
            return None
        status, code = found
        return http_error(status, exc.format_message(), code)


def prepare(exc, environ):
    """Make *exc* render with the app's formatter and carry its code."""
    formatter = environ.get(ENV_ERROR_FORMATTER)
    if formatter is not None:
        exc.json_formatter = formatter
    code = getattr(exc, 'error_code', None)
    if code:
        environ[ENV_ERROR_CODE] = code
    return exc


class FaultWrapper:
    """Outermost guard: any exception that escapes becomes a JSON 500.

    An escaped exception is a bug; it is logged with its traceback once here.
    """

    def __init__(self, application, formatter):
        self.application = application
        self.formatter = formatter

    def __call__(self, environ, start_response):
        try:
            return self.application(environ, start_response)
        except Exception as unexpected:
            LOG.exception('Unexpected error handling %s %s',
                          environ.get('REQUEST_METHOD'),
                          environ.get('PATH_INFO'))
            environ.setdefault(ENV_ERROR_FORMATTER, self.formatter)
            exc = prepare(http_error(500, str(unexpected) or
                                     type(unexpected).__name__), environ)
            return exc(environ, start_response)
