"""AggregateImagePropertiesIsolation: aggregate metadata vs image properties.

For each metadata key of the host's aggregates (only keys under
``[filter_scheduler] aggregate_image_properties_isolation_namespace`` and
its separator, when a namespace is set): if the image sets a property of
that name, its value must be one of the aggregate's values for the key.
Keys the image does not set, and images without properties, pass.
"""

from nova_core.scheduler import filters
from nova_core.scheduler.filters import aggregate_metadata


class AggregateImagePropertiesIsolation(filters.BaseHostFilter):
    """Hosts whose aggregates accept the image's property values."""

    RUN_ON_REBUILD = True

    def _prefix(self):
        group = self.conf.filter_scheduler
        namespace = group.aggregate_image_properties_isolation_namespace
        if not namespace:
            return None
        return namespace + (
            group.aggregate_image_properties_isolation_separator or '')

    def _conflict(self, host_state, spec):
        """(key, image value, allowed values) of the first mismatch."""
        props = ((spec.get('image') or {}).get('properties') or {})
        if not props:
            return None
        prefix = self._prefix()
        metadata = aggregate_metadata.metadata_by_key(host_state)
        for key in sorted(metadata):
            if prefix and not key.startswith(prefix):
                continue
            value = props.get(key)
            if value is None or value == '':
                continue
            if str(value) not in metadata[key]:
                return key, value, metadata[key]
        return None

    def host_passes(self, host_state, spec):
        return self._conflict(host_state, spec) is None

    def why(self, host_state, spec):
        conflict = self._conflict(host_state, spec)
        if conflict is None:
            return 'passed'
        key, value, allowed = conflict
        return 'image property %s=%r is not among the aggregate values %s' % (
            key, value, ', '.join(sorted(allowed)))
