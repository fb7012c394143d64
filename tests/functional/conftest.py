"""Fixtures the functional tests of several rooms share."""

import pytest

from nova_core import context as nc_context
from nova_core import placement_client


@pytest.fixture
def client(placement):
    """A PlacementClient calling the ``placement`` fixture in-process."""
    return placement_client.from_direct(placement)


@pytest.fixture
def ctx():
    """An admin request context, as a service acting for itself has."""
    return nc_context.RequestContext(user_id='user', project_id='project',
                                     is_admin=True, roles=['admin'])
