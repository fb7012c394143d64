"""Policies of /flavors (manage) and /flavors/{id}/os-extra_specs."""

from nova_core.api.compute.policies import base

MANAGE = 'os_compute_api:os-flavor-manage:%s'
CREATE = MANAGE % 'create'
UPDATE = MANAGE % 'update'
DELETE = MANAGE % 'delete'
SPECS = 'os_compute_api:os-flavor-extra-specs:%s'
SPECS_INDEX = SPECS % 'index'
SPECS_SHOW = SPECS % 'show'
SPECS_CREATE = SPECS % 'create'
SPECS_UPDATE = SPECS % 'update'
SPECS_DELETE = SPECS % 'delete'
ACCESS = 'os_compute_api:os-flavor-access'
ACCESS_ADD = ACCESS + ':add_tenant_access'
ACCESS_REMOVE = ACCESS + ':remove_tenant_access'

_SPECS = '/flavors/{flavor_id}/os-extra_specs'

rules = [
    base.rule(CREATE, base.ADMIN, 'Create a flavor', ('POST', '/flavors')),
    base.rule(UPDATE, base.ADMIN, 'Update a flavor',
              ('PUT', '/flavors/{flavor_id}')),
    base.rule(DELETE, base.ADMIN, 'Delete a flavor',
              ('DELETE', '/flavors/{flavor_id}')),
    base.rule(SPECS_INDEX, base.PROJECT_READER_OR_ADMIN,
              'List extra specs for a flavor', ('GET', _SPECS),
              ('GET', '/flavors/detail'), ('GET', '/flavors/{flavor_id}')),
    base.rule(SPECS_SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show an extra spec for a flavor',
              ('GET', _SPECS + '/{flavor_extra_spec_key}')),
    base.rule(SPECS_CREATE, base.ADMIN, 'Create extra specs for a flavor',
              ('POST', _SPECS)),
    base.rule(SPECS_UPDATE, base.ADMIN, 'Update an extra spec for a flavor',
              ('PUT', _SPECS + '/{flavor_extra_spec_key}')),
    base.rule(SPECS_DELETE, base.ADMIN, 'Delete an extra spec for a flavor',
              ('DELETE', _SPECS + '/{flavor_extra_spec_key}')),
    base.rule(ACCESS, base.ADMIN,
              'List the projects with access to a private flavor',
              ('GET', '/flavors/{flavor_id}/os-flavor-access')),
    base.rule(ACCESS_ADD, base.ADMIN,
              'Give a project access to a private flavor (addTenantAccess)',
              ('POST', '/flavors/{flavor_id}/action')),
    base.rule(ACCESS_REMOVE, base.ADMIN, "Take a project's access to a "
              'private flavor away (removeTenantAccess)',
              ('POST', '/flavors/{flavor_id}/action')),
]

