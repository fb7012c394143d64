"""Request ids and the access log.

Every request gets ``req-<uuid>`` (and keeps a valid global request id sent
by the caller); the id comes back in ``x-openstack-request-id`` and in error
bodies. One INFO line per request is logged when it ends.
"""

import logging

from oslo_context import context
from oslo_middleware import request_id
import webob

from nova_core.api import wsgi

LOG = logging.getLogger(__name__)


class RequestLog(request_id.RequestId):
    """Set request ids, default Accept to JSON, log the request."""

    def __init__(self, application, service_type):
        super().__init__(application)
        self.service_type = service_type

    def __call__(self, environ, start_response):
        # Plain WSGI: the answer passes through with its id stamped.
        req = webob.Request(environ)
        self.set_global_req_id(req)
        req_id = context.generate_request_id()
        environ[request_id.ENV_REQUEST_ID] = req_id
        # Errors render in the type the client accepts; a client that
        # states no preference gets JSON, like every other answer.
        accept = environ.get('HTTP_ACCEPT')
        if not accept or accept == '*/*':
            environ['HTTP_ACCEPT'] = 'application/json'
        answered = []
        stamp = wsgi.setting_headers(
            start_response, (request_id.HTTP_RESP_HEADER_REQUEST_ID, req_id))

        def start(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return stamp(status, headers, exc_info)
        body = self.application(environ, start)
        if not answered:
            # An app that answers when its body is read: read it now, as
            # webob's get_response does, to log what it answered.
            body = _read(body)
        if LOG.isEnabledFor(logging.INFO):
            status, headers = answered or ('500', [])
            length = next((value for name, value in headers
                           if name.lower() == 'content-length'), None)
            LOG.info('%s "%s %s" status: %s len: %s microversion: %s %s',
                     req.remote_addr or '-', req.method,
                     req.script_name + req.path_qs[len(req.script_name):],
                     status.split(None, 1)[0], length or 0,
                     environ.get(wsgi.ENV_MICROVERSION, '-'), req_id)
        return body


def _read(body):
    try:
        return [b''.join(body)]
    finally:
        close = getattr(body, 'close', None)
        if close is not None:
            close()
