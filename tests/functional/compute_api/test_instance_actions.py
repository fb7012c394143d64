"""Instance actions through the compute API: what create, stop, start,
reboot and delete record, the shapes per microversion and policy, paging
and the changes-since / changes-before window."""

import uuid as uuidlib

import pytest

from tests.functional.compute_api import test_servers as helpers

MEMBER = ('member', 'reader')


@pytest.fixture(scope='module')
def history(shared):
    """A member's server that was created, stopped, started, rebooted and
    deleted: ``(uuid, member client)``."""
    _cloud, api = shared
    alice = api.as_user('alice:proj-a', roles=MEMBER)
    uuid = helpers._boot(alice, name='audited')
    assert helpers._wait(alice, uuid)['status'] == 'ACTIVE'
    action = '/servers/%s/action' % uuid
    for body, status in (({'os-stop': None}, 'SHUTOFF'),
                         ({'os-start': None}, 'ACTIVE'),
                         ({'reboot': {'type': 'SOFT'}}, 'ACTIVE')):
        assert alice.post(action, json=body).status_code == 202
        helpers._wait(alice, uuid, (status,))
    assert alice.delete('/servers/%s' % uuid).status_code == 204
    helpers._wait_gone(alice, uuid)
    return uuid, alice


def _actions(client, uuid, query='', **kw):
    resp = client.get('/servers/%s/os-instance-actions%s' % (uuid, query),
                      **kw)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_actions_recorded_newest_first(history):
    uuid, alice = history
    body = _actions(alice, uuid, microversion='2.21')
    actions = body['instanceActions']
    assert [a['action'] for a in actions] == [
        'delete', 'reboot', 'start', 'stop', 'create']
    assert set(actions[0]) == {'action', 'instance_uuid', 'message',
                               'project_id', 'request_id', 'start_time',
                               'user_id'}
    assert all(a['instance_uuid'] == uuid and a['project_id'] == 'proj-a'
               for a in actions)
    # Before 2.21 a deleted server's actions are gone with it.
    resp = alice.get('/servers/%s/os-instance-actions' % uuid)
    assert resp.status_code == 404, resp.text
    # 2.58: updated_at, and no links without a limit.
    body = _actions(alice, uuid, microversion='2.58')
    assert 'updated_at' in body['instanceActions'][0]
    assert 'links' not in body


def test_show_events_per_microversion_and_policy(history, api):
    uuid, alice = history
    create = _actions(alice, uuid, microversion='2.21')[
        'instanceActions'][-1]
    url = '/servers/%s/os-instance-actions/%s' % (uuid, create['request_id'])
    # Before 2.51 only those allowed the events policy see events.
    action = alice.get(url, microversion='2.21').json()['instanceAction']
    assert 'events' not in action
    action = api.get(url, microversion='2.21').json()['instanceAction']
    assert action['events'] and 'traceback' in action['events'][0]
    assert 'hostId' not in action['events'][0]
    # 2.51: events for everybody, tracebacks for admins only.
    event = alice.get(url, microversion='2.51').json()[
        'instanceAction']['events'][0]
    assert set(event) == {'event', 'start_time', 'finish_time', 'result'}
    # 2.62: hostId for everybody, host for admins; 2.84: details.
    event = alice.get(url, microversion='2.84').json()[
        'instanceAction']['events'][0]
    assert set(event) == {'event', 'start_time', 'finish_time', 'result',
                          'hostId', 'details'}
    assert event['hostId'] and event['result'] == 'Success'
    event = api.get(url, microversion='latest').json()[
        'instanceAction']['events'][0]
    assert event['host'] and event['hostId'] and 'traceback' in event
    resp = alice.get('/servers/%s/os-instance-actions/req-nope' % uuid,
                     microversion='2.84')
    assert resp.status_code == 404
    assert resp.json()['itemNotFound']['message'] == (
        'Action req-nope not found')


def test_paging_and_time_window(history):
    uuid, alice = history
    all_ids = [a['request_id'] for a in _actions(
        alice, uuid, microversion='2.58')['instanceActions']]
    first = _actions(alice, uuid, '?limit=2', microversion='2.58')
    assert [a['request_id'] for a in first['instanceActions']] == all_ids[:2]
    [link] = first['links']
    assert link['rel'] == 'next'
    assert 'marker=%s' % all_ids[1] in link['href']
    rest = _actions(alice, uuid, '?marker=%s' % all_ids[1],
                    microversion='2.58')
    assert [a['request_id'] for a in rest['instanceActions']] == all_ids[2:]
    resp = alice.get('/servers/%s/os-instance-actions?marker=nope' % uuid,
                     microversion='2.58')
    assert resp.status_code == 400
    assert resp.json()['badRequest']['message'] == (
        'Marker nope could not be found.')
    # Every action changed before the far future and after the past.
    assert len(_actions(alice, uuid, '?changes-since=2000-01-01T00:00:00Z',
                        microversion='2.58')['instanceActions']) == 5
    assert _actions(alice, uuid, '?changes-since=2999-01-01T00:00:00Z',
                    microversion='2.58')['instanceActions'] == []
    assert len(_actions(alice, uuid, '?changes-before=2999-01-01T00:00:00Z',
                        microversion='2.66')['instanceActions']) == 5


@pytest.mark.parametrize('query, version, message', [
    ('?changes-before=2000-01-01T00:00:00Z', '2.58',
     'Invalid input for query parameters changes-before'),
    ('?bogus=1', '2.58', 'Invalid input for query parameters bogus'),
    ('?changes-since=yesterday', '2.58', "'yesterday' is not a 'date-time'"),
    ('?changes-since=2020-01-02T00:00:00Z'
     '&changes-before=2020-01-01T00:00:00Z', '2.66',
     'The value of changes-since must be less than or equal to '
     'changes-before.'),
    ('?limit=-1', '2.58', 'limit'),
])
def test_bad_queries(history, query, version, message):
    uuid, alice = history
    resp = alice.get('/servers/%s/os-instance-actions%s' % (uuid, query),
                     microversion=version)
    assert resp.status_code == 400, resp.text
    assert message in resp.json()['badRequest']['message']


def test_other_projects_and_unknown_servers_are_404(history):
    uuid, _alice = history
    bob = _alice.as_user('bob:proj-b', roles=MEMBER)
    for server in (uuid, str(uuidlib.uuid4()), 'not-a-uuid'):
        resp = bob.get('/servers/%s/os-instance-actions' % server,
                       microversion='2.21')
        assert resp.status_code == 404, resp.text
        resp = bob.get('/servers/%s/os-instance-actions/req-x' % server,
                       microversion='2.21')
        assert resp.status_code == 404, resp.text
    nobody = _alice.as_user('carol:proj-a', roles=())
    resp = nobody.get('/servers/%s/os-instance-actions' % uuid,
                      microversion='2.21')
    assert resp.status_code == 403
    assert 'os_compute_api:os-instance-actions:list' in resp.text


def test_failed_build_fault_and_action(shared):
    _cloud, api = shared
    # More RAM than a fake host has (32768), within the ram quota.
    resp = api.post('/flavors', json={'flavor': {
        'name': 'too-big', 'id': 'too-big', 'ram': 40000, 'vcpus': 1,
        'disk': 1}})
    assert resp.status_code == 200, resp.text
    member = api.as_user('zoe:proj-z', roles=MEMBER)
    uuid = helpers._boot(member, name='unplaceable', flavor='too-big')
    server = helpers._wait(member, uuid)
    assert server['status'] == 'ERROR'
    fault = server['fault']
    assert fault['code'] == 500 and 'No valid host' in fault['message']
    assert fault['created']
    # Details of a 500 fault are for admins.
    assert 'details' not in fault
    admin_fault = helpers._wait(api, uuid)['fault']
    assert admin_fault['message'] == fault['message']
    [action] = _actions(member, uuid)['instanceActions']
    assert action['action'] == 'create'
    shown = member.get('/servers/%s/os-instance-actions/%s' % (
        uuid, action['request_id']), microversion='2.84').json()[
            'instanceAction']
    assert [e['result'] for e in shown['events']] == ['Error']
    assert api.delete('/servers/%s' % uuid).status_code == 204
