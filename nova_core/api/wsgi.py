"""The request class the handlers see, and JSON response helpers."""

import datetime
import email.utils

from oslo_serialization import jsonutils
import webob
from webob import acceptparse

ENV_CONTEXT = 'nova_core.context'
ENV_MICROVERSION = 'nova_core.microversion'
JSON = 'application/json'


class _Accept(acceptparse.AcceptValidHeader):
    """A valid Accept header that remembers its answers to
    ``acceptable_offers`` (a pure function of the header and the offers)."""

    def __init__(self, header_value):
        super().__init__(header_value)
        self._offered = {}

    def acceptable_offers(self, offers):
        try:
            key = tuple(offers)
            found = self._offered.get(key)
        except TypeError:  # offers that are not hashable: ask webob
            return super().acceptable_offers(offers)
        if found is None:
            found = self._offered[key] = tuple(
                super().acceptable_offers(key))
        return list(found)


# Parsed Accept headers by value, shared by requests (the objects are never
# changed: setting ``req.accept`` sets the environ).
_ACCEPTS = {}
_MAX_ACCEPTS = 256


def _parsed_accept(value):
    found = _ACCEPTS.get(value)
    if found is None:
        if value is None:
            found = acceptparse.AcceptNoHeader()
        else:
            try:
                found = _Accept(value)
            except ValueError:
                found = acceptparse.AcceptInvalidHeader(header_value=value)
        if len(_ACCEPTS) >= _MAX_ACCEPTS:
            _ACCEPTS.clear()
        _ACCEPTS[value] = found
    return found


class Request(webob.Request):
    """A webob request with the nova_core pieces handlers need."""

    accept = property(
        lambda self: _parsed_accept(self.environ.get('HTTP_ACCEPT')),
        webob.Request.accept.fset, webob.Request.accept.fdel,
        doc="""The ``Accept`` header, parsed (as webob's ``accept``, but
        parsed once per header value, not on every look).""")

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
    return json_bytes_response(jsonutils.dump_as_bytes(body), status,
                               last_modified)


def json_bytes_response(data, status=200, last_modified=None):
    """A JSON response of *data*, a body already serialised (bytes)."""
    if not _has_body(status):
        resp = webob.Response(status=status, charset='utf-8',
                              content_type=JSON)
        resp.body = data
        if last_modified is not None:
            set_last_modified(resp, last_modified)
        return resp
    # The headers webob would make, in its order, made directly.
    headers = [('Content-Type', JSON), ('Content-Length', str(len(data)))]
    if last_modified is not None:
        headers += [('Last-Modified', http_date(last_modified)),
                    ('Cache-Control', 'no-cache')]
    return webob.Response(status=status, headerlist=headers, app_iter=[data])


def _has_body(status):
    # webob.Response's own test: no body (nor Content-Type) for these.
    code = str(status)
    return code[0] != '1' and code[:3] not in ('204', '205', '304')


def empty_response(status=204, last_modified=None):
    """A response without a body (no Content-Type either, as upstream)."""
    if _has_body(status):
        resp = webob.Response(status=status)
        del resp.content_type
    else:
        # What the above makes of a bodiless status: no headers at all.
        resp = webob.Response(status=status, headerlist=[])
    if last_modified is not None:
        set_last_modified(resp, last_modified)
    return resp


def set_last_modified(resp, when):
    """Set Last-Modified (an aware or naive-UTC datetime) and no-cache."""
    resp.headers['Last-Modified'] = http_date(when)
    resp.headers['Cache-Control'] = 'no-cache'


# The last second formatted and its text (answers made in the same second
# share it); replaced as a whole, so threads never see half of one.
_last_date = (None, None)


def http_date(when):
    """*when* (an aware or naive-UTC datetime) as an HTTP date."""
    global _last_date
    second = _as_utc(when).replace(microsecond=0)
    last = _last_date
    if last[0] != second:
        last = _last_date = (
            second, email.utils.format_datetime(second, usegmt=True))
    return last[1]


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
