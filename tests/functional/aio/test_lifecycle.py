"""The all-in-one's life: first start, SIGTERM (exit 0), a second start on
the same state, a bad command line, a taken port."""

import os
import signal
import socket

import yaml

from tests.functional.aio import conftest
from tests import servers


def test_restart_reuses_the_state_and_sigterm_stops_cleanly(tmp_path):
    state = tmp_path / 'state'
    first = conftest.AIO(tmp_path, state)
    try:
        first.start()
        created = first.openstack_json('flavor', 'create', '--vcpus', '1',
                                       '--ram', '64', '--disk', '1', 'kept')
        server = first.openstack_json(
            'server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros',
            '--wait', 'survivor')
        assert first.stop() == 0
        log = first.server.log()
        assert 'Traceback' not in log, log

        second = conftest.AIO(tmp_path, state)
        second.procs = first.procs
        second.start()
        flavors = second.openstack_json('flavor', 'list')
        # The defaults were not added again; what was made is still there.
        assert sorted(f['Name'] for f in flavors) == [
            'kept', 'm1.large', 'm1.medium', 'm1.small', 'm1.tiny']
        assert [f['ID'] for f in flavors if f['Name'] == 'kept'] == [
            created['id']]
        assert [i['Name'] for i in second.openstack_json(
            'image', 'list')] == ['cirros']
        assert [(s['ID'], s['Status']) for s in second.openstack_json(
            'server', 'list')] == [(server['id'], 'ACTIVE')]
        assert sorted(p['name'] for p in second.placement(
            '/resource_providers')['resource_providers']) == [
            'cell1-host1', 'cell1-host2', 'cell1-host3']
        # The new ports are in the rewritten clouds.yaml (and its catalog).
        with open(second.clouds_yaml) as f:
            cloud = yaml.safe_load(f)['clouds']['nova-core']
        assert cloud['auth']['auth_url'] == second.identity_url
        assert [p['name'] for p in second.openstack_json(
            'resource', 'provider', 'list')] != []
        assert second.server.stop(sig=signal.SIGINT, timeout=60) == 0
    finally:
        first.cleanup()


def test_bad_usage_and_a_taken_port(tmp_path):
    result = servers.run(servers.script('nova-core-aio'), '--computes')
    assert result.returncode == 2, result.stderr
    assert '--computes' in result.stderr, result.stderr
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = servers.run(
            servers.script('nova-core-aio'), '--state-dir',
            str(tmp_path / 'state'), '--compute-port', str(port),
            '--placement-port', str(servers.free_port()), timeout=120)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert 'nova-core-aio: cannot start:' in result.stderr
    assert 'Traceback' not in result.stderr


def test_the_run_script_starts_the_all_in_one(tmp_path):
    """``./run``, the README's main command, with its state elsewhere."""
    procs = servers.Processes(tmp_path)
    try:
        aio = conftest.AIO(tmp_path, tmp_path / 'state')
        aio.server = procs.start(
            [os.path.join(conftest.ROOT, 'run'), '--compute-port',
             str(aio.compute_port), '--placement-port',
             str(aio.placement_port)],
            env={'NOVA_CORE_STATE_DIR': str(aio.state_dir)}, name='run')
        aio.wait_ready()
        assert (aio.state_dir / 'nova_core.conf').exists()
        assert len(aio.openstack_json('hypervisor', 'list')) == 3
        assert aio.stop() == 0
    finally:
        procs.cleanup()
