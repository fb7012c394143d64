"""Plugin loading: in-memory extensions and real entry points of a throwaway distribution."""

import sys
import uuid

import pytest

from nova_core import exception
from nova_core import loading


class Base:
    pass


class Good(Base):
    pass


class Other(Base):
    pass


class NotABase:
    pass


def ext(name, plugin):
    return loading.extension(name, plugin)


# -- without entry points (make_test_instance) --------------------------------

def test_order_of_names_is_kept():
    exts = [ext('Good', Good), ext('Other', Other)]
    assert loading.load_filters(['Other', 'Good'], Base, exts) == [Other, Good]
    assert loading.load_filters(['Good', 'Other'], Base, exts) == [Good, Other]


def test_nova_dotted_names_are_mapped():
    exts = [ext('ComputeFilter', Good)]
    assert loading.load_filters(
        ['nova.scheduler.filters.compute_filter.ComputeFilter'], Base,
        exts) == [Good]
    drivers = [ext('fake', Good), ext('libvirt', Other)]
    assert isinstance(loading.load_driver('fake.FakeDriver', Base,
                                          extensions=drivers), Good)
    assert isinstance(loading.load_driver('libvirt.LibvirtDriver', Base,
                                          extensions=drivers), Other)
    assert loading.driver_name('nova.virt.libvirt.LibvirtDriver') == 'libvirt'


def test_all_weighers_means_every_installed_one():
    exts = [ext('RAMWeigher', Good), ext('CPUWeigher', Other)]
    assert loading.load_weighers(['nova.scheduler.weights.all_weighers'],
                                 Base, exts) == [Other, Good]
    assert loading.load_weighers(['RAMWeigher'], Base, exts) == [Good]


def test_driver_gets_its_arguments():
    class Driver(Base):
        def __init__(self, conf, host):
            self.args = (conf, host)
    driver = loading.load_driver('fake', Base, 'conf', 'h1',
                                 extensions=[ext('fake', Driver)])
    assert driver.args == ('conf', 'h1')


def test_missing_lists_what_is_installed():
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_filters(['Nope'], Base, [ext('Good', Good)])
    assert err.value.kwargs['name'] == 'Nope'
    assert err.value.kwargs['namespace'] == loading.FILTERS
    assert 'installed are: Good' in str(err.value)


def test_wrong_base_class():
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_filters(['Bad'], Base, [ext('Bad', NotABase)])
    assert 'not a subclass of' in str(err.value)
    assert err.value.kwargs['name'] == 'Bad'


def test_instance_instead_of_class_is_refused():
    with pytest.raises(exception.PluginLoadError):
        loading.load_filters(['Good'], Base, [ext('Good', Good())])


def test_duplicates_in_configuration_and_in_plugins():
    exts = [ext('Good', Good), ext('Other', Other)]
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_filters(['Good', 'x.y.Good'], Base, exts)
    assert 'listed twice' in str(err.value)
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_filters(['Good'], Base,
                             [ext('Good', Good), ext('Good', Other)])
    assert 'more than once' in str(err.value)


def test_apps_are_callables_by_name():
    def make_a(conf):
        return 'a'
    apps = loading.load_apps(['a'], [ext('a', make_a)])
    assert list(apps) == ['a'] and apps['a'](None) == 'a'
    with pytest.raises(exception.PluginLoadError):
        loading.load_apps(['b'], [ext('b', 42)])


# -- real entry points ---------------------------------------------------------

@pytest.fixture
def distribution(tmp_path, monkeypatch):
    """A distribution on sys.path with good, broken and wrong plugins.

    Two .dist-info directories declare the namespace: the second repeats
    the name ``dup`` with another target.
    """
    namespace = 'nova_core.test_%s' % uuid.uuid4().hex[:8]
    pkg = 'nctestplugins_%s' % uuid.uuid4().hex[:8]
    (tmp_path / pkg).mkdir()
    (tmp_path / pkg / '__init__.py').write_text('')
    (tmp_path / pkg / 'good.py').write_text(
        'from tests.unit.test_loading import Base\n'
        'class GoodPlugin(Base):\n    pass\n'
        'class SecondPlugin(Base):\n    pass\n')
    (tmp_path / pkg / 'broken.py').write_text(
        'import nctest_module_that_does_not_exist\n')
    (tmp_path / pkg / 'wrong.py').write_text(
        'class WrongPlugin:\n    pass\n')
    for dist, lines in (
            ('nctestplugins_a', [
                'good = %s.good:GoodPlugin' % pkg,
                'second = %s.good:SecondPlugin' % pkg,
                'broken = %s.broken:Thing' % pkg,
                'wrong = %s.wrong:WrongPlugin' % pkg,
                'dup = %s.good:GoodPlugin' % pkg]),
            ('nctestplugins_b', ['dup = %s.good:SecondPlugin' % pkg])):
        info = tmp_path / ('%s-1.0.dist-info' % dist)
        info.mkdir()
        (info / 'METADATA').write_text(
            'Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n' % dist)
        (info / 'entry_points.txt').write_text(
            '[%s]\n%s\n' % (namespace, '\n'.join(lines)))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield namespace, pkg
    for name in list(sys.modules):
        if name.startswith(pkg):
            del sys.modules[name]


def test_entry_points_load_in_order(distribution):
    namespace, pkg = distribution
    plugins = loading.load_named(namespace, ['second', 'good'], Base)
    assert [p.__name__ for p in plugins] == ['SecondPlugin', 'GoodPlugin']
    assert plugins[1].__module__ == '%s.good' % pkg
    assert loading.installed_names(namespace) == [
        'broken', 'dup', 'good', 'second', 'wrong']


def test_entry_point_import_error(distribution):
    namespace, _pkg = distribution
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_named(namespace, ['good', 'broken'], Base)
    assert err.value.kwargs['name'] == 'broken'
    assert err.value.kwargs['namespace'] == namespace
    assert 'nctest_module_that_does_not_exist' in str(err.value)


def test_entry_point_wrong_base(distribution):
    namespace, _pkg = distribution
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_named(namespace, ['wrong'], Base)
    assert 'WrongPlugin is not a subclass of' in str(err.value)


def test_entry_point_missing_lists_installed(distribution):
    namespace, _pkg = distribution
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_named(namespace, ['absent'], Base)
    assert 'installed are: broken, dup, good, second, wrong' in str(err.value)


def test_entry_point_duplicate_across_distributions(distribution):
    namespace, _pkg = distribution
    with pytest.raises(exception.PluginLoadError) as err:
        loading.load_named(namespace, ['dup'], Base)
    assert 'declared more than once' in str(err.value)


def test_unrequested_broken_plugin_is_not_an_error(distribution):
    namespace, _pkg = distribution
    assert [p.__name__ for p in loading.load_named(
        namespace, ['good'], Base)] == ['GoodPlugin']


def test_installed_app_entry_point():
    # pyproject.toml declares the placement app in nova_core.api.apps.
    apps = loading.load_apps(['placement'])
    assert callable(apps['placement'])
