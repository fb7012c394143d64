"""Glance's image JSON from an image plugin's dict."""

import datetime

# Keys of Glance's image JSON that are not properties.
CORE = frozenset((
    'id', 'name', 'status', 'visibility', 'protected', 'checksum',
    'container_format', 'disk_format', 'min_disk', 'min_ram', 'size',
    'owner', 'created_at', 'updated_at', 'tags', 'self', 'file', 'schema',
    'os_hidden', 'virtual_size', 'os_hash_algo', 'os_hash_value',
    'direct_url', 'locations'))


def isotime(value):
    """Glance's timestamps: ``2026-11-21T14:56:14Z``."""
    if not value:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value.replace('Z', ''))
    return value.replace(microsecond=0).isoformat() + 'Z'


def image(img):
    """One image, properties as top-level keys (core keys win)."""
    properties = dict(img.get('properties') or {})
    view = {key: value for key, value in properties.items()
            if key not in CORE}
    created = isotime(img.get('created_at'))
    view.update({
        'id': img['id'],
        'name': img.get('name'),
        'status': img.get('status'),
        'visibility': img.get('visibility'),
        'protected': bool(img.get('protected')),
        'os_hidden': str(properties.get('os_hidden', '')).lower() == 'true',
        'checksum': img.get('checksum'),
        'os_hash_algo': None,
        'os_hash_value': None,
        'container_format': img.get('container_format'),
        'disk_format': img.get('disk_format'),
        'min_disk': img.get('min_disk') or 0,
        'min_ram': img.get('min_ram') or 0,
        'size': img.get('size'),
        'virtual_size': None,
        'owner': img.get('owner'),
        'created_at': created,
        'updated_at': isotime(img.get('updated_at')) or created,
        'tags': [],
        'self': '/v2/images/%s' % img['id'],
        'file': '/v2/images/%s/file' % img['id'],
        'schema': '/v2/schemas/image',
    })
    return view
