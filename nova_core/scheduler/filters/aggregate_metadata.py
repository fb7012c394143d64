"""Reading a host's aggregate metadata, as the aggregate filters need it.

``host_state.aggregates`` is a list of aggregate dicts with a ``metadata``
dict. A value may list several items separated by commas (``"m1.small,
m1.large"``); Nova's aggregate filters treat each item as one value.
"""

import logging

LOG = logging.getLogger(__name__)


def _items(value):
    return {item.strip() for item in str(value).split(',') if item.strip()}


def metadata_by_key(host_state, key=None):
    """{key: set of values} over the host's aggregates (only *key* if set)."""
    result = {}
    for aggregate in getattr(host_state, 'aggregates', None) or ():
        for name, value in (aggregate.get('metadata') or {}).items():
            if key is not None and name != key:
                continue
            result.setdefault(name, set()).update(_items(value))
    return result


def values_of(host_state, key):
    """The set of values of *key* over the host's aggregates."""
    return metadata_by_key(host_state, key).get(key, set())


def min_int(host_state, key, default):
    """The smallest integer value of *key* in the host's aggregates.

    Values that are not integers are ignored (and logged); with no valid
    value the result is *default*.
    """
    numbers = []
    for value in values_of(host_state, key):
        try:
            numbers.append(int(value))
        except ValueError:
            LOG.warning('Aggregate metadata %s=%r of host %s is not an '
                        'integer; ignored', key, value, host_state.host)
    return min(numbers) if numbers else default
