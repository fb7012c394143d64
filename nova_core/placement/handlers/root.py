"""The version document at the root of the placement API."""

from nova_core.placement.handlers import render
from nova_core.placement import microversions


def home(req):
    """``GET /``: the one API version, its microversion range, no auth."""
    version = {
        'id': 'v1.0',
        'max_version': microversions.MAX_VERSION,
        'min_version': microversions.MIN_VERSION,
        'status': 'CURRENT',
        'links': [{'rel': 'self', 'href': ''}],
    }
    return render.json(req, {'versions': [version]})
