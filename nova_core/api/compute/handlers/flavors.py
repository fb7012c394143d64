"""Handlers of /flavors, /flavors/detail, /flavors/{id} and
/flavors/{id}/os-extra_specs."""

from nova_core.api.compute import extra_specs
from nova_core.api.compute.handlers import common
from nova_core.api.compute import microversions as mv
from nova_core.api.compute.policies import flavors as policies
from nova_core.api.compute.schemas import flavors as schema
from nova_core.api.compute import views
from nova_core.api import fault
from nova_core.api import wsgi
from nova_core.db import flavor as db_flavor
from nova_core import exception


def _db(req):
    return common.services(req).cells.api


def _query(req):
    strict = req.microversion.matches(mv.STRICT_QUERY)
    return common.query(req, schema.QUERY_V275 if strict else schema.QUERY)


def _is_public_filter(req, params, admin):
    """Nova's ``is_public``: default public only; admins may ask for all."""
    value = params.get('is_public')
    if value is None:
        return True
    lowered = value.lower()
    if lowered in ('none', 'all'):
        return None if admin else True
    if lowered in ('true', 't', '1', 'yes', 'y', 'on'):
        return True
    if lowered in ('false', 'f', '0', 'no', 'n', 'off'):
        return False
    raise fault.http_error(400, 'Invalid is_public filter [%s]' % value)


def _visible(req, admin):
    params = _query(req)
    is_public = _is_public_filter(req, params, admin)
    ctx = req.context
    with _db(req).reader(ctx) as conn:
        flavors = db_flavor.get_all(conn, is_public=is_public)
        if not admin and is_public is not False:
            # Private flavors the project was given access to.
            for private in db_flavor.get_all(conn, is_public=False):
                if ctx.project_id in db_flavor.get_projects(
                        conn, private['flavorid']):
                    flavors.append(private)
    if not admin and is_public is False:
        flavors = []
    for name, key in (('minRam', 'memory_mb'), ('minDisk', 'root_gb')):
        if name in params:
            minimum = common.positive_int(params[name], name)
            flavors = [f for f in flavors if f[key] >= minimum]
    flavors.sort(key=lambda f: (f['flavorid']))
    if 'marker' in params:
        flavors = common.after_marker(flavors, 'flavorid', params['marker'])
    links = None
    if 'limit' in params:
        limit = common.positive_int(params['limit'], 'limit')
        if len(flavors) > limit:
            flavors = flavors[:limit]
            links = flavors[-1]['flavorid'] if flavors else None
    return flavors, links


def _next_link(req, marker):
    return [{'rel': 'next', 'href': '%s%s?limit=%s&marker=%s' % (
        req.host_url, req.path, req.GET.get('limit'), marker)}]


def _can_see_specs(req):
    try:
        return req.context.can(policies.SPECS_INDEX)
    except exception.PolicyNotAuthorized:
        return False


def list_flavors(req):
    flavors, marker = _visible(req, common.is_admin(req.context))
    body = {'flavors': [views.flavor_brief(req, f) for f in flavors]}
    if marker:
        body['flavors_links'] = _next_link(req, marker)
    return wsgi.json_response(req, body)


def list_flavors_detail(req):
    flavors, marker = _visible(req, common.is_admin(req.context))
    specs = _can_see_specs(req)
    body = {'flavors': [views.flavor_detail(req, f, specs) for f in flavors]}
    if marker:
        body['flavors_links'] = _next_link(req, marker)
    return wsgi.json_response(req, body)


def _get(req, flavorid=None):
    flavorid = flavorid or req.path_arg('flavor_id')
    with _db(req).reader(req.context) as conn:
        return db_flavor.get_by_flavorid(conn, flavorid)


def visible(req, flavorid):
    """The flavor *flavorid* if the caller may use it: a private one only
    for admins and the projects given access (FlavorNotFound otherwise,
    as Nova hides it)."""
    ctx = req.context
    with _db(req).reader(ctx) as conn:
        flavor = db_flavor.get_by_flavorid(conn, flavorid)
        if flavor.get('is_public', True) or common.is_admin(ctx) or \
                ctx.project_id in db_flavor.get_projects(conn, flavorid):
            return flavor
    raise exception.FlavorNotFound(flavor_id=flavorid)


def show_flavor(req):
    flavor = visible(req, req.path_arg('flavor_id'))
    return wsgi.json_response(req, {'flavor': views.flavor_detail(
        req, flavor, _can_see_specs(req))})


def create_flavor(req):
    req.context.can(policies.CREATE)
    with_description = req.microversion.matches(mv.FLAVOR_DESCRIPTION)
    data = common.body(
        req, schema.CREATE_V255 if with_description else schema.CREATE)
    spec = data['flavor']
    with _db(req).writer(req.context) as conn:
        flavor = db_flavor.create(
            conn, spec['name'], int(spec['ram']), int(spec['vcpus']),
            root_gb=int(spec['disk']),
            ephemeral_gb=int(spec.get('OS-FLV-EXT-DATA:ephemeral', 0)),
            flavorid=spec.get('id'), swap=int(spec.get('swap', 0)),
            rxtx_factor=float(spec.get('rxtx_factor', 1.0)),
            is_public=spec.get('os-flavor-access:is_public', True),
            description=spec.get('description'))
    # Nova answers 200 here, not 201.
    return wsgi.json_response(req, {'flavor': views.flavor_detail(
        req, flavor, _can_see_specs(req))})


def update_flavor(req):
    """PUT /flavors/{id} (2.55): only the description can change."""
    req.context.can(policies.UPDATE)
    description = common.body(req, schema.UPDATE)['flavor']['description']
    with _db(req).writer(req.context) as conn:
        flavor = db_flavor.update_description(
            conn, req.path_arg('flavor_id'), description)
    return wsgi.json_response(req, {'flavor': views.flavor_detail(
        req, flavor, _can_see_specs(req))})


def delete_flavor(req):
    req.context.can(policies.DELETE)
    with _db(req).writer(req.context) as conn:
        db_flavor.delete(conn, req.path_arg('flavor_id'))
    return wsgi.empty_response(202)


# -- extra specs ----------------------------------------------------------------

def _stringify(specs):
    return {k: str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in specs.items()}


def _validate(req, specs):
    if req.microversion.matches(mv.EXTRA_SPEC_VALIDATION):
        extra_specs.validate(specs)


def list_extra_specs(req):
    req.context.can(policies.SPECS_INDEX)
    return wsgi.json_response(req, {'extra_specs': _get(req)['extra_specs']})


def show_extra_spec(req):
    req.context.can(policies.SPECS_SHOW)
    key = req.path_arg('key')
    specs = _get(req)['extra_specs']
    if key not in specs:
        raise fault.http_error(
            404, 'Flavor %s has no extra specs with key %s.'
            % (req.path_arg('flavor_id'), key))
    return wsgi.json_response(req, {key: specs[key]})


def create_extra_specs(req):
    req.context.can(policies.SPECS_CREATE)
    specs = _stringify(common.body(req, schema.SPECS_CREATE)['extra_specs'])
    _validate(req, specs)
    with _db(req).writer(req.context) as conn:
        db_flavor.set_extra_specs(conn, req.path_arg('flavor_id'), specs)
    return wsgi.json_response(req, {'extra_specs': specs})


def update_extra_spec(req):
    req.context.can(policies.SPECS_UPDATE)
    key = req.path_arg('key')
    data = common.body(req, schema.SPECS_UPDATE)
    if key not in data:
        raise fault.http_error(400, 'Request body and URI mismatch')
    specs = _stringify(data)
    _validate(req, specs)
    with _db(req).writer(req.context) as conn:
        db_flavor.set_extra_specs(conn, req.path_arg('flavor_id'), specs)
    return wsgi.json_response(req, specs)


def delete_extra_spec(req):
    req.context.can(policies.SPECS_DELETE)
    flavorid, key = req.path_arg('flavor_id'), req.path_arg('key')
    with _db(req).writer(req.context) as conn:
        if key not in db_flavor.get_by_flavorid(conn, flavorid)[
                'extra_specs']:
            raise fault.http_error(
                404, 'Flavor %s has no extra specs with key %s.'
                % (flavorid, key))
        db_flavor.delete_extra_spec(conn, flavorid, key)
    # Nova answers 200 without a body.
    return wsgi.empty_response(200)
