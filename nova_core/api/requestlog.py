"""Request ids and the access log.

Every request gets ``req-<uuid>`` (and keeps a valid global request id sent
by the caller); the id comes back in ``x-openstack-request-id`` and in error
bodies. One INFO line per request is logged when it ends.
"""

import logging

from oslo_context import context
from oslo_middleware import request_id
import webob.dec

from nova_core.api import wsgi

LOG = logging.getLogger(__name__)


class RequestLog(request_id.RequestId):
    """Set request ids, default Accept to JSON, log the request."""

    def __init__(self, application, service_type):
        super().__init__(application)
        self.service_type = service_type

    @webob.dec.wsgify
    def __call__(self, req):
        self.set_global_req_id(req)
        req_id = context.generate_request_id()
        req.environ[request_id.ENV_REQUEST_ID] = req_id
        # Errors render in the type the client accepts; a client that
        # states no preference gets JSON, like every other answer.
        accept = req.environ.get('HTTP_ACCEPT')
        if not accept or accept == '*/*':
            req.environ['HTTP_ACCEPT'] = 'application/json'
        resp = req.get_response(self.application)
        resp.headers[request_id.HTTP_RESP_HEADER_REQUEST_ID] = req_id
        version = req.environ.get(wsgi.ENV_MICROVERSION, '-')
        LOG.info('%s "%s %s" status: %s len: %s microversion: %s %s',
                 req.remote_addr or '-', req.method,
                 req.script_name + req.path_qs[len(req.script_name):],
                 resp.status_code, resp.content_length or 0, version,
                 req_id)
        return resp
