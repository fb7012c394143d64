"""Registering an option group on one ConfigOpts."""

from oslo_config import cfg


def register(conf, group, opts):
    """Register *opts* in a copy of *group* on *conf*.

    A new OptGroup for each ConfigOpts: oslo.config copies a registered
    group only shallowly and keeps overrides in it, so sharing the module's
    object would leak set_override() between configurations.
    """
    conf.register_group(cfg.OptGroup(group.name, title=group.title,
                                     help=group.help))
    conf.register_opts(opts, group=group.name)
