"""The version documents at ``/`` and ``/v2.1`` (no token needed)."""

from nova_core.api.compute import microversions as mv
from nova_core.api import wsgi

UPDATED = '2013-07-23T11:33:21Z'


def _version(req, root):
    href = req.host_url + (req.script_name if not root
                           else req.script_name + '/v2.1') + '/'
    return {
        'id': 'v2.1',
        'status': 'CURRENT',
        'version': mv.MAX_VERSION,
        'min_version': mv.MIN_VERSION,
        'updated': UPDATED,
        'links': [{'rel': 'self', 'href': href}],
    }


def versions(req):
    """``GET /``: the API versions this endpoint serves."""
    return wsgi.json_response(req, {'versions': [_version(req, True)]})


def version(req):
    """``GET /v2.1``: the v2.1 document, with its media types."""
    doc = _version(req, False)
    doc['links'].append({'rel': 'describedby', 'type': 'text/html',
                         'href': 'http://docs.openstack.org/'})
    doc['media-types'] = [{
        'base': 'application/json',
        'type': 'application/vnd.openstack.compute+json;version=2.1'}]
    return wsgi.json_response(req, {'version': doc})
