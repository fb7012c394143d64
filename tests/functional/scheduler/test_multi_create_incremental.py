"""A multi-create's incremental filter and weigh steps (manager._Incremental)
choose what running every step again for each instance chooses."""

import random
import uuid as uuidlib

from nova_core.scheduler import manager as scheduler_manager
from tests import scheduler_fixtures as sf
from tests.functional.scheduler.test_select_destinations import Cloud


def _run(placement, client, ctx, incremental, monkeypatch):
    rnd = random.Random(3)
    conf = sf.make_conf(filter_scheduler__host_subset_size=1)
    cloud = Cloud(placement, conf)
    for i in range(12):
        cloud.node('n%02d-%s' % (i, incremental), vcpus=rnd.choice([2, 4, 8]),
                   memory_mb=rnd.choice([2048, 4096, 8192]),
                   service_up=(i != 3),
                   hypervisor_version=rnd.choice([1000, 2000]))
    if not incremental:
        monkeypatch.setattr(scheduler_manager._Incremental, 'applies',
                            staticmethod(lambda manager, spec: False))
    else:
        monkeypatch.undo()
    scheduler = cloud.scheduler(client)
    spec = sf.request_spec(vcpus=1, memory_mb=1024, num_instances=20)
    uuids = [str(uuidlib.uuid4()) for _ in range(20)]
    random.seed(11)
    chosen = scheduler.select_destinations(ctx, spec, uuids)
    names = [[s['service_host'].split('-')[0] for s in alternates]
             for alternates in chosen]
    for uuid in uuids:
        scheduler_manager.allocations.remove_allocations(ctx, client, uuid)
    return names


def test_same_choices_as_every_step_again(placement, client, ctx,
                                          monkeypatch):
    slow = _run(placement, client, ctx, False, monkeypatch)
    fast = _run(placement, client, ctx, True, monkeypatch)
    assert fast == slow
    assert len({entry[0] for entry in fast}) > 1


def test_incremental_is_used_and_nothing_fits_still_explains(
        placement, client, ctx, monkeypatch):
    conf = sf.make_conf()
    cloud = Cloud(placement, conf)
    cloud.node('only', vcpus=2)
    scheduler = cloud.scheduler(client)
    used = []
    real = scheduler_manager._Incremental.weighed
    monkeypatch.setattr(scheduler_manager._Incremental, 'weighed',
                        lambda self: used.append(1) or real(self))
    spec = sf.request_spec(vcpus=1, num_instances=3)
    try:
        scheduler.select_destinations(
            ctx, spec, [str(uuidlib.uuid4()) for _ in range(3)])
    except scheduler_manager.exception.NoValidHost as failure:
        assert failure.explanation['instances_placed'] == 2 or \
            'PlacementCapacity' in str(failure.explanation)
    else:
        raise AssertionError('NoValidHost expected')
    assert len(used) == 3
