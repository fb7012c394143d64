"""An in-process compute API client: requests go straight into the WSGI app.

For tests and embedding, without a server or a socket::

    client = ComputeDirect(app)     # deploy.make_app(conf, servers=...)
    resp = client.post('/servers', json={'server': {...}})
    assert resp.status_code == 202, resp.text

Paths are below ``/v2.1`` unless they start with ``/v2.1`` or are ``/``.
"""

from nova_core.api import direct

Response = direct.Response


class ComputeDirect(direct.DirectClient):
    """Call a compute API app in-process.

    :param token: ``X-Auth-Token``; with noauth2, ``user[:project]``.
    :param roles: sent as ``X-Roles`` (default: noauth2's own rule, admin
        for the user ``admin``).
    :param microversion: the default microversion (None: the minimum).
    """

    service_type = 'compute'

    def __init__(self, app, token='admin', roles=None, microversion=None,
                 host_url='http://compute.test'):
        super().__init__(app, token, roles, microversion, host_url)

    def as_user(self, token, roles=None, microversion=None):
        """A client for another caller on the same app."""
        return ComputeDirect(self.app, token, roles,
                             microversion or self.microversion,
                             self.host_url)

    def full_path(self, url):
        if url != '/' and not url.startswith('/v2.1'):
            return '/v2.1' + url
        return url
