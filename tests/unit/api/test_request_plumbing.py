"""What requests no longer recompute: parsed Accept headers, negotiated
microversions, formatted dates, policy keys, request ids; each answers
as the computation it replaces."""

import datetime
import email.utils
import re
import uuid

from oslo_middleware import request_id
from oslo_serialization import jsonutils
import pytest
import webob
from webob import acceptparse

from nova_core.api import microversion
from nova_core.api import policy
from nova_core.api import requestlog
from nova_core.api import wsgi
from nova_core import context

ACCEPTS = [None, '', '*/*', 'application/json', 'text/html',
           'application/vnd.nova-core.allocation-candidates, '
           'application/json;q=0.5',
           'application/json;q=0', 'application/*;q=0.3, text/*',
           'not a valid header;;;', 'application/json, */*;q=0.1']
OFFERS = [('application/json',),
          ('application/json', 'application/vnd.nova-core.allocation-'
           'candidates'),
          ['application/vnd.nova-core.allocation-candidates',
           'application/json'],
          ('text/html', 'text/plain')]


def _request(accept):
    environ = webob.Request.blank('/').environ
    if accept is not None:
        environ['HTTP_ACCEPT'] = accept
    return wsgi.Request(environ)


@pytest.mark.parametrize('accept', ACCEPTS)
def test_accept_answers_as_webob(accept):
    req = _request(accept)
    expected = acceptparse.create_accept_header(accept)
    for _twice in range(2):
        got = req.accept
        assert isinstance(got, type(expected))
        assert bool(got) == bool(expected)
        assert str(got) == str(expected)
        for offers in OFFERS:
            assert got.acceptable_offers(offers) == \
                expected.acceptable_offers(offers)
    assert req.accept is _request(accept).accept


def test_acceptable_offers_may_be_changed_by_the_caller():
    req = _request('application/json')
    req.accept.acceptable_offers(['application/json']).append('x')
    assert req.accept.acceptable_offers(['application/json']) == [
        ('application/json', 1.0)]


def test_setting_accept_sets_the_environ():
    req = _request('text/html')
    req.accept = 'application/json'
    assert req.environ['HTTP_ACCEPT'] == 'application/json'
    assert req.accept.acceptable_offers(['text/html']) == []
    del req.accept
    assert 'HTTP_ACCEPT' not in req.environ
    assert not req.accept


def _old_json_response(body, status, last_modified):
    resp = webob.Response(status=status, charset='utf-8',
                          content_type='application/json')
    resp.body = jsonutils.dump_as_bytes(body)
    if last_modified is not None:
        when = last_modified
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        resp.headers['Last-Modified'] = email.utils.format_datetime(
            when.astimezone(datetime.timezone.utc), usegmt=True)
        resp.headers['Cache-Control'] = 'no-cache'
    return resp


@pytest.mark.parametrize('status', [200, 201, '200 OK', 204, 304, 400])
@pytest.mark.parametrize('last_modified', [
    None, datetime.datetime(2024, 1, 2, 3, 4, 5, 678),
    datetime.datetime(2024, 1, 2, 3, 4, 5, 999999,
                      tzinfo=datetime.timezone(datetime.timedelta(hours=2)))])
def test_json_response_is_what_webob_made(status, last_modified):
    body = {'a': [1, 'b']}
    expected = _old_json_response(body, status, last_modified)
    got = wsgi.json_response(None, body, status=status,
                             last_modified=last_modified)
    assert got.status == expected.status
    assert got.headerlist == expected.headerlist
    assert got.body == expected.body
    assert got.charset == expected.charset
    got.body = b'[]'
    expected.body = b'[]'
    assert got.headerlist == expected.headerlist


@pytest.mark.parametrize('status', [204, 205, 304, 200, 202, '204 No Content'])
def test_empty_response_is_what_webob_made(status):
    expected = webob.Response(status=status)
    del expected.content_type
    when = datetime.datetime(2024, 1, 2, 3, 4, 5)
    for last_modified in (None, when):
        got = wsgi.empty_response(status, last_modified=last_modified)
        if last_modified is not None:
            wsgi.set_last_modified(expected, when)
        assert (got.status, got.headerlist, got.body) == (
            expected.status, expected.headerlist, expected.body)
    assert wsgi.json_response(None, None).body == b'null'


def test_http_date_of_successive_times():
    base = datetime.datetime(2024, 5, 6, 7, 8, 9)
    for delta in (0, 0.4, 0.7, 1.2, 3600, -5):
        when = base + datetime.timedelta(seconds=delta)
        assert wsgi.http_date(when) == email.utils.format_datetime(
            when.replace(tzinfo=datetime.timezone.utc), usegmt=True)
    aware = datetime.datetime(2024, 5, 6, 9, 8, 9, tzinfo=datetime.timezone(
        datetime.timedelta(hours=2)))
    assert wsgi.http_date(aware) == 'Mon, 06 May 2024 07:08:09 GMT'


def _negotiated(middleware, header=None, legacy=None):
    seen = {}

    def app(environ, start_response):
        seen['version'] = environ[wsgi.ENV_MICROVERSION]
        start_response('200 OK', [])
        return [b'']

    middleware.application = app
    headers = {}
    if header is not None:
        headers['OpenStack-API-Version'] = header
    if legacy is not None:
        headers['X-OpenStack-Nova-API-Version'] = legacy
    resp = webob.Request.blank('/', headers=headers).get_response(middleware)
    return resp.status_code, seen.pop('version', None), resp.headers.get(
        'OpenStack-API-Version')


def test_negotiation_is_remembered_per_header_values():
    middleware = microversion.MicroversionMiddleware(
        None, 'compute', '2.1', '2.90', None,
        legacy_header='X-OpenStack-Nova-API-Version')
    cases = [
        (None, None, (200, (2, 1), 'compute 2.1')),
        ('compute 2.5', None, (200, (2, 5), 'compute 2.5')),
        ('compute latest', None, (200, (2, 90), 'compute 2.90')),
        (None, '2.7', (200, (2, 7), 'compute 2.7')),
        ('compute 2.6', '2.7', (200, (2, 6), 'compute 2.6')),
        ('placement 1.2', '2.8', (200, (2, 8), 'compute 2.8')),
        ('compute 2.91', None, (406, None, None)),
        ('compute 2.x', None, (400, None, None)),
    ]
    for _twice in range(2):
        for header, legacy, expected in cases:
            assert _negotiated(middleware, header, legacy) == expected


def test_version_comparisons():
    version = microversion.Version(1, 34)
    assert version.matches('1.34', (1, 34))
    assert version.matches((1, 2), '1.100') is True
    assert not version.matches((1, 35))
    assert not version.matches(None, '1.33')
    assert microversion.Version.coerce((1, 3)) == microversion.Version(1, 3)
    assert type(microversion.Version.coerce('1.3')) is microversion.Version
    with pytest.raises(ValueError):
        version.matches('1.x')


def _stamped_request_id():
    stamped = []

    def start_response(status, headers, exc_info=None):
        stamped.extend(value for name, value in headers
                       if name == request_id.HTTP_RESP_HEADER_REQUEST_ID)

    def app(environ, start_response):
        start_response('204 No Content', [])
        return []
    requestlog.RequestLog(app, 'placement')(
        {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/', 'SERVER_NAME': 'h',
         'SERVER_PORT': '80', 'wsgi.url_scheme': 'http'}, start_response)
    return stamped[0]


def test_request_ids_are_random_version_4_uuids():
    ids = {_stamped_request_id() for _ in range(2000)}
    assert len(ids) == 2000
    for req_id in ids:
        assert re.match(request_id.ID_FORMAT, req_id)
        parsed = uuid.UUID(req_id[4:])
        assert str(parsed) == req_id[4:]
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_policy_key_is_the_items_of_the_policy_values():
    ctx = context.RequestContext(user_id='u', project_id='p',
                                 roles=['reader', 'member'])
    values = ctx.to_policy_values()
    target = {'user_id': 'u', 'project_id': 'p'}
    expected = ('act', tuple((k, tuple(v) if isinstance(v, list) else v)
                             for k, v in values.items()),
                tuple(sorted(target.items())))
    assert policy._key('act', values, target) == expected
    assert policy._key('act', dict(values), target) == expected
    assert policy._key('act', values, {'x': ['unhashable']}) is None
