"""``nova_core.wsgi.image:application`` for mod_wsgi, uwsgi, gunicorn.

The configuration files are found as for ``nova_core.wsgi.compute``; the
application is built on first access of ``application``, so that
:func:`make_app` (the ``nova_core.api.apps`` entry point ``image``) can be
imported without reading any configuration.
"""

from nova_core.api.image import deploy
from nova_core import wsgi
from nova_core.wsgi import compute


def make_app(conf, images=None):
    """The image API for *conf*: the ``[image] backend`` plugin on the API
    database (or *images*, a plugin already built)."""
    return deploy.make_app(conf, images=images)


__getattr__ = wsgi.lazy_application(lambda: make_app(compute.load_conf()))
