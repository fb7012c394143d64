"""What several placement handlers render the same way: URLs, Last-Modified."""

from oslo_utils import timeutils

from nova_core.api import wsgi


def last_modified(*records):
    """The newest ``updated_at or created_at`` of *records*, else now.

    Answers about things that are not rows (the version document, an empty
    list) say "now".
    """
    newest = None
    for record in records:
        when = record.updated_at or record.created_at
        if when is not None and (newest is None or when > newest):
            newest = when
    return newest or timeutils.utcnow()


def provider_url(req, uuid):
    return req.url_for('/resource_providers/%s' % uuid)


def resource_class_url(req, name):
    return req.url_for('/resource_classes/%s' % name)


def trait_url(req, name):
    return req.url_for('/traits/%s' % name)


def wants_last_modified(req):
    """Last-Modified and Cache-Control headers exist from 1.15."""
    return req.microversion.matches((1, 15))


def json(req, body, status=200, modified=None):
    """A JSON answer; from 1.15 with Last-Modified (*modified*, else now)."""
    return wsgi.json_response(req, body, status=status,
                              last_modified=_stamp(req, modified))


def json_bytes(req, body, status=200, modified=None):
    """Like :func:`json`, for a body already serialised (bytes)."""
    return wsgi.json_bytes_response(body, status=status,
                                    last_modified=_stamp(req, modified))


def _stamp(req, modified):
    # Last-Modified exists from 1.15: *modified*, else now.
    if wants_last_modified(req):
        return modified or timeutils.utcnow()
    return None


def empty(req, status=204, modified=None, location=None):
    """A bodiless answer; Last-Modified only if *modified* is given (1.15+)."""
    stamp = modified if wants_last_modified(req) else None
    resp = wsgi.empty_response(status, last_modified=stamp)
    if location:
        resp.location = location
    return resp
