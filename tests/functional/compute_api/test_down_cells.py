"""A cell that does not answer: partial records from 2.69 (list, detail,
show), left out of lists before 2.69, and 503 (never a 500 or a hang)
for what needs the cell."""

import pytest

from nova_core.db import cell_mapping as db_cell_mapping
from tests.functional.compute_api import test_servers as helpers

UNREACHABLE = 'sqlite:////nonexistent/dir/cell.sqlite'


@pytest.fixture(scope='module')
def down(shared):
    """A member's ACTIVE server whose cell then stops answering:
    ``(uuid, member client)``; the cell is restored afterwards."""
    cloud, api = shared
    member = api.as_user('mia:proj-m', roles=('member', 'reader'))
    uuid = helpers._boot(member, name='in-a-cell')
    server = helpers._wait(member, uuid)
    assert server['status'] == 'ACTIVE'
    with cloud.cells.api.reader(cloud.ctx) as conn:
        cell = [c for c in db_cell_mapping.get_all(conn)
                if c['name'] != 'cell0'][0]
    with cloud.cells.api.writer(cloud.ctx) as conn:
        db_cell_mapping.update(conn, cell['uuid'], {
            'database_connection': UNREACHABLE})
    yield uuid, member
    with cloud.cells.api.writer(cloud.ctx) as conn:
        db_cell_mapping.update(conn, cell['uuid'], {
            'database_connection': cell['database_connection']})
    assert api.delete('/servers/%s' % uuid).status_code == 204


def test_lists(down):
    uuid, member = down
    resp = member.get('/servers', microversion='2.68')
    assert resp.status_code == 200, resp.text
    assert resp.json()['servers'] == []
    [server] = member.get('/servers', microversion='2.69').json()['servers']
    assert set(server) == {'id', 'status', 'links'}
    assert (server['id'], server['status']) == (uuid, 'UNKNOWN')
    [server] = member.get('/servers/detail',
                          microversion='latest').json()['servers']
    assert set(server) == {'id', 'status', 'links', 'tenant_id', 'created'}
    assert server['tenant_id'] == 'proj-m' and server['created']


def test_show(down):
    uuid, member = down
    resp = member.get('/servers/%s' % uuid, microversion='2.69')
    assert resp.status_code == 200, resp.text
    server = resp.json()['server']
    assert server['status'] == 'UNKNOWN'
    assert server['user_id'] == 'mia'
    assert server['flavor']['original_name'] == 'm1.tiny'
    assert server['image']['id'] == helpers.IMAGE
    assert server['OS-EXT-STS:power_state'] == 0
    server = member.get('/servers/%s' % uuid,
                        microversion='latest').json()['server']
    assert server['server_groups'] == []
    resp = member.get('/servers/%s' % uuid, microversion='2.68')
    assert resp.status_code == 503, resp.text
    assert 'is not responding' in resp.json()['serviceUnavailable'][
        'message']


@pytest.mark.parametrize('method, path, body', [
    ('PUT', '/servers/%s', {'server': {'name': 'x'}}),
    ('POST', '/servers/%s/action', {'os-stop': None}),
    ('GET', '/servers/%s/os-instance-actions', None),
    ('DELETE', '/servers/%s', None),
])
def test_what_needs_the_cell_is_503(down, method, path, body):
    uuid, member = down
    resp = member.request(method, path % uuid, json=body,
                          microversion='latest')
    assert resp.status_code == 503, resp.text
