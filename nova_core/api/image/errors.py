"""Glance's error bodies and the table mapping domain exceptions to HTTP.

Glance answers errors with webob's own JSON shape::

    {"message": "...", "code": "404 Not Found", "title": "Not Found"}
"""

import webob.exc

from nova_core.api import fault
from nova_core import exception

TABLE = fault.ErrorTable(fault.category_entries() + [
    (exception.MarkerNotFound, 400, None),
])


def json_formatter(body, status, title, environ):
    explanation, _sep, detail = body.partition('<br /><br />')
    message = (webob.exc.strip_tags(detail).strip() or
               webob.exc.strip_tags(explanation).strip())
    return {'message': message, 'code': status, 'title': title}
