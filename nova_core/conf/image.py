"""[image] options: where the images servers boot from are looked up."""

from oslo_config import cfg

from nova_core.conf import groups

image_group = cfg.OptGroup(
    'image', title='Image backend options',
    help='The image plugin the compute API and the image API use.')

image_opts = [
    cfg.StrOpt(
        'backend',
        default='local',
        help="""
The image plugin: where images (their ids, names, minimum flavor sizes and
the properties scheduler filters read) are looked up.

Possible values:
    The name of a plugin in the ``nova_core.image`` namespace. ``local``
    (default) keeps a catalogue in the API database, served read-only by
    the image API app (``nova_core.api.apps`` entry point ``image``) and
    managed with ``nova-core-manage image``.

Related options:
    ``[api_database] connection`` (where ``local`` keeps its images).
"""),
]


def register_opts(conf):
    groups.register(conf, image_group, image_opts)


def list_opts():
    return [(image_group, image_opts)]
