"""PreferredAggregateWeigher against hand-built host states."""

from nova_core.scheduler.weighers import ram
from nova_core.testing import scheduler as sf

from nova_core_example import preferred_aggregate_weigher
from nova_core_example.preferred_aggregate_weigher import (
    PreferredAggregateWeigher)


def conf(**overrides):
    return sf.make_conf(preferred_aggregate_weigher.register_opts,
                        **overrides)


def hosts():
    gold = sf.aggregate('gold', ['g'], {'preferred': '2'})
    silver = sf.aggregate('silver', ['s'], {'preferred': 'true'})
    return [sf.host_state('plain', memory_mb=32768),
            sf.host_state('s', memory_mb=8192, aggregates=[silver]),
            sf.host_state('g', memory_mb=4096, aggregates=[gold])]


def test_raw_weights():
    weigher = PreferredAggregateWeigher(conf())
    assert weigher.weigh_objects(hosts(), sf.request_spec()) == [
        0.0, 1.0, 2.0]


def test_ranking_and_multiplier():
    spec = sf.request_spec()
    assert sf.weigh(conf(), [PreferredAggregateWeigher], hosts(), spec) == [
        ('g', 1.0), ('s', 0.5), ('plain', 0.0)]
    avoid = conf(preferred_aggregate__preferred_aggregate_weight_multiplier=-1)
    assert [h for h, _w in sf.weigh(avoid, [PreferredAggregateWeigher],
                                    hosts(), spec)] == ['plain', 's', 'g']


def test_beats_free_ram_only_with_a_bigger_multiplier():
    spec = sf.request_spec()
    classes = [ram.RAMWeigher, PreferredAggregateWeigher]
    assert sf.weigh(conf(), classes, hosts(), spec)[0][0] == 'plain'
    strong = conf(preferred_aggregate__preferred_aggregate_weight_multiplier=3)
    assert sf.weigh(strong, classes, hosts(), spec)[0][0] == 'g'


def test_aggregate_overrides_the_multiplier():
    weigher = PreferredAggregateWeigher(conf())
    host = sf.host_state('g', aggregates=[sf.aggregate('gold', ['g'], {
        'preferred': '1', 'preferred_aggregate_weight_multiplier': '5'})])
    assert weigher.weight_multiplier(host) == 5.0


def test_other_key_and_junk_values():
    weigher = PreferredAggregateWeigher(
        conf(preferred_aggregate__metadata_key='tier'))
    junk = sf.host_state('j', aggregates=[
        sf.aggregate('a', ['j'], {'tier': 'gold'})])
    tiered = sf.host_state('t', aggregates=[
        sf.aggregate('a', ['t'], {'tier': '3', 'preferred': '9'})])
    assert weigher.weigh_objects([junk, tiered], sf.request_spec()) == [
        0.0, 3.0]
