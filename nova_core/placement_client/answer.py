"""Placement's allocation candidates as the scheduler reads them.

``GET /allocation_candidates`` answers a thousand candidates at Nova's
default limit; the scheduler then looks at every candidate's tree root and
each root's capacity and usage, but builds the full allocation request of
only the few hosts it tries. :class:`Candidates` keeps the answer as it
came and builds allocation requests and provider summaries (the dicts of
upstream's JSON body) on first use.

Two forms of the body are read:

* upstream's JSON (any placement): parsed as usual;
* nova_core placement's compact form (``COMPACT``, asked for by ``Accept``
  with upstream's JSON as the fallback; its layout is documented in
  ``nova_core.placement.handlers.allocation_candidate``): providers by
  number, requests as flat integer lists; decoding it costs a fraction of
  the nested JSON.
"""

import array
from collections import abc
import json
import sys
import threading

# nova_core placement's compact candidates form (the server documents it:
# nova_core.placement.handlers.allocation_candidate).
COMPACT = 'application/vnd.nova-core.allocation-candidates'
# What a candidates request accepts: the compact form from placements that
# have it, upstream's JSON from the others.
ACCEPT = '%s, application/json;q=0.5' % COMPACT
_MAGIC = b'nova-core-allocation-candidates 1\n'
_SECTIONS = (('uuids', None), ('parents', 'i'), ('roots', 'i'),
             ('res_off', 'i'), ('res', 'q'), ('req_off', 'i'), ('req', 'q'),
             ('root_order', 'i'), ('root_off', 'i'), ('root_req', 'i'),
             ('map_off', 'i'), ('map', 'i'), ('traits', 'i'))


# Sections an answer shares with the previous one when their bytes are the
# same (decoded lists and arrays are never changed once made).
_SHARED = frozenset(('uuids', 'parents', 'roots', 'res_off', 'root_order'))


def is_compact(resp):
    content_type = resp.headers.get('Content-Type') or ''
    return content_type.split(';', 1)[0].strip() == COMPACT


class _Compact:
    """The decoded sections of a compact body (attributes named as the
    sections: ``array``s, ``uuids`` a list of str) and its header."""

    def __init__(self, content, previous=None):
        """*previous*: the _Compact of an earlier answer; sections that
        are the same bytes share its decoded form (consecutive answers
        mostly list the same providers: their uuids and the index by uuid
        are decoded once)."""
        if not content.startswith(_MAGIC):
            raise ValueError('not a compact candidates body')
        start = len(_MAGIC)
        end = content.index(b'\n', start)
        header = json.loads(content[start:end])
        self.resource_classes = header['resource_classes']
        self.groups = header['groups']
        self.trait_sets = header['trait_sets']
        swap = header['byteorder'] != sys.byteorder
        offset = end + 1
        self.raw = {}
        self._index = None
        for (name, code), size in zip(_SECTIONS, header['sizes']):
            raw = content[offset:offset + size]
            offset += size
            self.raw[name] = raw
            if (previous is not None and name in _SHARED and
                    previous.raw[name] == raw):
                value = getattr(previous, name)
                if name == 'uuids':
                    self._index = previous.index
            elif code is None:
                text = raw.decode('ascii')
                value = list(map(text.__getitem__, map(
                    slice, range(0, len(text), 36),
                    range(36, len(text) + 36, 36))))
            else:
                value = array.array(code)
                value.frombytes(raw)
                if swap:
                    value.byteswap()
            setattr(self, name, value)
        self.res_bytes = self.raw['res']
        self.root_index = None      # set by _CompactByRoot
        if offset != len(content) or len(header['sizes']) != len(_SECTIONS):
            raise ValueError('compact candidates body of %d bytes does not '
                             'match its header' % len(content))

    @property
    def index(self):
        """{provider uuid: its number}."""
        if self._index is None:
            self._index = dict(zip(self.uuids, range(len(self.uuids))))
        return self._index

    def resources(self, k):
        """Provider *k*'s ``[class, capacity, used, ...]``."""
        return self.res[self.res_off[k] // 8:self.res_off[k + 1] // 8]

    def figures_at(self, k):
        """The bytes of provider *k*'s triples."""
        return self.res_bytes[self.res_off[k]:self.res_off[k + 1]]

    def changed_since(self, other):
        """The numbers of the providers whose triples differ from those
        of *other* (an earlier _Compact listing the same providers in the
        same order, with triples of the same sizes), or None if it does
        not. Equal halves are skipped: a few changed providers cost a few
        comparisons of shrinking byte ranges, not one per provider."""
        if (other is None or self.uuids is not other.uuids or
                self.res_off is not other.res_off):
            return None
        mine, theirs, offsets = self.res_bytes, other.res_bytes, self.res_off
        changed = []
        if mine == theirs:
            return changed
        ranges = [(0, len(offsets) - 1)]
        while ranges:
            low, high = ranges.pop()
            if high - low == 1:
                changed.append(low)
                continue
            middle = (low + high) // 2
            for start, stop in ((low, middle), (middle, high)):
                a, b = offsets[start], offsets[stop]
                if mine[a:b] != theirs[a:b]:
                    ranges.append((start, stop))
        return changed

    def figures(self):
        """{provider uuid: the bytes of its triples}."""
        offsets = self.res_off.tolist()
        return dict(zip(self.uuids, map(self.res_bytes.__getitem__, map(
            slice, offsets, offsets[1:]))))


class ProviderSummaries(abc.Mapping):
    """``{provider uuid: summary}`` as in upstream's body, built on use.

    ``figures(uuid)`` is what changes when a provider's capacity or usage
    does, cheaper to compare than the summary (the host manager keeps a
    host's state while its figures stay the same).
    """

    def __init__(self, summaries=None):
        self._summaries = dict(summaries or {})

    def __getitem__(self, uuid):
        return self._summaries[uuid]

    def __iter__(self):
        return iter(self._summaries)

    def __len__(self):
        return len(self._summaries)

    def figures(self, uuid):
        summary = self._summaries.get(uuid)
        return None if summary is None else summary.get('resources')

    def figures_of(self):
        """``figures`` as a function, the fastest this answer has."""
        return self.figures

    def changed_since(self, other):
        """The uuids of the providers whose ``figures`` differ from
        *other*'s (the summaries of an earlier answer), or None when that
        is not known more cheaply than by comparing every provider's."""
        return None

    def root_of(self, uuid):
        summary = self._summaries.get(uuid) or {}
        return summary.get('root_provider_uuid') or uuid


class _CompactSummaries(ProviderSummaries):
    """Provider summaries of a compact body."""

    def __init__(self, compact):
        super().__init__()
        self._c = compact
        self._figures = None

    def __getitem__(self, uuid):
        summary = self._summaries.get(uuid)
        if summary is None:
            summary = self._summaries[uuid] = self._build(self._c.index[uuid])
        return summary

    def __iter__(self):
        return iter(self._c.uuids)

    def __len__(self):
        return len(self._c.uuids)

    def __contains__(self, uuid):
        return uuid in self._c.index

    def _build(self, k):
        c = self._c
        flat = c.resources(k)
        parent = c.parents[k]
        classes = c.resource_classes
        return {
            'resources': {classes[flat[j]]: {'capacity': flat[j + 1],
                                             'used': flat[j + 2]}
                          for j in range(0, len(flat), 3)},
            'traits': list(c.trait_sets[c.traits[k]]),
            'parent_provider_uuid': None if parent < 0 else c.uuids[parent],
            'root_provider_uuid': c.uuids[c.roots[k]],
        }

    def figures(self, uuid):
        if self._figures is not None:
            return self._figures.get(uuid)
        k = self._c.index.get(uuid)
        return None if k is None else self._c.figures_at(k)

    def changed_since(self, other):
        if not isinstance(other, _CompactSummaries):
            return None
        changed = self._c.changed_since(other._c)
        if changed is None:
            return None
        return set(map(self._c.uuids.__getitem__, changed))

    def figures_of(self):
        # The raw bytes of each provider's triples: compared in C.
        if self._figures is None:
            self._figures = self._c.figures()
        return self._figures.get

    def root_of(self, uuid):
        k = self._c.index.get(uuid)
        return uuid if k is None else self._c.uuids[self._c.roots[k]]


class Candidates:
    """One answer of ``GET /allocation_candidates``.

    ``len()`` is the number of allocation requests; ``by_root`` maps each
    root provider whose tree some request uses to those requests (in the
    answer's order; a request spanning trees, through a sharing provider,
    is under each of its roots), built per root on first use;
    ``summaries`` is a :class:`ProviderSummaries`.
    """

    def __init__(self, query, count, by_root, summaries):
        self.query = query
        self.count = count
        self.by_root = by_root
        self.summaries = summaries

    def __len__(self):
        return self.count

    @classmethod
    def from_json(cls, body, query):
        requests = body.get('allocation_requests') or []
        summaries = ProviderSummaries(body.get('provider_summaries') or {})
        by_root = {}
        for request in requests:
            roots = []
            for rp in request['allocations']:
                root = summaries.root_of(rp)
                if root not in roots:
                    roots.append(root)
            for root in roots:
                by_root.setdefault(root, []).append(request)
        return cls(query, len(requests), by_root, summaries)

    @classmethod
    def from_compact(cls, content, query):
        """From the bytes of a compact body."""
        previous = getattr(_RECENT, 'compact', None)
        compact = _Compact(content, previous)
        _RECENT.compact = compact
        return cls(query, max(len(compact.req_off) - 1, 0),
                   _CompactByRoot(compact, previous),
                   _CompactSummaries(compact))


# Per thread, the last compact answer decoded (see _Compact).
_RECENT = threading.local()


class _CompactByRoot(abc.Mapping):
    """``{root uuid: [allocation request]}`` of a compact body."""

    def __init__(self, compact, previous=None):
        self._c = compact
        if (previous is not None and previous.uuids is compact.uuids and
                previous.root_order is compact.root_order and
                previous.root_index is not None):
            self._index = previous.root_index
        else:
            self._index = dict(zip(map(compact.uuids.__getitem__,
                                       compact.root_order),
                                   range(len(compact.root_order))))
        compact.root_index = self._index
        self._built = {}

    def __getitem__(self, root):
        c, j = self._c, self._index[root]
        return [self._request(i)
                for i in c.root_req[c.root_off[j]:c.root_off[j + 1]]]

    def __iter__(self):
        return iter(self._index)

    def __len__(self):
        return len(self._index)

    def __contains__(self, root):
        return root in self._index

    @property
    def roots_key(self):
        """The same object for answers of the same roots in the same order
        (they share it): a key for what depends only on the roots."""
        return self._index

    def _request(self, i):
        request = self._built.get(i)
        if request is None:
            request = self._built[i] = self._build(i)
        return request

    def _build(self, i):
        c = self._c
        uuids, classes = c.uuids, c.resource_classes
        allocations = {}
        flat = c.req[3 * c.req_off[i]:3 * c.req_off[i + 1]]
        for j in range(0, len(flat), 3):
            allocations.setdefault(uuids[flat[j]], {'resources': {}})[
                'resources'][classes[flat[j + 1]]] = flat[j + 2]
        groups = len(c.groups)
        mappings = {}
        for g, suffix in enumerate(c.groups):
            at = i * groups + g
            mappings[suffix] = [
                uuids[k] for k in c.map[c.map_off[at]:c.map_off[at + 1]]]
        return {'allocations': allocations, 'mappings': mappings}
