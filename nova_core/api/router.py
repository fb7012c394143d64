"""Routes as data: one table, URL -> HTTP method -> handler.

An app declares its API as a dict::

    {'/traits/{name}': {'GET': trait.show,
                        'PUT': since('1.6', trait.put)}, ...}

A handler is a function ``handler(req) -> webob.Response``. :func:`since`
and :func:`versioned` bound the microversions a handler serves. The
:class:`Router` built from the table answers 404 for unknown URLs, 405 with
an ``Allow`` header for unknown methods, and translates the domain
exceptions a handler raises through the app's error table.
"""

import logging

import routes
import webob.dec
import webob.exc

from nova_core.api import fault
from nova_core.api import wsgi
from nova_core import exception

LOG = logging.getLogger(__name__)


class Route:
    """A handler and the microversion range in which it answers."""

    def __init__(self, handler, min_version=None, max_version=None,
                 unavailable_status=404):
        self.handler = handler
        self.min_version = min_version
        self.max_version = max_version
        self.unavailable_status = unavailable_status

    def serves(self, version):
        return version is None or version.matches(self.min_version,
                                                   self.max_version)


def since(min_version, handler, max_version=None, unavailable_status=404):
    """*handler* from *min_version* (to *max_version*) on.

    Outside that range the URL answers *unavailable_status*: 404 when the
    resource did not exist yet, 405 when only the method is new.
    """
    return Route(handler, min_version, max_version, unavailable_status)


def versioned(*routes_):
    """Several routes for one method, tried in order (disjoint ranges)."""
    return tuple(routes_)


def _as_routes(target):
    if isinstance(target, Route):
        return (target,)
    if isinstance(target, tuple):
        return target
    return (Route(target),)


class Router:
    """The innermost WSGI app: match, check the version, call, translate."""

    def __init__(self, table, error_table):
        self.error_table = error_table
        self._mapper = routes.Mapper()
        # routes keeps match values as strings: it stores an index into
        # this list, not the handlers themselves.
        self._targets = []
        for path, methods in table.items():
            for method, target in methods.items():
                self._mapper.connect(path, target=str(len(self._targets)),
                                     conditions={'method': [method]})
                self._targets.append(_as_routes(target))
            # Any other method on a known URL: 405 with Allow.
            self._mapper.connect(path, allow=', '.join(methods))

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        try:
            return self._dispatch(req)
        except exception.NovaCoreException as exc:
            http_exc = self.error_table.translate(exc)
            if http_exc is None:
                raise
            LOG.debug('%s %s: %s', req.method, req.path, exc)
            return fault.prepare(http_exc, req.environ)
        except webob.exc.HTTPException as exc:
            return fault.prepare(exc, req.environ)

    def _dispatch(self, req):
        self._check_body_headers(req)
        match = self._mapper.match(environ=req.environ)
        if match is None:
            raise webob.exc.HTTPNotFound()
        if 'allow' in match:
            raise fault.http_error(
                405, 'The method specified is not allowed for this resource.',
                headers={'Allow': match['allow']})
        routes_ = self._targets[int(match.pop('target'))]
        version = req.environ.get(wsgi.ENV_MICROVERSION)
        for route in routes_:
            if route.serves(version):
                break
        else:
            raise webob.exc.status_map[routes_[0].unavailable_status]()
        req.environ['wsgiorg.routing_args'] = ((), match)
        return route.handler(req)

    @staticmethod
    def _check_body_headers(req):
        # A body needs a declared type; a non-integer length is refused
        # before anything tries to read it.
        length = req.environ.get('CONTENT_LENGTH')
        if not length:
            return
        try:
            length = int(length)
        except ValueError:
            raise fault.http_error(
                400, 'content-length header must be an integer')
        if length > 0 and not req.environ.get('CONTENT_TYPE'):
            raise fault.http_error(
                400, 'content-type header required when content-length > 0')
