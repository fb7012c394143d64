"""Bad input on every route answers a 4xx in Nova's shape, never a 500."""

import pytest

from nova_core.api.compute import routes
from tests.functional.compute_api import test_servers as helpers

# Fixed, so that parallel workers collect the same test ids.
UNKNOWN_UUID = '0b5e4c3a-6f1d-4b8e-9a2c-7d3e1f0a9b81'
BODIES = [None, b'{', b'[]', b'{}', b'"x"', b'{"server": 1}',
          b'{"keypair": {"name": "k", "public_key": "x"}}',
          b'{"server_group": {"name": "g", "policy": 1}}',
          b'{"quota_set": {"instances": "x"}}',
          b'{"flavor": {"name": 1}}', b'{"extra_specs": []}',
          b'{"reboot": {}}', b'\xff\xfe',
          b'{"server": {"name": 1, "flavorRef": "m1.tiny"}}',
          b'{"server": {"name": "x"}}', b'{"server": {"hostname": "-x"}}',
          b'{"os-start": null}', b'{"fly": {}}', b'{"resize": {}}',
          b'{"reboot": {"type": 1}}', b'{"a": 1, "b": 2}', b'null']
IDENTS = {'server_id': ['not-a-uuid', UNKNOWN_UUID],
          'flavor_id': ['nope', 'm1.tiny'], 'key': ['nokey'],
          'keypair_name': ['nokey', 'bad%2Fname'],
          'group_id': ['not-a-uuid', UNKNOWN_UUID],
          'tenant_id': ['proj-bad'],
          'service_id': ['disable', '99999', UNKNOWN_UUID],
          'hypervisor_id': ['999', UNKNOWN_UUID],
          'hypervisor_hostname_pattern': ['nohost'],
          'aggregate_id': ['abc', '99999'],
          'request_id': ['req-nope']}


def _urls():
    for path, methods in routes.ROUTES.items():
        if path in ('', '/'):
            continue
        urls = [path]
        for name, values in IDENTS.items():
            urls = [u.replace('{%s}' % name, v) for u in urls
                    for v in values] if '{%s}' % name in path else urls
        for url in urls:
            for method in list(methods) + ['PATCH']:
                yield method, url


@pytest.mark.parametrize('version', ['2.1', 'latest'])
def test_never_500(api, version):
    for method, url in _urls():
        for body in BODIES:
            if method == 'DELETE' and url.startswith('/flavors/m1.tiny'):
                continue    # keep the flavor for the other requests
            resp = api.request(method, url, body=body, microversion=version)
            assert resp.status_code < 500, (method, url, body, resp.text)
            if resp.status_code >= 400:
                [(name, fault)] = resp.json().items()
                assert fault['code'] == resp.status_code
                assert fault['message']
    for query in ('limit=-1', 'marker=x', 'limit=%ff', 'all_tenants=x',
                  'name=(', 'status=x', 'x=y', 'sort_key=x', 'sort_dir=x',
                  'changes-since=x', 'changes-before=x', 'deleted=x',
                  'vm_state=x', 'ip=(', 'hostname=x', 'locked=x',
                  'sort_key=display_name&sort_dir=up', 'limit=1&limit=x',
                  'changes-since=2020-01-02T00:00:00Z'
                  '&changes-before=2020-01-01T00:00:00Z'):
        for url in ('/servers', '/servers/detail', '/flavors',
                    '/flavors/detail', '/os-keypairs', '/os-server-groups',
                    '/limits', '/os-quota-sets/proj-bad',
                    '/servers/%s/os-instance-actions'
                    % UNKNOWN_UUID):
            resp = api.get(url + '?' + query, microversion=version)
            assert resp.status_code < 500, (url, query, resp.text)


@pytest.mark.parametrize('method, path, body', [
    ('GET', '/servers/%s', None),
    ('PUT', '/servers/%s', {'server': {'name': 'x'}}),
    ('DELETE', '/servers/%s', None),
    ('POST', '/servers/%s/action', {'os-start': None}),
    ('POST', '/servers/%s/action', {'reboot': {'type': 'HARD'}}),
    ('POST', '/servers/%s/action', {'resize': {'flavorRef': '1'}}),
    ('GET', '/servers/%s/os-instance-actions', None),
    ('GET', '/servers/%s/os-instance-actions/req-1', None),
])
@pytest.mark.parametrize('ident', ['not-a-uuid', '1', UNKNOWN_UUID])
def test_unknown_or_non_uuid_server_is_404(api, method, path, body, ident):
    resp = api.request(method, path % ident, json=body,
                       microversion='latest')
    assert resp.status_code == 404, resp.text
    assert resp.json()['itemNotFound']['message'] == (
        'Instance %s could not be found.' % ident)


@pytest.mark.parametrize('body, status, message', [
    (b'{"server": ', 400, 'Malformed request body'),
    (b'', 400, 'Malformed request body'),
    (b'{"server": 1}', 400,
     "Invalid input for field/attribute server. Value: 1. 1 is not of "
     "type 'object'"),
    (b'{"server": {"flavorRef": "m1.tiny"}}', 400,
     "'name' is a required property"),
    (b'{"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "%s", '
     b'"min_count": "many"}}' % UNKNOWN_UUID.replace('-', '').encode(), 400,
     'Invalid input for field/attribute min_count'),
    (b'{"server": {"name": "x", "flavorRef": "nope", "networks": "none", '
     b'"imageRef": "155d900f-4e14-4e4c-a73d-069cbf4541e6"}}', 400,
     'Flavor nope could not be found.'),
    (b'{"server": {"name": "x", "flavorRef": "m1.tiny", "imageRef": "x", '
     b'"bogus": 1}}', 400,
     "Additional properties are not allowed ('bogus' was unexpected)"),
])
def test_create_messages(api, body, status, message):
    resp = api.request('POST', '/servers', body=body, microversion='2.90',
                       headers={'Content-Type': 'application/json'})
    assert resp.status_code == status, resp.text
    [(_name, fault)] = resp.json().items()
    assert message in fault['message'], fault


@pytest.fixture(scope='module')
def target(shared):
    """An ACTIVE server for the action tests."""
    api = shared[1]
    uuid = helpers._boot(api, name='target')
    helpers._wait(api, uuid)
    return uuid


@pytest.mark.parametrize('body, status, message', [
    ({'fly': {}}, 400, 'There is no such action: fly'),
    ({}, 400, 'Invalid input for field/attribute'),
    ({'reboot': {'type': 'SIDEWAYS'}}, 400,
     'Invalid input for field/attribute type'),
    ({'rebuild': {'imageRef': 'x'}}, 501,
     'The server action rebuild is not implemented yet.'),
    ({'lock': None}, 501, 'The server action lock is not implemented yet.'),
    ({'addFloatingIp': {'address': '10.0.0.1'}}, 404,
     'The resource could not be found.'),
    ({'os-getVNCConsole': {'type': 'novnc'}}, 404,
     'The resource could not be found.'),
])
def test_action_messages(api, target, body, status, message):
    resp = api.post('/servers/%s/action' % target, json=body,
                    microversion='latest')
    assert resp.status_code == status, resp.text
    [(_name, fault)] = resp.json().items()
    assert message in fault['message'], fault


def test_body_without_content_type(api):
    resp = api.request('POST', '/servers', body=b'{"server": {}}',
                       headers={'Content-Type': ''})
    assert resp.status_code == 400, resp.text


def test_actions_by_microversion(api, target):
    url = '/servers/%s/action' % target
    assert api.post(url, json={'addFloatingIp': {'address': '10.0.0.1'}},
                    microversion='2.43').status_code == 501
    assert api.post(url, json={'trigger_crash_dump': None},
                    microversion='2.16').status_code == 404
    assert api.post(url, json={'trigger_crash_dump': None},
                    microversion='2.17').status_code == 501
