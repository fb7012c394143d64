"""Assembling the image API WSGI app (the read part of Glance v2).

``make_app(conf, images=...)`` serves an image plugin (built from
``[image] backend`` on the API database when not given). URL layout, as
Glance's::

    /, /versions        the versions list (300 and 200), no token
    /v2/images...       the API: token, context, router
"""

import webob.dec

from nova_core.api import auth
from nova_core.api.image import errors
from nova_core.api.image.handlers import images as images_handlers
from nova_core.api.image.handlers import versions
from nova_core.api.image import policies
from nova_core.api.image import routes
from nova_core.api import fault
from nova_core.api import pipeline
from nova_core.api import policy
from nova_core.api import router
from nova_core.api import wsgi
from nova_core.db import cells as db_cells
from nova_core import image

SERVICE_TYPE = 'image'


class Mount:
    """The versions list outside authentication, the API inside it."""

    def __init__(self, root_app, api_app):
        self.root_app = root_app
        self.api_app = api_app

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        req.environ[fault.ENV_ERROR_FORMATTER] = errors.json_formatter
        if req.path_info in ('', '/', '/versions', '/versions/'):
            return self.root_app
        return self.api_app


def make_app(conf, images=None):
    """The image API WSGI application for *conf*.

    :param images: the image plugin to serve (default: ``[image] backend``
        on the API database of *conf*).
    """
    if images is None:
        images = image.load(conf, db_cells.CellDatabases(conf).api)
    authorizer = policy.Authorizer(
        policy.make_enforcer(conf, policies.list_rules()))

    # The API proper, inside-out: authentication, then the context made
    # from what it established, then the router.
    api = pipeline.wrap(router.Router(routes.ROUTES, errors.TABLE), [
        lambda a: auth.ContextMiddleware(
            a, db=images.database, authorizer=authorizer, config=conf),
        pipeline.auth_middleware(conf),
    ])
    root = router.Router({'': {'GET': versions.root},
                          '/': {'GET': versions.root},
                          '/versions': {'GET': versions.versions},
                          '/versions/': {'GET': versions.versions}},
                         errors.TABLE)

    def with_images(application):
        def middleware(environ, start_response):
            environ[images_handlers.ENV_IMAGES] = images
            return application(environ, start_response)
        return middleware

    app = pipeline.wrap(Mount(root, api), [with_images] + (
        pipeline.edge_layers(conf, errors.json_formatter, SERVICE_TYPE)))
    app.images = images
    return app
