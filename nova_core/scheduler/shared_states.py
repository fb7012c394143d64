"""Host states for one request of a cell cache, and the states read-only
requests share.

A request for one instance (or a dry run) changes no host state, and most
of the thousand nodes it is offered have not changed since the previous
such request: each node's entry in the cell cache keeps the state it got
last (``CellCache._template``), reused while placement's figures for the
node, the cell's rows and the service's up/down verdict stay the same.

:class:`SharedAnswer` goes one step further for the common case of
consecutive requests offered the same nodes: it keeps the last read-only
answer (the node order, each node's figures, the states) and the nodes
whose cell rows changed since (``touch``), so that the next answer is the
last one with only the changed positions rebuilt, found by comparing the
two lists of figures in C (``map`` and ``itertools.compress``) rather than
node by node in Python.
"""

import datetime
import itertools
import operator

FOREVER = datetime.datetime.max


class StateBuilder:
    """Builds the HostStates of one ``CellCache.host_states`` call;
    ``until``: how long the verdict on the last one's service holds (see
    :func:`verdict_until`)."""

    def __init__(self, cache, summaries, down_time, aggregates, by_host,
                 now):
        self.cache = cache
        self.summaries = summaries
        self.aggregates = aggregates
        self.by_host = by_host
        self.now = now
        # Up: reported within down_time of now, either way (clock skew).
        self.margin = datetime.timedelta(seconds=down_time)
        self.earliest, self.latest = now - self.margin, now + self.margin
        self.until = None

    def __call__(self, entry, uuid):
        template, last = entry[0], entry[1]
        up = last is not None and self.earliest <= last <= self.latest
        self.until = verdict_until(last, up, self.margin, self.now)
        host, node = template.host, template.nodename
        counts = self.cache.counts
        counted = counts.get((host, node), (0, 0))
        loose = counts.get((host, None), (0, 0))
        count = counted[0] + loose[0]
        state = template.copy_for_request()
        summary = self.summaries.get(uuid)
        if summary:
            state.update_from_provider_summary(summary)
        state.service_up = up
        state.num_instances = count
        state.num_io_ops = counted[1] + loose[1]
        if entry[2] != count:
            entry[3] = dict(template.stats, num_instances=count)
            entry[2] = count
        state.stats = entry[3]
        if self.by_host:
            state.instances = {
                i['uuid']: i for i in self.by_host.get(host, ())
                if i.get('node') in (None, node)}
        state.aggregates = self.aggregates.get(host) or []
        return state

    def shared(self, entry, uuid, figures):
        """The state of *entry* that read-only requests share: the one it
        has if still good, else a new one, kept in the entry."""
        shared = entry[4]
        if (shared is not None and entry[5] == figures and
                self.now <= entry[6]):
            return shared
        state = self(entry, uuid)
        entry[4], entry[5], entry[6] = state, figures, self.until
        return state


def verdict_until(last, up, margin, now):
    """Until when a service last seen at *last* keeps the verdict *up*
    (within *margin* of *now*, either way): until *last* + margin if up;
    if down, until *last* - margin when *last* is ahead of now, else for
    good (only a heartbeat, which drops shared states, changes it)."""
    if last is None:
        return FOREVER
    if up:
        return last + margin
    if last - margin > now:
        return last - margin
    return FOREVER


class SharedAnswer:
    """The last read-only answer of a cell cache, and what changed since.

    The cell cache calls ``touch(uuid)`` wherever a node's shared state is
    dropped (an instance or heartbeat of its host, a new node or service
    row) and ``forget()`` when every one is (a full read, new aggregates).
    The cache's lock is held around every call.
    """

    def __init__(self):
        # (found, summaries, states, until, positions, figures)
        self._last = None
        self._touched = set()

    def touch(self, uuid):
        if self._last is not None:
            self._touched.add(uuid)

    def forget(self):
        self._last = None
        self._touched.clear()

    def states(self, cache, found, summaries, build):
        """The shared states of the nodes *found* (uuids in node order)
        with placement's *summaries* (a placement_client
        ``ProviderSummaries``), *build* a :class:`StateBuilder`; the list
        returned is the caller's."""
        last = self._last
        if last is None or last[0] is not found or build.now > last[3]:
            return self._all(cache, found, summaries, build)
        _found, old_summaries, old_states, until, positions, old_figures = (
            last)
        changed = summaries.changed_since(old_summaries)
        if changed is not None:
            # The answer says which providers changed (compact answers).
            if positions is None:
                positions = dict(zip(found, itertools.count()))
            redo = {positions[uuid] for uuid in changed if uuid in positions}
            figures = None
        elif old_figures is not None:
            figures = list(map(summaries.figures_of(), found))
            redo = set(itertools.compress(itertools.count(), map(
                operator.ne, figures, old_figures)))
        else:
            return self._all(cache, found, summaries, build)
        if self._touched:
            if positions is None:
                positions = dict(zip(found, itertools.count()))
            redo.update(i for i in map(positions.get, self._touched)
                        if i is not None)
        states = old_states.copy()
        templates = cache._templates
        for i in redo:
            uuid = found[i]
            entry = templates.get(uuid) or cache._template(uuid)
            states[i] = build.shared(
                entry, uuid, summaries.figures(uuid) if figures is None
                else figures[i])
            until = min(until, entry[6])
        self._keep(found, summaries, states, until, positions, figures)
        return list(states)

    def _all(self, cache, found, summaries, build):
        templates = cache._templates
        figures = list(map(summaries.figures_of(), found))
        states = []
        until = FOREVER
        for uuid, node_figures in zip(found, figures):
            entry = templates.get(uuid) or cache._template(uuid)
            states.append(build.shared(entry, uuid, node_figures))
            if entry[6] < until:
                until = entry[6]
        self._keep(found, summaries, states, until, None, figures)
        return list(states)

    def _keep(self, found, summaries, states, until, positions, figures):
        self._last = (found, summaries, states, until, positions, figures)
        self._touched.clear()
