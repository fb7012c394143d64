"""The in-process client builds the environ webob.Request.blank would and
reads the answer as webob.Request.send would, without webob objects."""

import json
import sys

import pytest
import webob

from nova_core.api import direct


class _Recorder:
    """An app that keeps the environ it saw and answers as told."""

    def __init__(self, answer=None):
        self.environ = None
        self.body = None
        self.answer = answer or self._json

    def __call__(self, environ, start_response):
        self.environ = dict(environ)
        self.body = environ['wsgi.input'].read()
        return self.answer(environ, start_response)

    @staticmethod
    def _json(environ, start_response):
        start_response('200 OK', [('Content-Type', 'application/json'),
                                  ('Content-Length', '8')])
        return [b'{"a": 1}']


class _Client(direct.DirectClient):
    service_type = 'placement'


def _old_environ(client, method, url, json_=None, microversion=None,
                 headers=None, token=None, body=None, content_type=None):
    # What DirectClient.request built with webob before.
    req = webob.Request.blank(client.full_path(url), method=method,
                              base_url=client.host_url)
    req.environ['REMOTE_ADDR'] = '127.0.0.1'
    req.headers['Accept'] = 'application/json'
    auth = client.token if token is None else token
    if auth:
        req.headers['X-Auth-Token'] = auth
    if client.roles is not None:
        req.headers['X-Roles'] = ','.join(client.roles)
    version = microversion or client.microversion
    if version:
        req.headers['OpenStack-API-Version'] = '%s %s' % (
            client.service_type, version)
    if json_ is not None:
        req.body = json.dumps(json_).encode('utf-8')
        req.content_type = 'application/json'
    elif body is not None:
        req.body = body if isinstance(body, bytes) else body.encode()
        req.content_type = content_type or 'application/json'
    for name, value in (headers or {}).items():
        if value is None:
            req.headers.pop(name, None)
        else:
            req.headers[name] = value
    return req.environ, req.body


def _comparable(environ):
    return {k: v for k, v in environ.items()
            if k not in ('wsgi.input', 'wsgi.errors')}


CASES = [
    ('GET', '/resource_providers', {}),
    ('GET', '/allocation_candidates?resources=VCPU%3A1,DISK_GB:1&limit=5',
     {'headers': {'Accept': 'application/x, application/json;q=0.5',
                  'X-OpenStack-Request-ID': 'req-x'}}),
    ('PUT', '/allocations/a%20b', {'json_': {'allocations': {}}}),
    ('POST', '/x', {'body': 'text', 'content_type': 'text/plain; a=b'}),
    ('POST', '/x', {'body': b'raw'}),
    ('DELETE', '/x/%7Bname%7D/', {'token': '', 'microversion': '1.2'}),
    ('GET', '', {}),
    ('GET', '/q?', {'headers': {'Accept': None, 'X-Auth-Token': None}}),
    ('PATCH', '/p?a=1?b=2', {'headers': {'Content-Type': 'x/y'}}),
    ('GET', 'http://other:8080/full?x=1', {}),
]


@pytest.mark.parametrize('host_url', [None, 'http://compute.test',
                                      'https://h/base/path'])
@pytest.mark.parametrize('roles', [None, ['a', 'b']])
@pytest.mark.parametrize('method,url,kwargs', CASES)
def test_the_environ_is_webobs(method, url, kwargs, host_url, roles):
    kwargs = dict(kwargs)
    app = _Recorder()
    client = _Client(app, token='admin', roles=roles, microversion='1.39',
                     host_url=host_url)
    expected, expected_body = _old_environ(client, method, url, **kwargs)
    if 'json_' in kwargs:
        kwargs['json'] = kwargs.pop('json_')
    client.request(method, url, **kwargs)
    assert _comparable(app.environ) == _comparable(expected)
    assert app.body == expected_body
    assert app.environ['wsgi.errors'] is expected['wsgi.errors']


def _via_webob(app):
    resp = webob.Request.blank('/x').get_response(app)
    return resp.status_code, resp.headerlist, resp.body


def _write_then_return(environ, start_response):
    write = start_response('201 Created', [('X-A', 'b')])
    write(b'abc')
    return [b'def']


def _generator(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    yield b'one '
    yield b'two'


def _lazy(environ, start_response):
    # Answers only when its body is read.
    start_response('202 Accepted', [('content-length', '3')])
    yield b'abc'


def _bad_length(environ, start_response):
    start_response('200 OK', [('Content-Length', 'many')])
    return iter([b'ab', b'c'])


def _empty(environ, start_response):
    start_response('204 No Content', [])
    return iter([])


def _wrong_length(environ, start_response):
    start_response('200 OK', [('Content-Length', '9')])
    return iter([b'ab', b'c'])


@pytest.mark.parametrize('answer', [
    _Recorder._json, _write_then_return, _generator, _lazy, _empty])
def test_the_answer_is_read_as_webob_reads_it(answer):
    status, headerlist, body = _via_webob(answer)
    resp = _Client(answer).get('/x')
    assert resp.status_code == status
    assert list(resp.headers.items()) == headerlist
    assert resp.content == body


@pytest.mark.parametrize('answer,error', [(_bad_length, ValueError),
                                          (_wrong_length, AssertionError)])
def test_a_wrong_length_fails_as_with_webob(answer, error):
    with pytest.raises(error):
        _via_webob(answer)
    with pytest.raises(error):
        _Client(answer).get('/x')


def test_headers_are_case_insensitive_and_json_decodes():
    resp = _Client(_Recorder()).get('/x')
    assert resp.headers['content-type'] == 'application/json'
    assert resp.headers.get('CONTENT-LENGTH') == '8'
    assert resp.json() == {'a': 1}
    assert resp.text == '{"a": 1}'
    assert repr(resp) == '<Response [200]>'


def test_an_app_that_fails_with_exc_info_raises():
    def failing(environ, start_response):
        try:
            raise KeyError('boom')
        except KeyError:
            start_response('500 Internal Server Error', [], sys.exc_info())
        return [b'']

    with pytest.raises(KeyError):
        _Client(failing).get('/x')


def test_closes_what_it_reads():
    closed = []

    class Body:
        def __iter__(self):
            return iter([b'a', b'b'])

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response('200 OK', [])
        return Body()

    assert _Client(app).get('/x').content == b'ab'
    assert closed == [True]
