"""A client of placement's REST API, shared by the scheduler, conductor and computes.

It speaks HTTP through a keystoneauth1 ``Adapter`` built from ``[placement]``
(:func:`from_conf`), or goes straight into an in-process placement app
through any object with PlacementDirect's ``request(method, url, json=,
microversion=, headers=)`` (:func:`from_direct`, for the all-in-one and the
tests). Either way the callers see the same :class:`PlacementClient`.

The modules of this package group the calls by purpose: ``providers``
(what a compute reports), ``candidates`` and ``allocations`` (what the
scheduler and conductor ask and claim).
"""

import logging

from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading as ks_loading

from nova_core.conf import placement_client as placement_conf
from nova_core import exception

LOG = logging.getLogger(__name__)

# The newest placement microversion this client relies on.
MAX_VERSION = '1.39'


def error_code(resp):
    """The ``errors[0].code`` of a placement error body, or None."""
    try:
        return resp.json()['errors'][0].get('code')
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def error_detail(resp):
    """The ``errors[0].detail`` of a placement error body, or its text."""
    try:
        return resp.json()['errors'][0].get('detail') or resp.text
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return getattr(resp, 'text', '')


class PlacementClient:
    """Send requests to placement; callers get ``requests``-like responses.

    :param send: ``send(method, url, json, microversion, headers)`` returning
        a response with ``status_code``, ``headers``, ``json()``, ``text``.
    """

    def __init__(self, send, description):
        self._send = send
        self.description = description

    def __repr__(self):
        return '<PlacementClient %s>' % self.description

    def request(self, ctx, method, url, json=None, version=MAX_VERSION,
                accept=None):
        """*accept*: the ``Accept`` header, when not just JSON."""
        headers = {}
        if accept:
            headers['Accept'] = accept
        if ctx is not None and getattr(ctx, 'global_request_id', None):
            headers['X-OpenStack-Request-ID'] = ctx.global_request_id
        try:
            return self._send(method, url, json, version, headers)
        except ks_exc.ClientException as exc:
            # Connection refused, timeouts, no endpoint in the catalog: the
            # caller decides whether to retry; the message says which.
            raise exception.PlacementUnreachable(
                reason='%s %s: %s' % (method, url, exc)) from exc

    def get(self, ctx, url, version=MAX_VERSION, accept=None):
        return self.request(ctx, 'GET', url, version=version, accept=accept)

    def put(self, ctx, url, json, version=MAX_VERSION):
        return self.request(ctx, 'PUT', url, json=json, version=version)

    def post(self, ctx, url, json, version=MAX_VERSION):
        return self.request(ctx, 'POST', url, json=json, version=version)

    def delete(self, ctx, url, version=MAX_VERSION):
        return self.request(ctx, 'DELETE', url, version=version)

    def fail(self, method, url, resp):
        """Raise PlacementAPIError for an answer the caller did not expect."""
        raise exception.PlacementAPIError(
            method=method, url=url, status=resp.status_code,
            detail=error_detail(resp), code=error_code(resp))


def from_conf(conf):
    """A client over HTTP, authenticated as ``[placement]`` says."""
    placement_conf.register_opts(conf)
    group = placement_conf.GROUP
    auth = ks_loading.load_auth_from_conf_options(conf, group)
    session = ks_loading.load_session_from_conf_options(conf, group,
                                                         auth=auth)
    adapter = ks_loading.load_adapter_from_conf_options(
        conf, group, session=session, auth=auth)

    def send(method, url, json, version, headers):
        kwargs = {'raise_exc': False, 'headers': headers,
                  'microversion': version}
        if json is not None:
            kwargs['json'] = json
        return adapter.request(url, method, **kwargs)

    return PlacementClient(send, 'over HTTP (%s)' % (
        conf.placement.endpoint_override or 'service catalog'))


def from_direct(direct):
    """A client calling an in-process placement app (PlacementDirect)."""

    def send(method, url, json, version, headers):
        return direct.request(method, url, json=json, microversion=version,
                              headers=headers)

    return PlacementClient(send, 'in-process')
