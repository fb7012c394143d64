"""Handlers of /os-aggregates: host aggregates, their hosts and metadata.

Aggregates are named by their integer id; 2.41 shows their uuid too (the
uuid of the placement aggregate their hosts' providers carry).
"""

from nova_core.api.compute.handlers import common
from nova_core.api.compute import hosts_api
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import aggregates as policies
from nova_core.api.compute.schemas import aggregates as schema
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core import exception


def _aggregates(req):
    return common.services(req).aggregates


def _view(req, agg, full=True):
    view = {
        'id': agg['id'],
        'name': agg['name'],
        'availability_zone': agg['metadata'].get(hosts_api.AZ_KEY),
        'created_at': hosts_api.timestamp(agg.get('created_at')),
        'updated_at': hosts_api.timestamp(agg.get('updated_at')),
        'deleted_at': None,
        'deleted': False,
    }
    if full:
        view['hosts'] = list(agg['hosts'])
        view['metadata'] = dict(agg['metadata'])
    if req.microversion.matches(mv.AGGREGATE_UUID):
        view['uuid'] = agg['uuid']
    return view


def _respond(req, agg, full=True):
    return wsgi.json_response(req, {'aggregate': _view(req, agg, full)})


def _aggregate_id(req):
    ident = req.path_arg('aggregate_id')
    try:
        return int(ident)
    except ValueError:
        raise fault.http_error(
            400, 'Invalid input received: id must be an integer')


def list_aggregates(req):
    req.context.can(policies.INDEX, {})
    return wsgi.json_response(req, {'aggregates': [
        _view(req, agg) for agg in _aggregates(req).list(req.context)]})


def create_aggregate(req):
    req.context.can(policies.CREATE, {})
    spec = common.body(req, schema.CREATE)['aggregate']
    agg = _aggregates(req).create(req.context, spec['name'],
                                  spec.get('availability_zone'))
    # Nova's create answers without hosts and metadata.
    return _respond(req, agg, full=False)


def show_aggregate(req):
    req.context.can(policies.SHOW, {})
    return _respond(req, _aggregates(req).get(req.context,
                                              _aggregate_id(req)))


def update_aggregate(req):
    req.context.can(policies.UPDATE, {})
    aggregate_id = _aggregate_id(req)
    spec = common.body(req, schema.UPDATE)['aggregate']
    agg = _aggregates(req).update(
        req.context, aggregate_id, name=spec.get('name'),
        zone_given='availability_zone' in spec,
        availability_zone=spec.get('availability_zone'))
    return _respond(req, agg)


def delete_aggregate(req):
    req.context.can(policies.DELETE, {})
    _aggregates(req).delete(req.context, _aggregate_id(req))
    # Nova answers 200 without a body.
    return wsgi.empty_response(200)


def aggregate_action(req):
    aggregate_id = _aggregate_id(req)
    action = common.action_name(req, _ACTIONS)
    policy, body_schema, run = _ACTIONS[action]
    req.context.can(policy, {})
    spec = common.body(req, body_schema)[action]
    return _respond(req, run(req, aggregate_id, spec))


def _add_host(req, aggregate_id, spec):
    return _aggregates(req).add_host(req.context, aggregate_id, spec['host'])


def _remove_host(req, aggregate_id, spec):
    try:
        return _aggregates(req).remove_host(req.context, aggregate_id,
                                            spec['host'])
    except exception.NotFound:
        # Nova's one answer for an unknown aggregate, host or membership.
        raise fault.http_error(404, 'Cannot remove host %s in aggregate %s'
                               % (spec['host'], aggregate_id))


def _set_metadata(req, aggregate_id, spec):
    return _aggregates(req).set_metadata(req.context, aggregate_id,
                                         spec['metadata'])


_ACTIONS = {
    'add_host': (policies.ADD_HOST, schema.ADD_HOST, _add_host),
    'remove_host': (policies.REMOVE_HOST, schema.REMOVE_HOST, _remove_host),
    'set_metadata': (policies.SET_METADATA, schema.SET_METADATA,
                     _set_metadata),
}
