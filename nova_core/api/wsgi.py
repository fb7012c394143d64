"""The request class the handlers see, and JSON response helpers."""

import datetime
import email.utils

from oslo_serialization import jsonutils
import webob

ENV_CONTEXT = 'nova_core.context'
ENV_MICROVERSION = 'nova_core.microversion'


class Request(webob.Request):
    """A webob request with the nova_core pieces handlers need."""

    @property
    def context(self):
        """The RequestContext the context middleware made for this request."""
        return self.environ[ENV_CONTEXT]

    @property
    def microversion(self):
        """The negotiated microversion (``api.microversion.Version``)."""
        return self.environ[ENV_MICROVERSION]

    def path_arg(self, name):
        """A named part of the matched URL, e.g. ``uuid``."""
        return self.urlvars.get(name)

    def url_for(self, path):
        """*path* under the application's mount point (``SCRIPT_NAME``)."""
        return self.script_name + path


def json_response(req, body, status=200, last_modified=None):
    """A JSON response; ``last_modified`` also adds ``Cache-Control``.

    ``body`` is serialised compactly: clients parse it, nobody reads it.
    """
    resp = webob.Response(status=status, charset='utf-8',
                          content_type='application/json')
    resp.body = jsonutils.dump_as_bytes(body)
    if last_modified is not None:
        set_last_modified(resp, last_modified)
    return resp


def empty_response(status=204, last_modified=None):
    """A response without a body (no Content-Type either, as upstream)."""
    resp = webob.Response(status=status)
    del resp.content_type
    if last_modified is not None:
        set_last_modified(resp, last_modified)
    return resp


def set_last_modified(resp, when):
    """Set Last-Modified (an aware or naive-UTC datetime) and no-cache."""
    resp.headers['Last-Modified'] = email.utils.format_datetime(
        _as_utc(when), usegmt=True)
    resp.headers['Cache-Control'] = 'no-cache'


def _as_utc(when):
    if when.tzinfo is None:
        return when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc)


def setting_headers(start_response, *pairs):
    """A ``start_response`` that passes the answer on with the headers
    *pairs* (``(name, value)``) set: any header of the same name (in any
    case) is replaced, as ``webob.Response.headers[name] = value`` does,
    so middlewares stamp answers without making Response objects."""
    names = {name.lower() for name, _value in pairs}

    def start(status, headers, exc_info=None):
        headers = [(name, value) for name, value in headers
                   if name.lower() not in names]
        headers.extend(pairs)
        return start_response(status, headers, exc_info)
    return start
