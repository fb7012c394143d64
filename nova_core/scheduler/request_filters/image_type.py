"""Image type support: only computes able to boot the image's disk format
(``[scheduler] query_placement_for_image_type_support``).

The image's ``disk_format`` (qcow2, raw, iso, vmdk...) becomes the required
root trait ``COMPUTE_IMAGE_TYPE_<FORMAT>``. A volume-backed request boots
from its volume, so the image format does not matter.
"""

import re

from nova_core.scheduler.request_filters import constraints

NAME = 'image_type'
PREFIX = 'COMPUTE_IMAGE_TYPE_'


def enabled(conf):
    return conf.scheduler.query_placement_for_image_type_support


def disk_format(image):
    """The image's disk format (top level, else in its properties)."""
    image = image or {}
    return (image.get('disk_format') or
            (image.get('properties') or {}).get('disk_format'))


def trait_of(fmt):
    """``qcow2`` -> ``COMPUTE_IMAGE_TYPE_QCOW2`` (os-traits' spelling)."""
    return PREFIX + re.sub(r'[^A-Z0-9_]', '_', str(fmt).upper())


def apply(conf, ctx, spec, aggregates):
    if spec.get('is_bfv'):
        return None
    fmt = disk_format(spec.get('image'))
    if not fmt:
        return None
    trait = trait_of(fmt)
    constraints.require_root_trait(spec, trait)
    return 'root_required ' + trait
