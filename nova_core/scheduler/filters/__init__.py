"""The filter contract: a filter says yes or no to one host for one request.

A filter plugin is a subclass of :class:`BaseHostFilter` in one short
module, registered in the ``nova_core.scheduler.filters`` entry point
namespace under its class name (Nova's names, so that ``enabled_filters``
of a nova.conf keeps working)::

    class MyFilter(filters.BaseHostFilter):
        def host_passes(self, host_state, spec):
            return host_state.free_ram_mb > 0

        def why(self, host_state, spec):
            return 'no free RAM'

``host_state`` is a ``nova_core.scheduler.host_state.HostState`` (or
anything with the same attributes: tests build them by hand); ``spec`` is
the request spec dict (SPEC: request_spec). Filters never change either.

A filter that a request leaves nothing to check (no extra specs, no image
properties, no server group...) says so in ``passes_all(spec)``: it is
then not asked about each host, which at 1,000 candidate hosts per request
is most of the filtering time. ``passes_all`` must only be true when
``host_passes`` would be true for every host.

A filter may also override ``filter_all`` (all hosts in one call, faster
than a call per host); if its answer for each host still depends on that
host alone, as ``host_passes``'s does, it sets ``HOST_BY_HOST = True`` so
that a multi-create may keep filtering only the hosts it changed.

A filter whose verdict on a host depends on that host's state alone, not
on the request (ComputeFilter: the service is up and enabled), says
``JUDGES_HOST_ONLY = True``; requests that share host states then ask it
only about the hosts that changed since the last one (:class:`FilterMemo`).
The class that defines ``host_passes`` (and ``filter_all``, if
overridden) must say it: a subclass judging otherwise does not inherit it.
"""

import itertools
import operator
import threading

from nova_core import loading


class BaseHostFilter:
    """Base class of host filters; subclasses implement ``host_passes``."""

    # True when filter_all, overridden, still judges each host alone.
    HOST_BY_HOST = False
    # True when the verdict on a host depends on its state alone, not on
    # the request (see FilterMemo); read on the classes that judge.
    JUDGES_HOST_ONLY = False
    # False for filters whose answer cannot change when an instance is
    # rebuilt on its own host (resources, affinity): they are skipped then.
    RUN_ON_REBUILD = True

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def host_passes(self, host_state, spec):
        """True if *host_state* may take one instance of *spec*."""
        raise NotImplementedError

    def why(self, host_state, spec):
        """One line saying why *host_state* did not pass (for NoValidHost)."""
        return 'rejected by %s' % self.name

    def passes_all(self, spec):
        """True if *spec* gives this filter nothing to check: every host
        passes (the default: no such promise)."""
        return False

    def filter_all(self, hosts, spec):
        """The hosts that pass, in their order."""
        return [host for host in hosts if self.host_passes(host, spec)]


class RequirementsFilter(BaseHostFilter):
    """A filter that checks a request's requirements one by one.

    Subclasses implement ``first_unmet(host_state, spec)`` -> None when
    every requirement holds, else ``(key, requirement, found)``, and
    ``describe(key, requirement, found)``, the one-line reason.
    """

    def first_unmet(self, host_state, spec):
        raise NotImplementedError

    def describe(self, key, requirement, found):
        raise NotImplementedError

    def host_passes(self, host_state, spec):
        return self.first_unmet(host_state, spec) is None

    def why(self, host_state, spec):
        unmet = self.first_unmet(host_state, spec)
        return 'passed' if unmet is None else self.describe(*unmet)


def is_rebuild(spec):
    """True when *spec* asks to rebuild an instance on its current host."""
    hints = spec.get('scheduler_hints') or {}
    check = hints.get('_nova_check_type')
    if isinstance(check, list):
        check = check[0] if check else None
    return bool(spec.get('is_rebuild')) or check == 'rebuild'


def run_filters(filters, hosts, spec, max_removed=100, memo=None):
    """Apply *filters* in order; (hosts left, one record per filter).

    A record is ``{"name", "hosts_in", "hosts_out", "removed": [{"host",
    "node", "reason"}]}`` (at most *max_removed* entries listed; the counts
    are always exact). Filtering stops when no host is left, because a
    filter that sees no host has nothing to say.

    *memo*: a :class:`FilterMemo` of a caller whose host objects never
    change; filters that judge the host alone reuse their last verdicts.
    """
    records = []
    rebuild = is_rebuild(spec)
    for host_filter in filters:
        if not hosts:
            break
        if rebuild and not host_filter.RUN_ON_REBUILD:
            continue
        if host_filter.passes_all(spec):
            passed = hosts
        elif memo is not None and judges_host_only(host_filter):
            passed = memo.filter_all(host_filter, hosts, spec)
        else:
            passed = host_filter.filter_all(hosts, spec)
        if len(passed) == len(hosts):
            removed = []
        else:
            kept = {id(h) for h in passed}
            removed = [h for h in hosts if id(h) not in kept]
        records.append({
            'name': host_filter.name,
            'hosts_in': len(hosts),
            'hosts_out': len(passed),
            'removed': [{'host': h.host, 'node': h.nodename,
                         'reason': host_filter.why(h, spec)}
                        for h in removed[:max_removed]],
        })
        hosts = passed
    return hosts, records


def judges_host_only(host_filter):
    """Whether *host_filter*'s verdicts depend on the host state alone:
    the classes defining its ``host_passes`` and ``filter_all`` say
    ``JUDGES_HOST_ONLY`` (the base ``filter_all`` asks ``host_passes``)."""
    return loading.promised(
        host_filter, 'JUDGES_HOST_ONLY', ('host_passes', 'filter_all'),
        {(BaseHostFilter, 'filter_all')})


class FilterMemo:
    """The last verdicts of the filters that judge the host alone, for a
    caller whose host objects never change (the scheduler's read-only
    requests share host states: one memo per scheduler, per thread).

    Given the same number of hosts as last time, such a filter is asked
    only about the hosts that are other objects (C-level comparisons find
    them); its verdicts on the others stand.
    """

    # More changed hosts than this share of all: ask about every host.
    MOST_CHANGED = 0.25

    def __init__(self):
        self._local = threading.local()

    def filter_all(self, host_filter, hosts, spec):
        last = getattr(self._local, 'last', None)
        if last is None:
            last = self._local.last = {}
        kept = last.get(host_filter)
        changed = None
        if kept is not None and len(kept[0]) == len(hosts):
            changed = list(itertools.compress(itertools.count(), map(
                operator.is_not, hosts, kept[0])))
            if len(changed) > self.MOST_CHANGED * len(hosts):
                changed = None
        if changed is None:
            verdicts = self._verdicts(host_filter, hosts, spec)
        else:
            verdicts = kept[1].copy()
            if changed:
                fresh = self._verdicts(
                    host_filter, [hosts[i] for i in changed], spec)
                for i, verdict in zip(changed, fresh):
                    verdicts[i] = verdict
        last[host_filter] = (list(hosts), verdicts)
        return list(itertools.compress(hosts, verdicts))

    @staticmethod
    def _verdicts(host_filter, hosts, spec):
        passed = set(map(id, host_filter.filter_all(hosts, spec)))
        return list(map(passed.__contains__, map(id, hosts)))
