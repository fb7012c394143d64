"""``nova_core.wsgi.apps:application``: the apps ``[wsgi] apps`` names, on one server.

For one WSGI server (or one mod_wsgi daemon group) serving several APIs at
different paths, e.g. ``[wsgi] apps = compute:/, placement:/placement``.
Each name is a ``nova_core.api.apps`` entry point, so a third party's app
is mounted the same way. The configuration files are found as for
``nova_core.wsgi.compute``; the application is built on first access of
``application``.
"""

from nova_core.api import urlmap
from nova_core import wsgi
from nova_core.wsgi import compute


def make_app(conf):
    """The URL map of ``[wsgi] apps`` for *conf*."""
    return urlmap.assemble(conf, urlmap.parse_mounts(conf.wsgi.apps))


__getattr__ = wsgi.lazy_application(lambda: make_app(compute.load_conf()))
