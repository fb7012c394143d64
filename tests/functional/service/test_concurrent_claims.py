"""Claims racing through two placement server processes on one database.

Two ``nova-core-placement-api`` processes serve the same database (a SQLite
file, a MariaDB database, a PostgreSQL database). Client threads spread over
both claim scarce inventory as fast as they can: new consumers with PUT,
several at once with POST, resizes of what they hold, deletes. Each thread
keeps a ledger of what it believes it holds. Locks inside one process prove
nothing here: only the database can keep the two servers honest.

Checked: no usage ever seen above capacity; in the end the usages and the
allocations the servers report are exactly the ledgers; every refusal is a
409 for capacity or ``placement.concurrent_update``; no 500, no connection
error, no traceback in the servers' logs.
"""

import collections
import random
import signal
import threading
import uuid

from tests import backends
from tests import placement_fixtures
from tests import servers

# A number of steps rather than a duration: a loaded machine makes the race
# slower, not smaller. About 2 s per backend on two idle cores.
STEPS = 12
CLAIMERS = 12
SERVERS = 2
# Two small computes and a disk pool: a claim takes VCPU on one or both
# computes and often disk from the pool, so transactions span providers.
CAPACITY = {'left': {'VCPU': 10}, 'right': {'VCPU': 10},
            'pool': {'DISK_GB': 40}}
CAPACITY_MESSAGE = 'The requested amount would exceed the capacity'
HEADERS = {'X-Auth-Token': 'admin',
           'OpenStack-API-Version': 'placement 1.28'}


def _call(server, method, path, body=None):
    return server.request(method, path, headers=HEADERS, body=body,
                          timeout=60)


def _create_providers(server):
    """The providers of CAPACITY; {name: uuid}."""
    uuids = {}
    for name, inventories in CAPACITY.items():
        rp = str(uuid.uuid4())
        resp = _call(server, 'POST', '/resource_providers',
                     {'name': name, 'uuid': rp})
        assert resp.status == 200, resp.body
        resp = _call(server, 'PUT', '/resource_providers/%s/inventories' % rp,
                     {'resource_provider_generation': 0,
                      'inventories': {rc: {'total': total}
                                      for rc, total in inventories.items()}})
        assert resp.status == 200, resp.body
        uuids[name] = rp
    return uuids


def refusal_kind(resp):
    """'capacity' or 'concurrent_update' for an expected refusal, else None.

    Each consumer belongs to one thread, so a consumer generation conflict
    would mean the server lost or invented a write.
    """
    if resp.status != 409:
        return None
    error = resp.json()['errors'][0]
    if error.get('code') == 'placement.concurrent_update':
        if 'consumer generation conflict' in error['detail']:
            return None
        return 'concurrent_update'
    if CAPACITY_MESSAGE in error['detail']:
        return 'capacity'
    return None


class Claimer:
    """One client thread: random claims, resizes and deletes, with a ledger.

    ``held`` maps each consumer this thread holds to (generation,
    {provider uuid: {class: amount}}); ``outcomes`` counts (operation,
    'ok' | refusal kind); ``problems`` lists what should never happen.
    """

    def __init__(self, server, providers, seed):
        self.server = server
        self.providers = providers
        self.rng = random.Random(seed)
        self.held = {}
        self.outcomes = collections.Counter()
        self.problems = []

    def run(self, start):
        start.wait()
        for _step in range(STEPS):
            try:
                self.step()
            except Exception as exc:  # connection errors are failures too
                self.problems.append('%s: %r' % (self.server.url, exc))
            if self.problems:
                return

    def step(self):
        roll = self.rng.random()
        if self.held and roll < 0.3:
            self.delete(self.rng.choice(sorted(self.held)))
        elif self.held and roll < 0.45:
            self.resize(self.rng.choice(sorted(self.held)))
        elif roll < 0.65:
            self.post()
        else:
            self.put_new()

    def wanted(self):
        """A random claim: VCPU on one or both computes, often disk."""
        rng = self.rng
        computes = rng.choice([['left'], ['right'], ['left', 'right']])
        claim = {self.providers[name]: {'VCPU': rng.randint(1, 3)}
                 for name in computes}
        if rng.random() < 0.6:
            claim[self.providers['pool']] = {'DISK_GB': rng.randint(4, 10)}
        return claim

    @staticmethod
    def body(claim, generation):
        return {'allocations': {rp: {'resources': resources}
                                for rp, resources in claim.items()},
                'project_id': 'project', 'user_id': 'user',
                'consumer_generation': generation}

    def outcome(self, operation, resp, expected=204):
        """Count the answer; True if it succeeded."""
        if resp.status == expected:
            self.outcomes[operation, 'ok'] += 1
            return True
        kind = refusal_kind(resp)
        if kind is None:
            self.problems.append('%s %s: %s %s' % (
                self.server.url, operation, resp.status, resp.body[:500]))
            return False
        self.outcomes[operation, kind] += 1
        return False

    def put_new(self):
        consumer, claim = str(uuid.uuid4()), self.wanted()
        resp = _call(self.server, 'PUT', '/allocations/%s' % consumer,
                     self.body(claim, None))
        if self.outcome('put', resp):
            self.held[consumer] = (1, claim)

    def resize(self, consumer):
        generation, _old = self.held[consumer]
        claim = self.wanted()
        resp = _call(self.server, 'PUT', '/allocations/%s' % consumer,
                     self.body(claim, generation))
        if self.outcome('resize', resp):
            self.held[consumer] = (generation + 1, claim)

    def post(self):
        """New consumers, sometimes with a resize of a held one, at once."""
        batch = {str(uuid.uuid4()): (None, self.wanted())
                 for _i in range(self.rng.randint(1, 3))}
        if self.held and self.rng.random() < 0.5:
            consumer = self.rng.choice(sorted(self.held))
            batch[consumer] = (self.held[consumer][0], self.wanted())
        resp = _call(self.server, 'POST', '/allocations', {
            consumer: self.body(claim, generation)
            for consumer, (generation, claim) in batch.items()})
        if self.outcome('post', resp):
            for consumer, (generation, claim) in batch.items():
                self.held[consumer] = (
                    1 if generation is None else generation + 1, claim)

    def delete(self, consumer):
        resp = _call(self.server, 'DELETE', '/allocations/%s' % consumer)
        if self.outcome('delete', resp):
            del self.held[consumer]


class UsageWatch:
    """Polls every provider's usages on every server while the race runs."""

    def __init__(self, pool, providers):
        self.pool = pool
        self.providers = providers
        self.samples = 0
        self.problems = []
        self.stop = threading.Event()

    def run(self):
        # Paced: the claimers, not the watcher, should load the servers.
        while not self.stop.wait(0.1):
            for server in self.pool:
                for name, rp in self.providers.items():
                    self.sample(server, name, rp)

    def sample(self, server, name, rp):
        try:
            resp = _call(server, 'GET', '/resource_providers/%s/usages' % rp)
        except Exception as exc:
            self.problems.append('%s usages: %r' % (server.url, exc))
            return
        if resp.status != 200:
            self.problems.append('%s usages: %s %s' % (
                server.url, resp.status, resp.body[:500]))
            return
        self.samples += 1
        for rc, used in resp.json()['usages'].items():
            if used > CAPACITY[name][rc]:
                self.problems.append('%s: %s %s used of %s' % (
                    name, used, rc, CAPACITY[name][rc]))


def _race(pool, providers):
    """Run the claimers and the watcher; (claimers, usage samples taken)."""
    claimers = [Claimer(pool[i % len(pool)], providers, seed=i)
                for i in range(CLAIMERS)]
    watch = UsageWatch(pool, providers)
    start = threading.Barrier(CLAIMERS)
    threads = [threading.Thread(target=claimer.run, args=(start,))
               for claimer in claimers]
    watcher = threading.Thread(target=watch.run)
    for thread in threads + [watcher]:
        thread.start()
    for thread in threads:
        thread.join(300)
    watch.stop.set()
    watcher.join(60)
    assert not any(thread.is_alive() for thread in threads + [watcher])
    problems = [p for c in claimers for p in c.problems] + watch.problems
    assert not problems, problems
    assert watch.samples > 0
    return claimers, watch.samples


def _ledger(claimers):
    """What the clients hold: ({(rp, class): used}, {consumer: held})."""
    used, held = collections.Counter(), {}
    for claimer in claimers:
        for consumer, (generation, claim) in claimer.held.items():
            held[consumer] = generation, claim
            for rp, resources in claim.items():
                for rc, amount in resources.items():
                    used[rp, rc] += amount
    return used, held


def _check_truth(pool, providers, claimers):
    """Every server reports exactly the ledgers, within capacity."""
    used, held = _ledger(claimers)
    for server in pool:
        for name, rp in providers.items():
            resp = _call(server, 'GET', '/resource_providers/%s/usages' % rp)
            assert resp.status == 200, resp.body
            for rc, limit in CAPACITY[name].items():
                assert resp.json()['usages'].get(rc, 0) == used[rp, rc]
                assert used[rp, rc] <= limit
            resp = _call(server, 'GET',
                         '/resource_providers/%s/allocations' % rp)
            assert resp.status == 200, resp.body
            assert resp.json()['allocations'] == {
                consumer: {'resources': claim[rp],
                           'consumer_generation': generation}
                for consumer, (generation, claim) in held.items()
                if rp in claim}


def _summary(claimers):
    outcomes = collections.Counter()
    for claimer in claimers:
        outcomes.update(claimer.outcomes)
    return outcomes


def _start_servers(processes, tmp_path, url):
    conf = servers.write_conf(tmp_path / 'placement.conf', {
        'api': {'auth_strategy': 'noauth2'},
        'placement_database': {'connection': url,
                               'sync_on_startup': 'false'}})
    pool = [processes.placement_api('--config-file', conf,
                                    name='placement-%d' % i)
            for i in range(SERVERS)]
    for server in pool:
        server.wait_ready()
    return pool


def test_claims_through_two_servers_never_exceed_capacity(
        processes, tmp_path, backend):
    database = backends.Database(backend, str(tmp_path))
    try:
        placement_fixtures.migrate(database.url)
        pool = _start_servers(processes, tmp_path, database.url)
        providers = _create_providers(pool[0])
        claimers, watch_samples = _race(pool, providers)
        _check_truth(pool, providers, claimers)
        outcomes = _summary(claimers)
        print('%s: %s, %d usage samples' % (
            backend, sorted(outcomes.items()), watch_samples))
        # The race must have been a race: claims won and claims refused.
        assert sum(n for (op, kind), n in outcomes.items()
                   if op != 'delete' and kind == 'ok') >= 10, outcomes
        assert sum(n for (_op, kind), n in outcomes.items()
                   if kind == 'capacity') >= 10, outcomes
        # Both at once, as each takes up to a second; one signal each, as
        # a second one during the interpreter's exit would kill it.
        for server in pool:
            server.proc.send_signal(signal.SIGTERM)
        for server in pool:
            server.proc.wait(15)
            assert server.stop() == 0, server.log()
            log = server.log()
            assert 'Traceback' not in log and ' ERROR ' not in log, log
            assert 'status: 500' not in log, log
    finally:
        database.drop()
