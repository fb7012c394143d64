"""An in-process placement client: requests go straight into the WSGI app.

For tests, for embedding placement in another service (the all-in-one), and
for third parties testing code that talks to placement, without a server or
a socket. The interface mirrors the keystoneauth1 ``Adapter`` calls that
placement clients make::

    with PlacementDirect(conf) as client:
        resp = client.post('/resource_providers', json={'name': 'cn1'},
                           microversion='1.20')
        assert resp.status_code == 200, resp.text
        rp = resp.json()
"""

from nova_core.api import direct
from nova_core.placement import deploy

Response = direct.Response


class PlacementDirect(direct.DirectClient):
    """Call a placement app in-process.

    :param conf: a ConfigOpts with nova_core's options; used to build the
        app unless *app* is given.
    :param app: an already built placement app (``deploy.make_app``).
    :param token: the ``X-Auth-Token`` sent; with noauth2, ``user[:project]``.
    :param roles: roles sent as ``X-Roles`` (default: noauth2's own rule).
    :param microversion: the default microversion ("latest" by default).
    """

    service_type = 'placement'

    def __init__(self, conf=None, app=None, token='admin', roles=None,
                 microversion='latest'):
        if app is None:
            if conf is None:
                raise ValueError('give a conf or an app')
            app = deploy.make_app(conf)
        super().__init__(app, token, roles, microversion)
