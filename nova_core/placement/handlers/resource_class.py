"""Handlers of /resource_classes."""

from nova_core.api import fault
from nova_core.api import validation
from nova_core import exception
from nova_core.placement.handlers import render
from nova_core.placement.objects import resource_class as rc_obj
from nova_core.placement.policies import resource_class as policies
from nova_core.placement.schemas import resource_class as schema


def _serialize(req, rc):
    return {'name': rc.name,
            'links': [{'rel': 'self',
                       'href': render.resource_class_url(req, rc.name)}]}


@validation.accepts(validation.JSON)
def list_resource_classes(req):
    req.context.can(policies.LIST)
    classes = rc_obj.get_all(req.context)
    return render.json(
        req, {'resource_classes': [_serialize(req, rc) for rc in classes]},
        modified=render.last_modified(*classes))


@validation.accepts(validation.JSON)
def get_resource_class(req):
    req.context.can(policies.SHOW)
    rc = rc_obj.get_by_name(req.context, req.path_arg('name'))
    return render.json(req, _serialize(req, rc),
                       modified=render.last_modified(rc))


@validation.requires_content()
def create_resource_class(req):
    req.context.can(policies.CREATE)
    data = validation.extract_json(req, schema.POST_RC_SCHEMA_V1_2)
    try:
        rc = rc_obj.create(req.context, data['name'])
    except exception.ResourceClassExists:
        raise fault.http_error(
            409, 'Conflicting resource class already exists: %s'
            % data['name'])
    return render.empty(req, 201,
                        location=render.resource_class_url(req, rc.name))


@validation.requires_content()
def rename_resource_class(req):
    """``PUT /resource_classes/{name}`` before 1.7: rename a custom class."""
    req.context.can(policies.UPDATE)
    name = req.path_arg('name')
    data = validation.extract_json(req, schema.PUT_RC_SCHEMA_V1_2)
    rc_obj.get_by_name(req.context, name)
    try:
        rc = rc_obj.rename(req.context, name, data['name'])
    except exception.ResourceClassExists:
        raise fault.http_error(
            409, 'Resource class already exists: %s' % data['name'])
    except exception.ResourceClassCannotUpdateStandard:
        raise fault.http_error(
            400, 'Cannot update standard resource class %s' % name)
    return render.json(req, _serialize(req, rc), status=200)


def ensure_resource_class(req):
    """``PUT /resource_classes/{name}`` from 1.7: create, or confirm it exists.

    201 when created, 204 when it was there; a non-custom name is a 400.
    """
    req.context.can(policies.UPDATE)
    name = req.path_arg('name')
    validation.validate({'name': name}, schema.PUT_RC_SCHEMA_V1_2,
                        'JSON does not validate: %s')
    status = 204
    try:
        rc_obj.get_by_name(req.context, name)
    except exception.ResourceClassNotFound:
        try:
            rc_obj.create(req.context, name)
            status = 201
        except exception.ResourceClassExists:
            pass  # created by somebody else in between: fine
    return render.empty(req, status,
                        location=render.resource_class_url(req, name))


def delete_resource_class(req):
    req.context.can(policies.DELETE)
    name = req.path_arg('name')
    rc_obj.get_by_name(req.context, name)
    try:
        rc_obj.destroy(req.context, name)
    except exception.ResourceClassCannotDeleteStandard as exc:
        raise fault.http_error(
            400, 'Error in delete resource class: %s' % exc)
    except exception.ResourceClassInUse as exc:
        raise fault.http_error(
            409, 'Error in delete resource class: %s' % exc)
    return render.empty(req)
