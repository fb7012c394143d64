"""An example third-party distribution of nova_core scheduler plugins.

Install it next to nova_core (``pip install .``, or ``pip install -e .``
while developing) and select its plugins by name in nova.conf::

    [filter_scheduler]
    enabled_filters = ComputeFilter,MaintenanceFilter
    weighers = RAMWeigher,PreferredAggregateWeigher

See README.md.
"""

import os

import setuptools

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'README.md'), encoding='utf-8') as readme:
    LONG_DESCRIPTION = readme.read()

setuptools.setup(
    name='nova-core-example-plugins',
    version='0.1.0',
    description='Example filter and weigher plugins of the nova_core '
                'scheduler',
    long_description=LONG_DESCRIPTION,
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    python_requires='>=3.10',
    packages=['nova_core_example'],
    install_requires=['nova_core', 'oslo.config>=9.0.0'],
    entry_points={
        # The entry point NAME is what operators write in nova.conf; the
        # class name, as for nova_core's own plugins.
        'nova_core.scheduler.filters': [
            'MaintenanceFilter = '
            'nova_core_example.maintenance_filter:MaintenanceFilter',
        ],
        'nova_core.scheduler.weighers': [
            'PreferredAggregateWeigher = nova_core_example.'
            'preferred_aggregate_weigher:PreferredAggregateWeigher',
        ],
        # oslo-config-generator --namespace nova_core_example
        'oslo.config.opts': [
            'nova_core_example = nova_core_example.opts:list_opts',
        ],
    },
)
