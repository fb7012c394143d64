"""JSON schemas of the /servers bodies and query strings (Nova's, trimmed)."""

NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}
_METADATA = {
    'type': 'object',
    'patternProperties': {
        '^[a-zA-Z0-9-_:. ]{1,255}$': {'type': 'string', 'maxLength': 255}},
    'additionalProperties': False,
}
_COUNT = {'type': ['integer', 'string'], 'pattern': '^[0-9]+$',
          'minimum': 1}
_NETWORK = {
    'type': 'object',
    'properties': {
        'uuid': {'type': 'string', 'format': 'uuid'},
        'port': {'type': ['string', 'null'], 'format': 'uuid'},
        'fixed_ip': {'type': 'string'},
        'tag': {'type': 'string'},
    },
    'additionalProperties': False,
}

CREATE = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': NAME,
                'imageRef': {'type': 'string', 'maxLength': 255},
                'flavorRef': {'type': ['string', 'integer'], 'minLength': 1},
                'adminPass': {'type': 'string'},
                'metadata': _METADATA,
                'networks': {'oneOf': [
                    {'type': 'array', 'items': _NETWORK},
                    {'type': 'string', 'enum': ['none', 'auto']},
                ]},
                'availability_zone': {'type': 'string', 'minLength': 1,
                                      'maxLength': 255},
                'min_count': _COUNT,
                'max_count': _COUNT,
                'return_reservation_id': {'type': 'boolean'},
                'key_name': {'type': 'string', 'minLength': 1,
                             'maxLength': 255},
                'user_data': {'type': 'string', 'maxLength': 65535},
                'security_groups': {'type': 'array'},
                'config_drive': {'type': ['boolean', 'string']},
                'description': {'type': ['string', 'null'],
                                'maxLength': 255},
                'tags': {'type': 'array'},
                'block_device_mapping_v2': {'type': 'array'},
                'OS-DCF:diskConfig': {'type': 'string',
                                      'enum': ['AUTO', 'MANUAL']},
                'accessIPv4': {'type': 'string'},
                'accessIPv6': {'type': 'string'},
                'personality': {'type': 'array'},
                'host': {'type': 'string'},
                'hypervisor_hostname': {'type': 'string'},
            },
            'required': ['name', 'flavorRef'],
            'additionalProperties': False,
        },
        'os:scheduler_hints': {
            'type': 'object',
            'properties': {
                'group': {'type': 'string', 'format': 'uuid'},
            },
            'additionalProperties': True,
        },
        'OS-SCH-HNT:scheduler_hints': {'type': 'object'},
    },
    'required': ['server'],
    'additionalProperties': False,
}

UPDATE = {
    'type': 'object',
    'properties': {
        'server': {
            'type': 'object',
            'properties': {
                'name': NAME,
                'description': {'type': ['string', 'null'],
                                'maxLength': 255},
                'accessIPv4': {'type': 'string'},
                'accessIPv6': {'type': 'string'},
                'OS-DCF:diskConfig': {'type': 'string'},
            },
            'additionalProperties': False,
        },
    },
    'required': ['server'],
    'additionalProperties': False,
}

REBOOT = {
    'type': 'object',
    'properties': {
        'reboot': {
            'type': 'object',
            'properties': {
                'type': {'type': 'string',
                         'enum': ['HARD', 'Hard', 'hard',
                                  'SOFT', 'Soft', 'soft']},
            },
            'required': ['type'],
            'additionalProperties': False,
        },
    },
    'required': ['reboot'],
    'additionalProperties': False,
}

START_STOP = {'type': ['object', 'null']}

# Query parameters of GET /servers(/detail). Before 2.75 unknown ones are
# ignored; from 2.75 they are refused.
_QUERY_PROPS = {name: {} for name in (
    'limit', 'marker', 'name', 'status', 'host', 'all_tenants',
    'project_id', 'tenant_id', 'user_id', 'sort_key', 'sort_dir',
    'changes-since', 'changes-before', 'image', 'flavor', 'reservation_id',
    'ip', 'ip6', 'deleted', 'availability_zone', 'node', 'uuid',
    'vm_state', 'task_state', 'power_state', 'locked', 'description',
    'tags', 'tags-any', 'not-tags', 'not-tags-any', 'config_drive',
    'key_name', 'created_at', 'launched_at', 'terminated_at', 'hostname',
    'display_name', 'access_ip_v4', 'access_ip_v6', 'instance_name')}
QUERY = {'type': 'object', 'properties': _QUERY_PROPS,
         'additionalProperties': True}
QUERY_V275 = {'type': 'object', 'properties': _QUERY_PROPS,
              'additionalProperties': False}
