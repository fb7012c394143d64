"""The image API as data: URL -> HTTP method -> handler (Glance's paths)."""

from nova_core.api.image.handlers import images
from nova_core.api.image.handlers import schemas

ROUTES = {
    '/v2/images': {
        'GET': images.list_images,
        'POST': images.create_image,
    },
    '/v2/images/{image_id}': {
        'GET': images.show_image,
        'DELETE': images.delete_image,
    },
    '/v2/schemas/image': {'GET': schemas.image},
    '/v2/schemas/images': {'GET': schemas.image_list},
}
