"""Restarting the RabbitMQ node under a building cloud: no server stuck in BUILD.

The node is a private one the test starts (its own name and ports), with
the API vhost and each cell's on it. Builds are in flight (slow spawns)
when it goes down for a few seconds. Whatever message is lost then, the
conductor's build watchdog (short timeouts here) fails the builds that
stopped moving: each server ends ACTIVE, or ERROR with a fault, and
placement holds exactly what the ACTIVE ones use.
"""

import time

import pytest

from tests.functional.multiprocess import deployment
from tests.functional.multiprocess import probes
from tests import rabbitmq

pytestmark = pytest.mark.slow

RPC_TIMEOUT = 15


def test_broker_restart_mid_build(tmp_path):
    node = rabbitmq.RabbitNode(tmp_path / 'rabbit').start()
    cloud = deployment.Deployment(
        tmp_path, backend='mysql', cells=2, hosts_per_cell=1,
        rabbit_node=node,
        fake_driver={'cell1-host1': {'spawn_seconds': 6},
                     'cell2-host1': {'spawn_seconds': 2}},
        # A compute that cannot heartbeat while the broker is away is not
        # "down" yet (service_down_time): builds still moving finish, and
        # those whose messages were lost stop moving and are failed after
        # build_stuck_timeout.
        sections={'DEFAULT': {'rpc_response_timeout': RPC_TIMEOUT,
                              'service_down_time': 30},
                  'conductor': {'build_stuck_timeout': 20}})
    try:
        cloud.start()
        uuids = []
        for batch in range(2):
            uuids += cloud.servers.create(
                cloud.ctx, cloud.flavor('m1.tiny'), cloud.image,
                'batch%d' % batch, min_count=5, max_count=5)
        probes.wait_until(
            lambda: any(cloud.show(u).get('task_state') == 'spawning'
                        for u in uuids), 60, 'a build spawning')
        restarted = time.monotonic()
        node.restart(down_seconds=3)
        back = time.monotonic()
        cloud.timings['broker_restart'] = back - restarted
        cloud.wait_for(uuids, timeout=150)
        cloud.timings['settled'] = time.monotonic() - restarted
        # A call whose reply was lost with the broker fails only after
        # rpc_response_timeout; what it does then must leave things in
        # order too, so look again once that time has passed.
        time.sleep(max(0, back + RPC_TIMEOUT + 1 - time.monotonic()))
        shown = cloud.wait_for(uuids, timeout=60)
        for server in shown.values():
            if server['vm_state'] == 'error':
                assert server.get('fault', {}).get('message'), server
        probes.wait_until(
            lambda: cloud.usages() == cloud.usage_of(
                cloud.wait_for(uuids).values()), 30,
            'placement usage = ACTIVE servers', on_timeout=lambda: explain(
                cloud, uuids))
        states = sorted(s['vm_state'] for s in shown.values())
        print('states after the restart: %s' % states)
    finally:
        cloud.stop()
        node.stop()
        print('deployment timings: %s' % cloud.timings)


def explain(cloud, uuids):
    """Each server's state and placement allocations, for a failure."""
    lines = ['usage %s, ACTIVE servers hold %s' % (
        cloud.usages(), cloud.usage_of(cloud.wait_for(uuids).values()))]
    for uuid in uuids:
        server = cloud.show(uuid)
        allocations = cloud.placement.get(
            cloud.ctx, '/allocations/%s' % uuid).json()['allocations']
        lines.append('%s %s %s %s allocations on %s; fault %s' % (
            uuid, server['vm_state'], server.get('task_state'),
            server.get('host'), sorted(allocations),
            (server.get('fault') or {}).get('message')))
    return '\n'.join(lines) + '\n' + cloud.log_tails(40)
