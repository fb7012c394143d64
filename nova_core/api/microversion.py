"""Microversion negotiation at the HTTP edge.

The client asks with ``OpenStack-API-Version: <service> X.Y`` (or ``latest``);
a missing header means the minimum. The negotiated
:class:`Version` is put in the WSGI environ for handlers; everything below
the handlers receives plain flags, never a version.
"""

import collections
import re

import webob
import webob.exc
import webob.headers

from nova_core.api import fault
from nova_core.api import wsgi

HEADER = 'OpenStack-API-Version'
# Lower case, as upstream services send it (and clients match it).
VARY = 'openstack-api-version'
_VARY = ('Vary', VARY)
_ENV_HEADER = 'HTTP_OPENSTACK_API_VERSION'
# Negotiations remembered at most (header values are the clients').
_MAX_NEGOTIATED = 256
ENV_VERSION_RANGE = 'nova_core.microversion_range'
_VERSION_RE = re.compile(r'^([1-9]\d*|0)\.([1-9]\d*|0)$')


class Version(collections.namedtuple('Version', 'major minor')):
    """A microversion, ordered as a tuple of integers."""

    @classmethod
    def parse(cls, text):
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise ValueError('invalid version string: %s' % text)
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self):
        return '%d.%d' % self

    def matches(self, min_version=None, max_version=None):
        """True if min_version <= self <= max_version (either may be None)."""
        if min_version is not None and self < _coerce(min_version):
            return False
        if max_version is not None and self > _coerce(max_version):
            return False
        return True

    @staticmethod
    def coerce(value):
        """*value* (a Version, ``'X.Y'`` or ``(X, Y)``) as a Version."""
        value = _coerce(value)
        return value if isinstance(value, Version) else Version(*value)


# Versions named by text, parsed once (handlers name a few constants).
_PARSED = {}
_MAX_PARSED = 256


def _coerce(value):
    # What a version compares with: a Version, or a pair of numbers, which
    # compares as the Version it names (both are tuples).
    if isinstance(value, Version):
        return value
    if isinstance(value, str):
        found = _PARSED.get(value)
        if found is None:
            found = Version.parse(value)
            if len(_PARSED) >= _MAX_PARSED:
                _PARSED.clear()
            _PARSED[value] = found
        return found
    if type(value) is tuple and len(value) == 2:
        return value
    return Version(*value)


def requested_version(headers, service_type, legacy_header=None):
    """The version text the client asked *service_type* for, or None.

    The header may name several services (``compute 2.1, placement 1.2``);
    a header sent several times arrives comma-joined, which is the same
    thing. The legacy header, when given, is a bare version used only when
    the standard header does not name the service.
    """
    for item in (headers.get(HEADER) or '').split(','):
        parts = item.strip().split(None, 1)
        if len(parts) == 2 and parts[0].lower() == service_type:
            return parts[1].strip()
    if legacy_header:
        value = headers.get(legacy_header)
        if value:
            return value.strip()
    return None


class MicroversionMiddleware:
    """Negotiate the version and stamp it on every response.

    Unparseable versions get 400, versions outside [min, max] get 406 (the
    error body then carries ``min_version`` and ``max_version``).
    """

    def __init__(self, application, service_type, min_version, max_version,
                 formatter, legacy_header=None):
        self.application = application
        self.service_type = service_type
        self.min_version = _coerce(min_version)
        self.max_version = _coerce(max_version)
        self.formatter = formatter
        self.legacy_header = legacy_header
        self._keys = [_ENV_HEADER]
        if legacy_header:
            self._keys.append(
                'HTTP_' + legacy_header.upper().replace('-', '_'))
        # The answer to each pair of header values seen: (the version, its
        # response header); the negotiation depends on nothing else.
        self._negotiated = {}

    def __call__(self, environ, start_response):
        # Plain WSGI: the answer passes through with its headers stamped.
        environ[fault.ENV_ERROR_FORMATTER] = self.formatter
        environ[ENV_VERSION_RANGE] = (self.min_version, self.max_version)
        key = tuple([environ.get(name) for name in self._keys])
        found = self._negotiated.get(key)
        if found is None:
            try:
                version = self._negotiate(
                    webob.headers.EnvironHeaders(environ))
            except webob.exc.HTTPException as exc:
                return fault.prepare(exc, environ)(
                    environ, wsgi.setting_headers(start_response, _VARY))
            found = (version,
                     (HEADER, '%s %s' % (self.service_type, version)))
            if len(self._negotiated) >= _MAX_NEGOTIATED:
                self._negotiated = {}
            self._negotiated[key] = found
        version, stamp = found
        environ[wsgi.ENV_MICROVERSION] = version
        return self.application(environ, wsgi.setting_headers(
            start_response, stamp, _VARY))

    def _negotiate(self, headers):
        text = requested_version(headers, self.service_type,
                                 self.legacy_header)
        if text is None:
            return self.min_version
        if text.lower() == 'latest':
            return self.max_version
        try:
            version = Version.parse(text)
        except ValueError:
            raise fault.http_error(400, 'invalid version string: %s' % text)
        if not version.matches(self.min_version, self.max_version):
            raise fault.http_error(
                406, 'Unacceptable version header: %s' % text)
        return version
