"""Glance's version document at ``/`` (300) and ``/versions`` (200).

Clients (keystoneauth's discovery, used by openstacksdk) read it from the
catalogue's endpoint and follow the ``self`` link of the newest version.
"""

from nova_core.api import wsgi

# Glance's v2 minor versions; the last is CURRENT, the others SUPPORTED.
MINORS = 16


def _versions(req):
    href = req.host_url + req.script_name + '/v2/'
    return [{'id': 'v2.%d' % minor,
             'status': 'CURRENT' if minor == MINORS else 'SUPPORTED',
             'links': [{'rel': 'self', 'href': href}]}
            for minor in range(MINORS, -1, -1)]


def root(req):
    """``GET /``: Multiple Choices, as Glance answers an unversioned URL."""
    return wsgi.json_response(req, {'versions': _versions(req)}, status=300)


def versions(req):
    """``GET /versions``: the same list, 200."""
    return wsgi.json_response(req, {'versions': _versions(req)})
