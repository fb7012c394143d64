"""[filter_scheduler] options of AggregateImagePropertiesIsolation."""

from oslo_config import cfg

from nova_core.conf import filter_scheduler

aggregate_image_properties_opts = [
    cfg.StrOpt(
        'aggregate_image_properties_isolation_namespace',
        help="""
Only aggregate metadata keys starting with this namespace (followed by the
separator) are compared with image properties. Unset: every key is.
"""),
    cfg.StrOpt(
        'aggregate_image_properties_isolation_separator',
        default='.',
        help="""
What separates the namespace from the rest of the key, as in
``<namespace>.<property>``.
"""),
]


def register_opts(conf):
    conf.register_opts(aggregate_image_properties_opts,
                       group=filter_scheduler.filter_scheduler_group.name)


def list_opts():
    return [(filter_scheduler.filter_scheduler_group,
             aggregate_image_properties_opts)]
