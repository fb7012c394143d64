"""ImagePropertiesWeigher: weigh hosts by how many of their instances were
booted from images whose properties equal those of the requested image.

For each instance on the host and each property of the requested image,
an equal value adds 1, or the property's weight from
``[filter_scheduler] image_props_weight_setting`` (``os_distro=10,...``;
when that option is set, only the listed properties count). Values are
compared as strings. ``image_props_weight_multiplier`` (default 0: off)
makes it pack alike instances (positive) or spread them (negative).

An instance's image properties are its ``image_properties`` dict when the
host state carries one, else its ``image_*`` system metadata (Nova's way of
keeping them).
"""

from nova_core.scheduler import weighers

_SYSMETA_PREFIX = 'image_'


def instance_image_properties(instance):
    """The image properties of an instance dict."""
    props = instance.get('image_properties')
    if props is not None:
        return props
    sysmeta = instance.get('system_metadata') or {}
    return {key[len(_SYSMETA_PREFIX):]: value
            for key, value in sysmeta.items()
            if key.startswith(_SYSMETA_PREFIX)}


class ImagePropertiesWeigher(weighers.BaseHostWeigher):
    """Weigh hosts by the image properties their instances share with the
    requested image."""

    minval = 0
    multiplier_option = 'image_props_weight_multiplier'

    def __init__(self, conf):
        super().__init__(conf)
        self.setting = dict(weighers.parse_setting(
            conf.filter_scheduler.image_props_weight_setting,
            '[filter_scheduler] image_props_weight_setting'))

    def _wanted(self, spec):
        """{property: (value as text, weight)} to look for."""
        props = ((spec.get('image') or {}).get('properties') or {})
        if self.setting:
            return {name: (str(props[name]), weight)
                    for name, weight in self.setting.items()
                    if name in props}
        return {name: (str(value), 1.0) for name, value in props.items()}

    def weigh_objects(self, hosts, spec):
        wanted = self._wanted(spec)
        if not wanted:
            return [0.0] * len(hosts)
        return [self._score(host, wanted) for host in hosts]

    def _weigh_object(self, host_state, spec):
        return self._score(host_state, self._wanted(spec))

    @staticmethod
    def _score(host_state, wanted):
        total = 0.0
        for instance in (host_state.instances or {}).values():
            props = instance_image_properties(instance)
            for name, (value, weight) in wanted.items():
                if name in props and str(props[name]) == value:
                    total += weight
        return total
