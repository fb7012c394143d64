"""The structured explanation a NoValidHost carries, and its one-line summary.

Shape (SPEC.md, "NoValidHost explanation")::

    {"candidates": 12, "providers": 4,
     "placement_query": {"resources": "VCPU:1,...", "limit": "1000"},
     "filters": [{"name": "ComputeFilter", "hosts_in": 4, "hosts_out": 0,
                  "removed": [{"host", "node", "reason"}]}],
     "weighed": [{"host", "node", "weight"}],          # best 5
     "instances_requested": 2, "instances_placed": 1, "claim_conflicts": 0,
     "summary": "..."}

It is JSON-able, travels over RPC in the exception's kwargs, and ends up
in the instance fault's details, so an operator can read why.
"""

from nova_core import exception

TOP_WEIGHED = 5


class Explanation:
    """Collects what one select_destinations call saw, step by step."""

    def __init__(self, instances_requested, placement_query=None):
        self.candidates = 0
        self._summaries = None
        self.placement_query = dict(placement_query or {})
        self.filters = []
        self.weighed = []
        self.instances_requested = instances_requested
        self.instances_placed = 0
        self.claim_conflicts = 0

    def placement_answer(self, candidates):
        """What placement answered (a placement_client Candidates)."""
        self.placement_query = dict(candidates.query)
        self.candidates = len(candidates)
        self._summaries = candidates.summaries

    @property
    def providers(self):
        """How many provider trees the candidates are on (counted when
        asked: most requests never need the explanation)."""
        summaries = self._summaries
        if not summaries:
            return 0
        return len({summaries.root_of(uuid) for uuid in summaries})

    def filtered(self, records):
        """The records of the latest filter run (see filters.run_filters)."""
        self.filters = list(records)

    def weighed_hosts(self, weighed):
        self.weighed = [{'host': w.obj.host, 'node': w.obj.nodename,
                         'weight': round(float(w.weight), 6)}
                        for w in weighed[:TOP_WEIGHED]]

    def summary(self):
        """One line: the first step that left nothing, or the shortfall."""
        if not self.candidates:
            query = '&'.join('%s=%s' % item
                             for item in self.placement_query.items())
            return ('placement returned no allocation candidates for %s'
                    % (query or 'the request'))
        text = '%d allocation candidate(s) on %d provider tree(s)' % (
            self.candidates, self.providers)
        for record in self.filters:
            if record['hosts_out'] < record['hosts_in']:
                text += '; %s: %d -> %d host(s)' % (
                    record['name'], record['hosts_in'], record['hosts_out'])
            if not record['hosts_out']:
                break
        if self.claim_conflicts:
            text += '; %d claim(s) lost to concurrent requests' % (
                self.claim_conflicts)
        if self.instances_requested > 1:
            text += '; placed %d of %d instance(s)' % (
                self.instances_placed, self.instances_requested)
        return text

    def as_dict(self):
        return {
            'candidates': self.candidates,
            'providers': self.providers,
            'placement_query': dict(self.placement_query),
            'filters': [dict(record) for record in self.filters],
            'weighed': list(self.weighed),
            'instances_requested': self.instances_requested,
            'instances_placed': self.instances_placed,
            'claim_conflicts': self.claim_conflicts,
            'summary': self.summary(),
        }

    def no_valid_host(self):
        """The exception to raise, carrying this explanation."""
        explanation = self.as_dict()
        return exception.NoValidHost(reason=explanation['summary'],
                                     explanation=explanation)
