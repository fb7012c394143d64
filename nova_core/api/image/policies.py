"""Glance's policy rules for what the image API serves (Glance's names).

Reading follows the visibility rules of the image plugin; registering and
deleting images in the local catalogue is an operator's task (there is no
image data to upload), so both default to admins.
"""

from oslo_policy import policy

from nova_core.api import policy as api_policy

CONTEXT_IS_ADMIN = 'context_is_admin'
GET_IMAGES = 'get_images'
GET_IMAGE = 'get_image'
ADD_IMAGE = 'add_image'
DELETE_IMAGE = 'delete_image'

rules = [
    policy.RuleDefault(CONTEXT_IS_ADMIN, 'role:admin',
                       'Who sees every image whatever its visibility.'),
    api_policy.documented_rule(GET_IMAGES, '', 'List images',
                               ('GET', '/v2/images')),
    api_policy.documented_rule(GET_IMAGE, '', 'Show an image',
                               ('GET', '/v2/images/{image_id}')),
    api_policy.documented_rule(ADD_IMAGE, 'role:admin',
                               'Register an image (metadata only)',
                               ('POST', '/v2/images')),
    api_policy.documented_rule(DELETE_IMAGE, 'role:admin', 'Delete an image',
                               ('DELETE', '/v2/images/{image_id}')),
]


def list_rules():
    return list(rules)
