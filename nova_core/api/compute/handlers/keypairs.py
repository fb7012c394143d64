"""Handlers of /os-keypairs and /os-keypairs/{keypair_name}.

A key pair belongs to a user (not a project). From 2.10 an admin names
another user with ``user_id`` (in the body of a create, in the query
otherwise); before 2.2 there is no ``type`` and the answers are 200 / 202
instead of 201 / 204.
"""

import string

from nova_core.api.compute.handlers import common
from nova_core.api.compute import keypair_crypto
from nova_core.api.compute.policies import keypairs as policies
from nova_core.api.compute import quotas
from nova_core.api.compute.schemas import keypairs as schema
from nova_core.api import wsgi
from nova_core.db import keypair as db_keypair
from nova_core import exception

KEY_TYPE = '2.2'
USER_ID = '2.10'
PAGING = '2.35'
_SAFE_CHARS = frozenset('_- ' + string.digits + string.ascii_letters)


def _db(req):
    return common.services(req).cells.api


def _user(req, user_id=None):
    """The user the request is about: the caller, or (2.10) the
    ``user_id`` of the query; the policy decides whether it may."""
    if user_id is None and req.microversion.matches(USER_ID):
        user_id = req.GET.get('user_id')
    return user_id or req.context.user_id


def _authorize(req, action, user_id):
    req.context.can(action, {'user_id': user_id})


def _view(req, keypair, *extra):
    view = {'name': keypair['name'], 'public_key': keypair['public_key'],
            'fingerprint': keypair['fingerprint']}
    if req.microversion.matches(KEY_TYPE):
        view['type'] = keypair['type']
    for name in extra:
        view[name] = keypair[name]
    return view


def create_keypair(req):
    ctx = req.context
    if req.microversion.matches(USER_ID):
        body_schema = schema.CREATE_V210
    elif req.microversion.matches(KEY_TYPE):
        body_schema = schema.CREATE_V22
    else:
        body_schema = schema.CREATE
    spec = common.body(req, body_schema)['keypair']
    user_id = spec.get('user_id') or ctx.user_id
    _authorize(req, policies.CREATE, user_id)
    name = spec['name']
    if set(name) - _SAFE_CHARS:
        raise exception.InvalidKeypair(
            reason='Keypair name contains unsafe characters')
    key_type = spec.get('type', 'ssh')
    public_key = spec.get('public_key')
    private_key = None
    if public_key:
        fingerprint = keypair_crypto.fingerprint(public_key, key_type)
    elif key_type == 'x509':
        private_key, public_key, fingerprint = keypair_crypto.generate_x509(
            user_id)
    else:
        private_key, public_key, fingerprint = keypair_crypto.generate_ssh()
    conf = common.services(req).servers.conf
    with _db(req).writer(ctx) as conn:
        quotas.check_key_pairs(conf, conn, ctx.project_id, user_id)
        keypair = db_keypair.create(conn, user_id, name, public_key,
                                    fingerprint, key_type)
    view = _view(req, keypair, 'user_id')
    if private_key is not None:
        view['private_key'] = private_key
    status = 201 if req.microversion.matches(KEY_TYPE) else 200
    return wsgi.json_response(req, {'keypair': view}, status=status)


def list_keypairs(req):
    if req.microversion.matches(PAGING):
        params = common.query(req, schema.QUERY_V235)
    elif req.microversion.matches(USER_ID):
        params = common.query(req, schema.QUERY_V210)
    else:
        params = common.query(req, schema.QUERY)
    user_id = _user(req)
    _authorize(req, policies.INDEX, user_id)
    limit = marker = None
    if req.microversion.matches(PAGING):
        if 'limit' in params:
            limit = common.positive_int(params['limit'], 'limit')
        marker = params.get('marker')
    with _db(req).reader(req.context) as conn:
        keypairs = db_keypair.get_by_user(conn, user_id, limit=limit,
                                          marker=marker)
    body = {'keypairs': [{'keypair': _view(req, k)} for k in keypairs]}
    if limit is not None and keypairs and len(keypairs) == limit:
        query = 'limit=%s&marker=%s' % (limit, keypairs[-1]['name'])
        if req.GET.get('user_id'):
            query = 'user_id=%s&%s' % (req.GET['user_id'], query)
        body['keypairs_links'] = [{'rel': 'next', 'href': '%s%s?%s' % (
            req.host_url, req.path, query)}]
    return wsgi.json_response(req, body)


def show_keypair(req):
    user_id = _user(req)
    _authorize(req, policies.SHOW, user_id)
    with _db(req).reader(req.context) as conn:
        keypair = db_keypair.get(conn, user_id, req.path_arg('keypair_name'))
    view = _view(req, keypair, 'user_id', 'id', 'created_at', 'updated_at')
    view.update(deleted=False, deleted_at=None,
                created_at=_time(keypair['created_at']),
                updated_at=_time(keypair['updated_at']))
    return wsgi.json_response(req, {'keypair': view})


def _time(value):
    return value.isoformat() if hasattr(value, 'isoformat') else value


def delete_keypair(req):
    user_id = _user(req)
    _authorize(req, policies.DELETE, user_id)
    with _db(req).writer(req.context) as conn:
        db_keypair.delete(conn, user_id, req.path_arg('keypair_name'))
    return wsgi.empty_response(
        204 if req.microversion.matches(KEY_TYPE) else 202)
