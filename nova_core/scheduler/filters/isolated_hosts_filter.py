"""IsolatedHostsFilter: some images run only on some hosts.

``[filter_scheduler] isolated_images`` (image ids) run only on
``isolated_hosts``. With ``restrict_isolated_hosts_to_isolated_images``
(the default) the isolated hosts take nothing else:

    ============  ==============  ==================
    restrict      isolated image  other image
    ============  ==============  ==================
    True          isolated hosts  other hosts
    False         isolated hosts  any host
    ============  ==============  ==================

With no isolated images listed, the isolated hosts take nothing when
restricted (and anything when not).
"""

from nova_core.scheduler import filters


class IsolatedHostsFilter(filters.BaseHostFilter):
    """Keep isolated images and isolated hosts together."""

    RUN_ON_REBUILD = True

    def _facts(self, host_state, spec):
        group = self.conf.filter_scheduler
        image_id = (spec.get('image') or {}).get('id')
        image_isolated = bool(image_id) and image_id in group.isolated_images
        host_isolated = host_state.host in group.isolated_hosts
        return (image_isolated, host_isolated,
                group.restrict_isolated_hosts_to_isolated_images)

    def host_passes(self, host_state, spec):
        image_isolated, host_isolated, restrict = self._facts(
            host_state, spec)
        if image_isolated:
            return host_isolated
        return not (restrict and host_isolated)

    def why(self, host_state, spec):
        image_isolated, host_isolated, _restrict = self._facts(
            host_state, spec)
        if image_isolated:
            return 'image is isolated and the host is not in isolated_hosts'
        return 'host is isolated and the image is not in isolated_images'
