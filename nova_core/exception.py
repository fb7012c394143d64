"""Domain exceptions of nova_core.

Every exception carries a message built from ``msg_fmt`` and keyword
arguments. None of them knows about HTTP: each API translates them in one
place (for placement, ``nova_core.placement.errors``) into a status code and
a stable machine-readable error code.
"""

import logging

LOG = logging.getLogger(__name__)


class NovaCoreException(Exception):
    """Base class: ``msg_fmt % kwargs`` is the message unless one is given."""

    msg_fmt = "An unknown exception occurred."

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                # A wrong keyword is a programming error, but it must not
                # hide the error being reported.
                LOG.exception('Exception %s raised with kwargs %r',
                              type(self).__name__, kwargs)
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self):
        return self.message


# -- categories ---------------------------------------------------------------

class NotFound(NovaCoreException):
    msg_fmt = "Resource could not be found."


class Exists(NovaCoreException):
    msg_fmt = "Resource already exists."


class Conflict(NovaCoreException):
    msg_fmt = "The request conflicts with the current state of the resource."


class Invalid(NovaCoreException):
    msg_fmt = "Unacceptable parameters."


class InUse(Conflict):
    msg_fmt = "The resource is in use."


class Forbidden(NovaCoreException):
    msg_fmt = "Forbidden."


class PolicyNotAuthorized(Forbidden):
    msg_fmt = "Policy does not allow %(action)s to be performed."


class ConcurrentUpdateDetected(Conflict):
    msg_fmt = ("Another thread concurrently updated the data. "
               "Please retry your update")


class ConfigurationError(NovaCoreException):
    msg_fmt = "Invalid configuration: %(reason)s"


class DatabaseNotReady(NovaCoreException):
    msg_fmt = ("The database at %(url)s has no schema or an old one "
               "(%(found)s, need %(need)s): run '%(command)s' or set "
               "sync_on_startup.")


# -- placement: resource classes and traits -----------------------------------

class ResourceClassNotFound(NotFound):
    msg_fmt = "No such resource class %(name)s."


class ResourceClassExists(Exists):
    msg_fmt = "Resource class %(resource_class)s already exists."


class ResourceClassCannotDeleteStandard(Invalid):
    msg_fmt = "Cannot delete standard resource class %(resource_class)s."


class ResourceClassCannotUpdateStandard(Invalid):
    msg_fmt = "Cannot update standard resource class %(resource_class)s."


class ResourceClassInUse(InUse):
    msg_fmt = ("Cannot delete resource class %(resource_class)s. "
               "Class is in use in inventory.")


class TraitNotFound(NotFound):
    msg_fmt = "No such trait(s): %(name)s."


class TraitExists(Exists):
    msg_fmt = "The Trait %(name)s already exists"


class TraitCannotDeleteStandard(Invalid):
    msg_fmt = "Cannot delete standard trait %(name)s."


class TraitInUse(InUse):
    msg_fmt = "The trait %(name)s is in use by a resource provider."


# -- placement: resource providers ---------------------------------------------

class ResourceProviderNotFound(NotFound):
    msg_fmt = "No resource provider with uuid %(uuid)s found"


class ParentResourceProviderNotFound(ResourceProviderNotFound):
    msg_fmt = "parent provider UUID %(uuid)s does not exist"


class ResourceProviderDuplicate(Exists):
    msg_fmt = "Conflicting resource provider %(duplicate)s already exists."


class ResourceProviderConcurrentUpdateDetected(ConcurrentUpdateDetected):
    msg_fmt = ("Another thread concurrently updated the resource provider "
               "data. Please retry your update")


class ResourceProviderInUse(InUse):
    msg_fmt = "Resource provider has allocations."


class CannotDeleteParentResourceProvider(Conflict):
    msg_fmt = ("Cannot delete resource provider that is a parent of "
               "another. Delete child providers first.")


class InvalidResourceProviderParent(Invalid):
    # Upstream's wording (its ObjectActionError), which clients show.
    msg_fmt = "Object action %(action)s failed because: %(reason)s"


# -- placement: inventories and allocations ------------------------------------

class InvalidInventory(Invalid):
    msg_fmt = ("Inventory for '%(resource_class)s' on "
               "resource provider '%(resource_provider)s' invalid.")


class InvalidInventoryCapacity(InvalidInventory):
    msg_fmt = ("Invalid inventory for '%(resource_class)s' on "
               "resource provider '%(resource_provider)s'. "
               "The reserved value is greater than or equal to total.")


class InvalidInventoryCapacityReservedCanBeTotal(InvalidInventoryCapacity):
    msg_fmt = ("Invalid inventory for '%(resource_class)s' on "
               "resource provider '%(resource_provider)s'. "
               "The reserved value is greater than total.")


class InventoryInUse(InUse):
    msg_fmt = ("Inventory for '%(resource_classes)s' on "
               "resource provider '%(resource_provider)s' in use.")


class InventoryExists(Exists):
    msg_fmt = ("Inventory for '%(resource_class)s' on "
               "resource provider '%(resource_provider)s' already exists.")


class InventoryWithResourceClassNotFound(NotFound):
    msg_fmt = "No inventory of class %(resource_class)s found."


class InvalidAllocationCapacityExceeded(InvalidInventory):
    msg_fmt = ("Unable to create allocation for '%(resource_class)s' on "
               "resource provider '%(resource_provider)s'. The requested "
               "amount would exceed the capacity.")


class InvalidAllocationConstraintsViolated(InvalidInventory):
    msg_fmt = ("Unable to create allocation for '%(resource_class)s' on "
               "resource provider '%(resource_provider)s'. The requested "
               "amount would violate inventory constraints.")


class ResourceProviderGenerationConflict(ConcurrentUpdateDetected):
    """The client's view of a provider's generation is stale."""
    msg_fmt = ("resource provider generation conflict for provider %(rp)s: "
               "actual: %(actual)s, given: %(given)s")


class MaxDBRetriesExceeded(ConcurrentUpdateDetected):
    msg_fmt = ("Max retries of DB transaction exceeded attempting to "
               "perform %(action)s.")


# -- placement: consumers -------------------------------------------------------

class ConsumerNotFound(NotFound):
    msg_fmt = "No such consumer(s): %(uuid)s."


class ConsumerExists(Exists):
    msg_fmt = "The consumer %(uuid)s already exists."


class ConsumerGenerationConflict(ConcurrentUpdateDetected):
    msg_fmt = "%(reason)s"


class ConsumerConcurrentUpdateDetected(ConcurrentUpdateDetected):
    """A write lost a race on a consumer row (its generation changed, or
    another writer created it first); the write is retried internally."""
    msg_fmt = ("Another thread concurrently updated the consumer "
               "data. Please retry your update")


class ConsumerTypeNotFound(NotFound):
    msg_fmt = "No such consumer type: %(name)s."


class ProjectNotFound(NotFound):
    msg_fmt = "No such project(s): %(external_id)s."


class UserNotFound(NotFound):
    msg_fmt = "No such user(s): %(external_id)s."
