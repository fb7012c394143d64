"""An in-process image API client: requests go straight into the WSGI app.

For tests and embedding::

    client = ImageDirect(deploy.make_app(conf))
    resp = client.get('/v2/images?name=cirros')
"""

from nova_core.api import direct

Response = direct.Response


class ImageDirect(direct.DirectClient):
    """Call an image API app in-process (paths as Glance's: ``/v2/...``).

    :param token: ``X-Auth-Token``; with noauth2, ``user[:project]``.
    :param roles: sent as ``X-Roles`` (default: noauth2's own rule).
    """

    service_type = 'image'

    def __init__(self, app, token='admin', roles=None,
                 host_url='http://image.test'):
        super().__init__(app, token, roles, None, host_url)

    def as_user(self, token, roles=None):
        """A client for another caller on the same app."""
        return ImageDirect(self.app, token, roles, self.host_url)
