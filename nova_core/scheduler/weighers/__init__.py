"""The weigher contract: rank the hosts that passed the filters.

A weigher plugin subclasses :class:`BaseHostWeigher` in one short module,
registered in the ``nova_core.scheduler.weighers`` namespace under its class
name. Each weigher gives every host a raw number; the raw numbers of one
weigher are normalised to [0, 1] over the hosts being weighed (min-max, as
Nova does; all equal gives 0), multiplied by the weigher's multiplier, and
summed over the weighers. The highest total wins::

    class FreeRAM(weighers.BaseHostWeigher):
        multiplier_option = 'ram_weight_multiplier'

        def _weigh_object(self, host_state, spec):
            return host_state.free_ram_mb

A weigher naming its ``multiplier_option`` (in ``multiplier_group``,
``filter_scheduler`` by default) gets Nova's per-aggregate override for
free: a host aggregate whose metadata has that option's name as a key sets
the multiplier of its hosts; a host in several such aggregates takes the
smallest value; a value that is not a number is ignored (logged).
"""

import bisect
import itertools
import logging
import operator
import threading

from nova_core import loading

LOG = logging.getLogger(__name__)


def aggregate_multiplier(host_state, key, default):
    """The multiplier *key* for *host_state*: the smallest number its
    aggregates' metadata set for *key*, else *default*."""
    values = []
    for aggregate in getattr(host_state, 'aggregates', None) or ():
        raw = (aggregate.get('metadata') or {}).get(key)
        if raw is None:
            continue
        try:
            values.append(float(raw))
        except (TypeError, ValueError):
            LOG.warning('Aggregate %s: %s=%r is not a number; ignored',
                        aggregate.get('name') or aggregate.get('uuid'),
                        key, raw)
    return min(values) if values else default


def normalize(values, minval=None, maxval=None):
    """*values* scaled to [0, 1] between minval and maxval (their own by
    default); a list of zeros when the range is empty."""
    if not values:
        return []
    low = float(min(values) if minval is None else minval)
    high = float(max(values) if maxval is None else maxval)
    if high == low:
        return [0.0] * len(values)
    span = high - low
    return [(value - low) / span for value in values]


def parse_setting(entries, option):
    """``['name=1.5', ...]`` -> ``[('name', 1.5), ...]``, in order; a
    malformed entry is logged (naming *option*) and skipped."""
    result = []
    for entry in entries or ():
        name, sep, value = str(entry).partition('=')
        name = name.strip()
        try:
            if not sep or not name:
                raise ValueError(entry)
            result.append((name, float(value.strip())))
        except ValueError:
            LOG.warning('Ignoring %r in %s: expected name=number', entry,
                        option)
    return result


class BaseHostWeigher:
    """Base class of host weighers; subclasses implement ``_weigh_object``."""

    # Fixed bounds of the normalisation, if the weigher has natural ones.
    minval = None
    maxval = None
    # The option holding the multiplier, and its group; also the aggregate
    # metadata key that overrides it per host.
    multiplier_option = None
    multiplier_group = 'filter_scheduler'
    # True: the raw weight of a host depends on its host state alone, not
    # on the request (see RankMemo). Read on the class that defines the
    # weighing: a subclass weighing otherwise must say so again.
    WEIGHS_HOST_ONLY = False

    def __init__(self, conf):
        self.conf = conf

    @property
    def name(self):
        return type(self).__name__

    def option_multiplier(self):
        """The ``multiplier_option``'s value; 1.0 if the weigher names no
        option."""
        if self.multiplier_option is None:
            return 1.0
        return getattr(self.conf[self.multiplier_group],
                       self.multiplier_option)

    def weight_multiplier(self, host_state):
        """How much this weigher counts for *host_state* (negative reverses
        its preference): the ``multiplier_option``, overridden by the
        host's aggregates; 1.0 if the weigher names no option."""
        if self.multiplier_option is None:
            return 1.0
        return aggregate_multiplier(host_state, self.multiplier_option,
                                    self.option_multiplier())

    def weight_multipliers(self, hosts):
        """``weight_multiplier`` of each of *hosts*, in order.

        The option is read once per call, not once per host (an oslo.config
        lookup per host and weigher was a fifth of a decision's time at
        10,000 hosts); only hosts in aggregates look at their metadata. A
        subclass overriding ``weight_multiplier`` keeps its own per host.
        """
        if type(self).weight_multiplier is not BaseHostWeigher.weight_multiplier:
            return [self.weight_multiplier(host) for host in hosts]
        if self.multiplier_option is None:
            return [1.0] * len(hosts)
        default = self.option_multiplier()
        return [aggregate_multiplier(host, self.multiplier_option, default)
                if getattr(host, 'aggregates', None) else default
                for host in hosts]

    def _weigh_object(self, host_state, spec):
        raise NotImplementedError

    def weigh_objects(self, hosts, spec):
        """The raw weights of *hosts*, in order (a weigher may answer for
        all hosts at once, faster than one call per host)."""
        weigh = self._weigh_object
        return [weigh(host, spec) for host in hosts]


class WeighedHost:
    """A host and its total weight."""

    __slots__ = ('obj', 'weight')

    def __init__(self, obj, weight=0.0):
        self.obj = obj
        self.weight = weight

    def __repr__(self):
        return '<WeighedHost %s: %s>' % (self.obj, self.weight)


class Ranking:
    """Hosts ranked by weight, best first; ties keep the hosts' order.

    A request mostly looks at the first few of a thousand hosts:
    ``top(k)`` and ``between(i, j)`` make WeighedHost entries for those
    positions only (``all()`` for every one).
    """

    def __init__(self, hosts, totals, order=None):
        self.hosts = hosts
        self.totals = totals
        # sorted() is stable with reverse too: equal weights keep order.
        self.order = order if order is not None else sorted(
            range(len(hosts)), key=totals.__getitem__, reverse=True)

    def __len__(self):
        return len(self.hosts)

    def between(self, start, stop):
        hosts, totals = self.hosts, self.totals
        return [WeighedHost(hosts[i], totals[i])
                for i in self.order[start:stop]]

    def top(self, count):
        return self.between(0, count)

    def all(self):
        return self.between(0, len(self.hosts))

    def ties_at_top(self):
        """How many hosts share the best weight."""
        if not self.hosts:
            return 0
        totals, order = self.totals, self.order
        best = totals[order[0]]
        count = 1
        while count < len(order) and totals[order[count]] == best:
            count += 1
        return count


def weigh_hosts(weighers, hosts, spec):
    """[WeighedHost] best first; ties keep the order of *hosts*
    (``rank_hosts(...).all()``)."""
    return rank_hosts(weighers, hosts, spec).all()


def rank_hosts(weighers, hosts, spec, memo=None):
    """The :class:`Ranking` of *hosts*.

    A weigher with the base multiplier rule whose multiplier is 0 for
    every host adds nothing and is not asked for weights (Nova's
    num_instances weigher, by default); one with its own rule (metrics) is
    always asked, it may refuse a host.

    Each weigher adds ``multiplier * normalised`` to every host's total,
    the arithmetic of ``normalize`` then a product (the multi-create's
    incremental ranking in the scheduler manager repeats it); when no host
    is in an aggregate, the base rule's multiplier is the option's, one
    number for all hosts.

    *memo*: a :class:`RankMemo` of the caller's, whose host objects do not
    change (states shared by read-only requests): the ranking is that of
    the last call, redone only for the hosts that are not the same
    objects or whose weights changed. The answer is the same.
    """
    if not hosts:
        return Ranking([], [])
    hosts = list(hosts)
    changed = None if memo is None else memo.changed(hosts)
    if changed is not None:
        plain = memo.plain and not any(
            getattr(hosts[i], 'aggregates', None) for i in changed)
    else:
        try:
            plain = not any(map(_AGGREGATES, hosts))
        except AttributeError:      # host objects of some other kind
            plain = not any(getattr(host, 'aggregates', None)
                            for host in hosts)
    # (weigher, multiplier or None, multipliers or None, raw, low, span)
    used = []
    raws = {}
    patched = set()     # weighers whose raw weights differ only at changed
    for weigher in weighers:
        base_rule = (type(weigher).weight_multiplier is
                     BaseHostWeigher.weight_multiplier)
        if plain and base_rule and (
                type(weigher).weight_multipliers is
                BaseHostWeigher.weight_multipliers):
            multiplier = weigher.option_multiplier()
            if not multiplier:
                continue
            multipliers = None
        else:
            multiplier = None
            multipliers = weigher.weight_multipliers(hosts)
            if not any(multipliers) and base_rule:
                continue
        raw = None
        if changed is not None and _weighs_host_only(weigher):
            raw = memo.raw_of(weigher, hosts, changed, spec)
            if raw is not None:
                patched.add(weigher)
        if raw is None:
            raw = weigher.weigh_objects(hosts, spec)
        raws[weigher] = raw
        low = float(min(raw) if weigher.minval is None else weigher.minval)
        high = float(max(raw) if weigher.maxval is None else weigher.maxval)
        if high == low:
            continue        # normalised to zeros: adds nothing
        used.append((weigher, multiplier, multipliers, raw, low, high - low))
    ranking = None
    if changed is not None:
        ranking = memo.updated(hosts, changed, used, patched)
    if ranking is None:
        totals = [0.0] * len(hosts)
        for _weigher, multiplier, multipliers, raw, low, span in used:
            if multipliers is None:
                totals = [total + multiplier * ((value - low) / span)
                          for total, value in zip(totals, raw)]
            else:
                totals = [total + multiplier * ((value - low) / span)
                          for total, multiplier, value
                          in zip(totals, multipliers, raw)]
        ranking = Ranking(hosts, totals)
    if memo is not None:
        memo.keep(ranking, plain, raws, used)
    return ranking


_AGGREGATES = operator.attrgetter('aggregates')


def _weighs_host_only(weigher):
    """Whether *weigher*'s raw weights depend on the host state alone: the
    classes that define its ``_weigh_object`` and ``weigh_objects`` say
    ``WEIGHS_HOST_ONLY`` themselves (the base class's ``weigh_objects``
    only calls ``_weigh_object``)."""
    return loading.promised(
        weigher, 'WEIGHS_HOST_ONLY', ('_weigh_object', 'weigh_objects'),
        {(BaseHostWeigher, 'weigh_objects')})


class RankMemo:
    """The last ranking of a caller whose host objects never change (the
    scheduler's read-only requests, one memo per thread).

    Consecutive read-only requests mostly weigh the same thousand shared
    host states, a few of them new (the host claimed last, a heartbeat).
    The memo keeps the last hosts, the raw weights of each weigher, the
    totals and the order: a host-only weigher (``WEIGHS_HOST_ONLY``) is
    asked only about the hosts that are new objects, the totals are
    summed again only for the hosts whose raw weights changed, and those
    hosts are moved in the order, as long as every weigher's bounds and
    multiplier stay the same. The arithmetic per host is the full
    ranking's, so the totals and the order are the same; anything else
    (other hosts, new bounds, aggregates) ranks in full.
    """

    # More changed hosts than this share of all: rank in full.
    MOST_CHANGED = 0.25

    def __init__(self):
        self._local = threading.local()

    def _last(self):
        return getattr(self._local, 'last', None)

    def changed(self, hosts):
        """Positions of *hosts* that are not the objects of the last call,
        or None (another list: rank in full)."""
        last = self._last()
        if last is None or len(last['hosts']) != len(hosts):
            return None
        changed = list(itertools.compress(itertools.count(), map(
            operator.is_not, hosts, last['hosts'])))
        if len(changed) > self.MOST_CHANGED * len(hosts):
            return None
        return changed

    @property
    def plain(self):
        return self._last()['plain']

    def raw_of(self, weigher, hosts, changed, spec):
        """*weigher*'s raw weights of *hosts*, the last ones with those of
        the *changed* positions asked again; None if it has none kept."""
        old = self._last()['raws'].get(weigher)
        if old is None:
            return None
        raw = old.copy()
        if changed:
            fresh = weigher.weigh_objects([hosts[i] for i in changed], spec)
            for i, value in zip(changed, fresh):
                raw[i] = value
        return raw

    def updated(self, hosts, changed, used, patched=()):
        """The last ranking updated for *hosts*, or None if the weighers'
        bounds or multipliers changed. The raw weights of the weighers in
        *patched* (``raw_of``) differ from the last ones only at
        *changed*; the others' are compared."""
        last = self._last()
        old_used = last['used']
        if len(old_used) != len(used):
            return None
        dirty = set(changed)
        for new, old in zip(used, old_used):
            # (weigher, multiplier, multipliers, raw, low, span)
            if (new[0] is not old[0] or new[2] is not None or
                    old[2] is not None or new[1] != old[1] or
                    new[4] != old[4] or new[5] != old[5]):
                return None
            if new[3] is not old[3] and new[0] not in patched:
                dirty.update(itertools.compress(itertools.count(), map(
                    operator.ne, new[3], old[3])))
        old_ranking = last['ranking']
        if not dirty:
            return Ranking(hosts, old_ranking.totals, old_ranking.order)
        if len(dirty) > self.MOST_CHANGED * len(hosts):
            return None
        totals = old_ranking.totals.copy()
        for i in dirty:
            total = 0.0
            for _weigher, multiplier, _m, raw, low, span in used:
                total = total + multiplier * ((raw[i] - low) / span)
            totals[i] = total
        order = old_ranking.order.copy()
        for i in dirty:
            order.remove(i)

        def key(i):
            return (-totals[i], i)
        for i in sorted(dirty):
            bisect.insort(order, i, key=key)
        return Ranking(hosts, totals, order)

    def keep(self, ranking, plain, raws, used):
        self._local.last = {'hosts': ranking.hosts, 'ranking': ranking,
                            'plain': plain, 'raws': raws, 'used': used}
