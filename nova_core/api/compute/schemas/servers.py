"""JSON schemas of the /servers bodies and query strings (Nova's, trimmed)."""

NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255,
        'pattern': r'^(?!\s)[\s\S]*(?<!\s)$'}
# 2.90: a hostname the caller chooses (an RFC 1123 label).
HOSTNAME = {'type': 'string', 'minLength': 2, 'maxLength': 63,
            'pattern': '^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$'}
_IPV4 = {'type': 'string', 'format': 'ipv4'}
_IPV6 = {'type': 'string', 'format': 'ipv6'}
_DISK_CONFIG = {'type': 'string', 'enum': ['AUTO', 'MANUAL']}
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
                'OS-DCF:diskConfig': _DISK_CONFIG,
                'accessIPv4': _IPV4,
                'accessIPv6': _IPV6,
                'personality': {
                    'type': 'array',
                    'items': {
                        'type': 'object',
                        'properties': {'path': {'type': 'string'},
                                       'contents': {'type': 'string'}},
                        'additionalProperties': False,
                    },
                },
                'host': {'type': 'string'},
                'hypervisor_hostname': {'type': 'string'},
                'hostname': HOSTNAME,
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
                'accessIPv4': _IPV4,
                'accessIPv6': _IPV6,
                'OS-DCF:diskConfig': _DISK_CONFIG,
                'hostname': HOSTNAME,
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

# POST /servers/{id}/action: an object whose first key names the action
# (the action's own body is validated afterwards).
ACTION = {'type': 'object', 'minProperties': 1}

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
    'display_name', 'access_ip_v4', 'access_ip_v6', 'instance_name',
    'progress')}
QUERY = {'type': 'object', 'properties': _QUERY_PROPS,
         'additionalProperties': True}
QUERY_V275 = {'type': 'object', 'properties': _QUERY_PROPS,
              'additionalProperties': False}

# sort_key values Nova accepts at every version; the ignored ones are
# accepted and have no effect.
SORT_KEYS = frozenset((
    'access_ip_v4', 'access_ip_v6', 'auto_disk_config',
    'availability_zone', 'config_drive', 'created_at',
    'display_description', 'display_name', 'host', 'hostname', 'image_ref',
    'instance_type_id', 'kernel_id', 'key_name', 'launch_index',
    'launched_at', 'locked_by', 'node', 'power_state', 'progress',
    'project_id', 'ramdisk_id', 'root_device_name', 'task_state',
    'terminated_at', 'updated_at', 'user_id', 'uuid', 'vm_state'))
IGNORED_SORT_KEYS = frozenset((
    'architecture', 'cell_name', 'cleaned', 'default_ephemeral_device',
    'default_swap_device', 'deleted', 'deleted_at', 'disable_terminate',
    'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data', 'launched_on',
    'locked', 'memory_mb', 'os_type', 'reservation_id', 'root_gb',
    'shutdown_terminate', 'user_data', 'vcpus', 'vm_mode'))

# Fields of the create / update bodies newer than 2.1: refused (as unknown
# properties) below the microversion that brought them.
CREATE_SINCE = {'description': '2.19', 'tags': '2.52',
                'host': '2.74', 'hypervisor_hostname': '2.74',
                'hostname': '2.90'}
UPDATE_SINCE = {'description': '2.19', 'hostname': '2.90'}
