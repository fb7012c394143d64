"""Handlers of /v2/images and /v2/images/{image_id}."""

import urllib.parse

from oslo_serialization import jsonutils

from nova_core.api import fault
from nova_core.api.image import policies
from nova_core.api.image import query
from nova_core.api.image import views
from nova_core.api import validation
from nova_core.api import wsgi
from nova_core import exception
from nova_core import image

ENV_IMAGES = 'nova_core.image.backend'

# What a client may set when registering an image (Glance's image schema,
# without the parts that need image data or members); any other key is a
# string property.
CREATE_SCHEMA = {
    'type': 'object',
    'properties': {
        'id': {'type': 'string', 'format': 'uuid'},
        'name': {'type': ['string', 'null'], 'maxLength': 255},
        'visibility': {'type': 'string',
                       'enum': ['public', 'private', 'shared', 'community']},
        'protected': {'type': 'boolean'},
        'os_hidden': {'type': 'boolean'},
        'container_format': {
            'type': ['string', 'null'],
            'enum': [None, 'ami', 'ari', 'aki', 'bare', 'ovf', 'ova',
                     'docker', 'compressed']},
        'disk_format': {
            'type': ['string', 'null'],
            'enum': [None, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw',
                     'qcow2', 'vdi', 'iso', 'ploop']},
        'min_ram': {'type': 'integer', 'minimum': 0},
        'min_disk': {'type': 'integer', 'minimum': 0},
        'tags': {'type': 'array', 'maxItems': 0},
    },
    'additionalProperties': {'type': 'string', 'maxLength': 255},
}
# Glance's read-only attributes (403 when sent) and reserved ones.
_READ_ONLY = ('created_at', 'updated_at', 'status', 'checksum', 'size',
              'virtual_size', 'direct_url', 'self', 'file', 'schema',
              'os_hash_algo', 'os_hash_value')
_RESERVED = ('location', 'deleted', 'deleted_at', 'locations', 'owner')


def backend(req):
    """The image plugin the app was built with."""
    return req.environ[ENV_IMAGES]


def _target(ctx):
    return {'project_id': ctx.project_id, 'user_id': ctx.user_id}


def _not_found(image_id):
    return fault.http_error(404, 'No image found with ID %s' % image_id)


def _links(req, path):
    """Glance's ``first`` / ``next`` links: the query without the marker."""
    pairs = [(k, v) for k, v in req.GET.items() if k != 'marker']
    first = path + ('?' + urllib.parse.urlencode(pairs) if pairs else '')
    return pairs, first


def list_images(req):
    ctx = req.context
    ctx.can(policies.GET_IMAGES, _target(ctx))
    try:
        params = req.GET
        dict(params)
    except UnicodeDecodeError:
        raise fault.http_error(400, 'Query string is not UTF-8 encoded')
    page, full = query.select(backend(req).list(ctx), params,
                              ctx.project_id, image.is_admin(ctx))
    pairs, first = _links(req, '/v2/images')
    body = {'images': [views.image(img) for img in page],
            'first': first, 'schema': '/v2/schemas/images'}
    if full:
        body['next'] = '/v2/images?' + urllib.parse.urlencode(
            pairs + [('marker', page[-1]['id'])])
    return wsgi.json_response(req, body)


def show_image(req):
    ctx = req.context
    image_id = req.path_arg('image_id')
    ctx.can(policies.GET_IMAGE, _target(ctx))
    try:
        found = backend(req).get(ctx, image_id)
    except exception.ImageNotFound:
        raise _not_found(image_id) from None
    return wsgi.json_response(req, views.image(found))


def _create_body(req):
    try:
        data = jsonutils.loads(req.body)
    except ValueError:
        raise fault.http_error(400, 'Malformed JSON in request body.')
    if not isinstance(data, dict):
        raise fault.http_error(400, 'Malformed JSON in request body.')
    for key in data:
        if key in _READ_ONLY:
            raise fault.http_error(403, "Attribute '%s' is read-only." % key)
        if key in _RESERVED:
            raise fault.http_error(403, "Attribute '%s' is reserved." % key)
    error = validation.first_error(CREATE_SCHEMA, data)
    if error is not None:
        raise fault.http_error(
            400, "Provided object does not match schema 'image': %s"
            % error.message)
    return data


@validation.requires_content()
def create_image(req):
    """Register an image (metadata only): it is ``active`` at once, since
    the local catalogue holds no image data to wait for."""
    ctx = req.context
    ctx.can(policies.ADD_IMAGE, _target(ctx))
    data = _create_body(req)
    fields = {key: data[key] for key in (
        'id', 'visibility', 'protected', 'container_format', 'disk_format',
        'min_ram', 'min_disk') if key in data}
    properties = {key: value for key, value in data.items()
                  if key not in CREATE_SCHEMA['properties']}
    if data.get('os_hidden'):
        properties['os_hidden'] = 'true'
    try:
        created = backend(req).create(ctx, data.get('name'),
                                      properties=properties, **fields)
    except exception.ImageExists as exc:
        raise fault.http_error(409, exc.format_message()) from None
    resp = wsgi.json_response(req, views.image(created), status=201)
    resp.headers['Location'] = '%s/v2/images/%s' % (
        req.host_url + req.script_name, created['id'])
    return resp


def delete_image(req):
    ctx = req.context
    image_id = req.path_arg('image_id')
    ctx.can(policies.DELETE_IMAGE, _target(ctx))
    try:
        backend(req).delete(ctx, image_id)
    except exception.ImageNotFound:
        raise _not_found(image_id) from None
    return wsgi.empty_response(204)
