"""JSON schemas of the /os-quota-sets bodies and query strings (Nova's)."""

import copy

_LIMIT = {'type': ['integer', 'string'], 'pattern': '^-?[0-9]+$',
          'minimum': -1, 'maximum': 0x7FFFFFFF}
_BOOLEAN = {'type': ['boolean', 'string'], 'enum': [
    True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes',
    False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No',
    'no']}
_NETWORK = ('fixed_ips', 'floating_ips', 'security_group_rules',
            'security_groups', 'networks')
_FILES = ('injected_file_content_bytes', 'injected_file_path_bytes',
          'injected_files')
_RESOURCES = ('cores', 'instances', 'key_pairs', 'metadata_items', 'ram',
              'server_group_members', 'server_groups') + _NETWORK + _FILES


def _update(resources):
    properties = {name: _LIMIT for name in resources}
    properties['force'] = _BOOLEAN
    return {
        'type': 'object',
        'properties': {
            'quota_set': {'type': 'object', 'properties': properties,
                          'additionalProperties': False},
        },
        'required': ['quota_set'],
        'additionalProperties': False,
    }


UPDATE = _update(_RESOURCES)
# 2.36: no network quotas; 2.57: no injected files either.
UPDATE_V236 = _update([r for r in _RESOURCES if r not in _NETWORK])
UPDATE_V257 = _update([r for r in _RESOURCES
                       if r not in _NETWORK and r not in _FILES])

QUERY = {'type': 'object', 'properties': {'user_id': {}},
         'additionalProperties': True}
# 2.75: unknown parameters are refused.
QUERY_V275 = copy.deepcopy(QUERY)
QUERY_V275['additionalProperties'] = False
