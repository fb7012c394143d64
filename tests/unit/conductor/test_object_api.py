"""The object proxy's declarations, checked without a database."""

import datetime
import logging

import pytest

from nova_core.conductor import object_api
from nova_core.conductor.tasks import records
from nova_core import context
from nova_core import exception


@pytest.fixture
def ctx():
    return context.RequestContext(user_id='u', project_id='p',
                                  request_id='req-unit')


def test_declared_operations_are_the_issue_objects():
    objects = {name for name, _method in object_api.TABLE}
    assert objects == {'instance', 'instance_fault', 'instance_action',
                       'compute_node', 'service', 'migration',
                       'instance_group'}


def test_check_allows_declared_fields(ctx):
    op = object_api.check(ctx, 'instance', 'update',
                          {'uuid': 'x', 'values': {'vm_state': 'active',
                                                   'task_state': None}})
    assert op.write


@pytest.mark.parametrize('values', [{'project_id': 'p2'}, {'user_id': 'u2'},
                                    {'vm_state': 'active', 'flavor': {}}])
def test_check_refuses_undeclared_fields(ctx, caplog, values):
    caplog.set_level(logging.WARNING)
    with pytest.raises(exception.ObjectActionNotAllowed):
        object_api.check(ctx, 'instance', 'update',
                         {'uuid': 'x', 'values': values}, caller_host='c1')
    assert 'req-unit' in caplog.text and 'c1' in caplog.text


def test_values_must_be_a_mapping(ctx):
    with pytest.raises(exception.ObjectActionNotAllowed):
        object_api.check(ctx, 'instance', 'update',
                         {'uuid': 'x', 'values': ['project_id']})


def test_jsonable():
    when = datetime.datetime(2026, 1, 2, 3, 4, 5)
    assert object_api.jsonable({'a': [when, (1, 2)], 'b': None}) == {
        'a': ['2026-01-02T03:04:05', [1, 2]], 'b': None}


def test_service_is_up():
    now = datetime.datetime(2026, 1, 1, 12, 0, 0)
    recent = (now - datetime.timedelta(seconds=30)).isoformat()
    old = (now - datetime.timedelta(seconds=90)).isoformat()
    assert records.service_is_up({'last_seen_up': recent}, 60, now)
    assert not records.service_is_up({'last_seen_up': old}, 60, now)
    assert not records.service_is_up({'last_seen_up': recent,
                                      'forced_down': True}, 60, now)
    assert not records.service_is_up(None, 60, now)
    assert records.service_is_up({'last_seen_up': recent + '+00:00'}, 60,
                                 now)
