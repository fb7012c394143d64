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
import re

import routes
import webob
import webob.exc

from nova_core.api import fault
from nova_core.api import microversion
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
        # Parsed once, not on every request.
        self._bounds = tuple(
            None if bound is None else microversion.Version.coerce(bound)
            for bound in (min_version, max_version))

    def serves(self, version):
        return version is None or version.matches(*self._bounds)


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
    """The innermost WSGI app: match, check the version, call, translate.

    Plain WSGI: the handler's (or the error's) response is called as the
    app, as ``webob.dec.wsgify`` would call it, without the empty
    ``req.response`` wsgify makes for every request.
    """

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
        self._mapper.create_regs()
        self._finders = {}

    def __call__(self, environ, start_response):
        req = wsgi.Request(environ)
        try:
            resp = self._dispatch(req)
        except exception.NovaCoreException as exc:
            http_exc = self.error_table.translate(exc)
            if http_exc is None:
                raise
            LOG.debug('%s %s: %s', req.method, req.path, exc)
            resp = fault.prepare(http_exc, environ)
        except webob.exc.HTTPException as exc:
            resp = fault.prepare(exc, environ)
        return _as_response(req, resp)(environ, start_response)

    def _dispatch(self, req):
        self._check_body_headers(req)
        match = self.match(req.environ)
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

    def match(self, environ):
        """What ``routes.Mapper.match(environ=environ)`` answers.

        routes tries its routes one by one in Python; the routes one method
        can match are tried here in one regular expression, made of routes'
        own, in routes' order (see :class:`_RouteFinder`).
        """
        method = environ['REQUEST_METHOD']
        finder = self._finders.get(method)
        if finder is None:
            finder = _RouteFinder(self._mapper, method)
            if len(self._finders) < _MAX_METHODS:
                self._finders[method] = finder
        url = environ['PATH_INFO']
        route, values = finder.find(url)
        if route is None:
            return None
        if values is not None:
            return values
        mapper = self._mapper
        found = route.match(url, environ, mapper.sub_domains,
                            mapper.sub_domains_ignore, mapper.domain_match)
        if isinstance(found, dict) or found:
            return found
        # The route's own checks refused (say, a value it cannot decode):
        # routes goes on with the next one.
        return self._mapper.match(environ=environ)

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


# Finders kept at most (request methods are the client's to choose).
_MAX_METHODS = 32


class _RouteFinder:
    """What a mapper's ``match`` answers for one method.

    routes tries the routes whose static prefix the URL starts with,
    longest prefix first, in the order they were connected within a
    prefix, skipping those whose method condition refuses; a route matches
    when its regular expression does, and answers the values of its named
    groups and its defaults (``Route.match``). The same routes, in the
    same order, with the same expressions (their groups renamed apart), are
    alternatives of one expression here: the alternative that matched
    names the route, and its groups the values.
    """

    def __init__(self, mapper, method):
        candidates = []
        for index, route in enumerate(mapper.matchlist):
            if route.static:
                continue
            methods = (route.conditions or {}).get('method')
            if methods is not None and method not in methods:
                continue
            candidates.append((-len(_prefix(route)), index, route))
        candidates.sort(key=lambda c: c[:2])
        self._routes = []
        parts = []
        for i, (_len, _index, route) in enumerate(candidates):
            names = []

            def rename(found, i=i, names=names):
                names.append(('r%d_%d' % (i, len(names)), found.group(1)))
                return '(?P<%s>' % names[-1][0]
            parts.append('(?P<r%d>%s)' % (
                i, _GROUP.sub(rename, route.regexp)))
            # Route.match as it is for the routes tables make: the values
            # are text and only the method is a condition; anything else
            # is routes' own to answer.
            plain = (set(route.conditions or ()) <= {'method'} and
                     not mapper.sub_domains)
            self._routes.append((route, names if plain else None,
                                 frozenset(route.defaults)))
        self._regex = re.compile('|'.join(parts)) if parts else None

    def find(self, url):
        """(the route that matches *url*, its values or None: ask it)."""
        if self._regex is None:
            return None, None
        found = self._regex.match(url)
        if found is None:
            return None, None
        route, names, default_keys = self._routes[int(found.lastgroup[1:])]
        if names is None:
            return route, None
        defaults = route.defaults
        values = {}
        for group, key in names:
            value = found.group(group)
            if not value and defaults.get(key):
                value = defaults[key]
            values[key] = value
        for key in default_keys.difference(values):
            values[key] = defaults[key]
        return route, values


_GROUP = re.compile(r'\(\?P<(\w+)>')


def _prefix(route):
    # The static prefix routes groups a route under (Mapper._create_regs).
    prefix = []
    for part in route.routelist:
        if not isinstance(part, str):
            break
        prefix.append(part)
    prefix = ''.join(prefix)
    if route.minimization and not prefix.startswith('/'):
        prefix = '/' + prefix
    return prefix.rstrip('/')


def _as_response(req, resp):
    # What webob.dec.wsgify makes of a handler's answer: None is an empty
    # 200, text and bytes are its body.
    if resp is None or isinstance(resp, (str, bytes)):
        answer = webob.Response()
        if isinstance(resp, str):
            resp = resp.encode(req.charset)
        if resp is not None:
            answer.write(resp)
        return answer
    return resp
