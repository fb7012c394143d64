"""Several WSGI apps behind one server: mounted at paths, chosen by name.

A deployment says which ``nova_core.api.apps`` plugins it serves and where
(``[wsgi] apps = compute:/, placement:/placement``); :func:`assemble` loads
them by entry-point name and :class:`URLMap` dispatches each request to the
app mounted at the longest matching path, moving that path from
``PATH_INFO`` to ``SCRIPT_NAME`` so that the links an app writes (version
documents, server links) name the URL the client used.
"""

import json

from nova_core import exception
from nova_core import loading


def parse_mounts(values):
    """``['compute:/', 'placement:/placement']`` -> [(name, path)].

    Paths are normalised (a leading ``/``, no trailing one; ``/`` is
    ``''``). A malformed entry or a path mounted twice is a
    ``ConfigurationError`` naming it.
    """
    mounts, seen = [], {}
    for value in values:
        name, sep, path = value.partition(':')
        name = name.strip()
        path = path.strip()
        if not sep or not name or not path.startswith('/'):
            raise exception.ConfigurationError(
                reason='[wsgi] apps: %r is not NAME:/PATH' % value)
        path = path.rstrip('/')
        if path in seen:
            raise exception.ConfigurationError(
                reason='[wsgi] apps: %s and %s are both mounted at %s'
                % (seen[path], name, path or '/'))
        seen[path] = name
        mounts.append((name, path))
    return mounts


def _not_found(environ, start_response):
    body = json.dumps({'error': {
        'code': 404, 'title': 'Not Found',
        'message': 'No API is served at %s' % (
            environ.get('PATH_INFO') or '/')}}).encode()
    start_response('404 Not Found', [
        ('Content-Type', 'application/json'),
        ('Content-Length', str(len(body)))])
    return [body]


class URLMap:
    """Dispatch on the path prefix: ``{path: app}``, longest path first.

    ``''`` mounts an app at the root, where it also receives every path no
    other app claims. A prefix matches only whole segments: ``/placement``
    takes ``/placement`` and ``/placement/...``, not ``/placementx``.
    """

    def __init__(self, apps_by_path):
        self.mounts = sorted(apps_by_path.items(),
                             key=lambda item: len(item[0]), reverse=True)

    def __call__(self, environ, start_response):
        path_info = environ.get('PATH_INFO', '')
        for prefix, app in self.mounts:
            if not prefix or path_info == prefix or \
                    path_info.startswith(prefix + '/'):
                environ['SCRIPT_NAME'] = (environ.get('SCRIPT_NAME', '') +
                                          prefix)
                environ['PATH_INFO'] = path_info[len(prefix):]
                return app(environ, start_response)
        return _not_found(environ, start_response)


def assemble(conf, mounts, built=None, extensions=None):
    """The URLMap serving *mounts* ([(name, path)]).

    Each app is made by its ``nova_core.api.apps`` factory from *conf*,
    unless *built* (``{name: app}``) already has it: the all-in-one builds
    the compute API around services it shares. A missing or broken plugin
    stops the deployment here with ``PluginLoadError``.
    """
    built = dict(built or {})
    wanted = list(dict.fromkeys(name for name, _path in mounts
                                if name not in built))
    for name, factory in loading.load_apps(wanted, extensions).items():
        built[name] = factory(conf)
    return URLMap({path: built[name] for name, path in mounts})
