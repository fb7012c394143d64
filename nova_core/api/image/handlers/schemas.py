"""``/v2/schemas/image`` and ``/v2/schemas/images``: the JSON schemas the
``schema`` links of the image JSON point to (python-glanceclient reads
them to know an image's attributes)."""

from nova_core.api.image.handlers import images
from nova_core.api import wsgi

_STRING = {'type': ['null', 'string'], 'readOnly': True}
_INTEGER = {'type': ['null', 'integer'], 'readOnly': True}


def _image():
    properties = {name: dict(value) for name, value in
                  images.CREATE_SCHEMA['properties'].items()}
    properties.update({
        'status': {'type': 'string', 'readOnly': True,
                   'enum': ['queued', 'saving', 'active', 'killed',
                            'deleted', 'uploading', 'importing',
                            'pending_delete', 'deactivated']},
        'owner': {'type': ['null', 'string'], 'maxLength': 255},
        'checksum': _STRING, 'os_hash_algo': _STRING,
        'os_hash_value': _STRING, 'size': _INTEGER,
        'virtual_size': _INTEGER,
        'created_at': {'type': 'string', 'readOnly': True},
        'updated_at': {'type': 'string', 'readOnly': True},
        'self': {'type': 'string', 'readOnly': True},
        'file': {'type': 'string', 'readOnly': True},
        'schema': {'type': 'string', 'readOnly': True},
        'tags': {'type': 'array', 'items': {'type': 'string'}},
        'id': {'type': 'string', 'format': 'uuid'},
    })
    return {
        'name': 'image',
        'properties': properties,
        'additionalProperties': {'type': 'string'},
        'links': [{'rel': 'self', 'href': '{self}'},
                  {'rel': 'enclosure', 'href': '{file}'},
                  {'rel': 'describedby', 'href': '{schema}'}],
    }


def image(req):
    return wsgi.json_response(req, _image())


def image_list(req):
    return wsgi.json_response(req, {
        'name': 'images',
        'properties': {
            'images': {'type': 'array', 'items': _image()},
            'schema': {'type': 'string'},
            'first': {'type': 'string'},
            'next': {'type': 'string'},
        },
        'links': [{'rel': 'first', 'href': '{first}'},
                  {'rel': 'next', 'href': '{next}'},
                  {'rel': 'describedby', 'href': '{schema}'}],
    })
