"""The edge middlewares as plain WSGI: they stamp headers on the answer
passing through (replacing any of the same name) and log it once."""

import logging

import webob

from nova_core.api import microversion
from nova_core.api import requestlog
from nova_core.api import wsgi


def _call(app, path='/x', headers=None):
    req = webob.Request.blank(path, headers=headers or {})
    resp = req.get_response(app)
    return resp


def _inner(environ, start_response):
    start_response('201 Created', [
        ('Content-Type', 'application/json'), ('Content-Length', '2'),
        ('VARY', 'something'), ('x-openstack-request-id', 'stale')])
    return [b'{}']


def _lazy(environ, start_response):
    # Answers only when its body is read.
    start_response('202 Accepted', [('Content-Length', '3')])
    yield b'abc'


def test_setting_headers_replaces_any_case_and_appends():
    seen = []
    start = wsgi.setting_headers(lambda s, h, e=None: seen.append(h),
                                 ('Vary', 'a'), ('X-New', 'b'))
    start('200 OK', [('vary', 'old'), ('Other', 'c')])
    assert seen == [[('Other', 'c'), ('Vary', 'a'), ('X-New', 'b')]]


def test_request_log_stamps_the_id_and_logs_one_line(caplog):
    app = requestlog.RequestLog(_inner, 'placement')
    with caplog.at_level(logging.INFO, logger=requestlog.LOG.name):
        resp = _call(app, '/x?y=1')
    assert resp.status_int == 201 and resp.body == b'{}'
    req_id = resp.headers['x-openstack-request-id']
    assert req_id.startswith('req-')
    assert resp.headers.getall('x-openstack-request-id') == [req_id]
    [line] = [r.getMessage() for r in caplog.records]
    assert '"GET /x?y=1" status: 201 len: 2 microversion: -' in line
    assert line.endswith(req_id)


def test_request_log_reads_an_app_that_answers_late(caplog):
    app = requestlog.RequestLog(_lazy, 'placement')
    with caplog.at_level(logging.INFO, logger=requestlog.LOG.name):
        resp = _call(app)
    assert resp.status_int == 202 and resp.body == b'abc'
    assert 'status: 202 len: 3' in caplog.records[0].getMessage()


def test_microversion_stamps_version_and_vary():
    app = microversion.MicroversionMiddleware(
        _inner, 'placement', '1.0', '1.39', None)
    resp = _call(app, headers={'OpenStack-API-Version': 'placement 1.10'})
    assert resp.status_int == 201
    assert resp.headers['OpenStack-API-Version'] == 'placement 1.10'
    assert resp.headers.getall('Vary') == ['openstack-api-version']
    refused = _call(app, headers={'OpenStack-API-Version': 'placement 9.0'})
    assert refused.status_int == 406
    assert refused.headers.getall('Vary') == ['openstack-api-version']
    assert 'OpenStack-API-Version' not in refused.headers
