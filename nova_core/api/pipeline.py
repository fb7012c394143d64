"""Building an app's middleware stack: authentication and the outer edge.

Every nova_core WSGI app wraps its own inner layers (router, microversion
negotiation, context) in the same edge: CORS when configured, the fault
wrapper, the request log and, when asked for, proxy-header parsing.
"""

from oslo_middleware import cors
from oslo_middleware import http_proxy_to_wsgi

from nova_core.api import auth
from nova_core.api import fault
from nova_core.api import requestlog
from nova_core import exception


def auth_middleware(conf):
    """The authentication middleware class for ``[api] auth_strategy``."""
    if conf.api.auth_strategy == 'noauth2':
        return auth.NoAuth2Middleware
    if conf.api.auth_strategy == 'keystone':
        return auth.keystone_middleware(conf)
    raise exception.ConfigurationError(
        reason='unknown [api] auth_strategy %r' % conf.api.auth_strategy)


def edge_layers(conf, formatter, service_type):
    """The outer layers, innermost first (see :func:`wrap`).

    Wrapped in this order, a request meets them in reverse:
     - proxy headers first, so the request log shows the real client;
     - the request log next, so every answer, even a 500, has a request
       id and one log line;
     - the fault wrapper inside it turns anything that escapes below into
       a JSON 500 in the app's error format;
     - CORS before authentication: a pre-flight OPTIONS has no token.
    """
    layers = []
    if conf.cors.allowed_origin:
        layers.append(lambda a: cors.CORS(a, conf))
    layers += [
        lambda a: fault.FaultWrapper(a, formatter),
        lambda a: requestlog.RequestLog(a, service_type),
    ]
    # Only when asked for: it reads its options on every request.
    conf.register_opts(http_proxy_to_wsgi.OPTS, group='oslo_middleware')
    if conf.oslo_middleware.enable_proxy_headers_parsing:
        layers.append(lambda a: http_proxy_to_wsgi.HTTPProxyToWSGI(a, conf))
    return layers


def wrap(app, layers):
    """*app* wrapped in *layers*, the first one innermost."""
    for layer in layers:
        app = layer(app)
    return app
