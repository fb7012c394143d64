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


# -- cells, databases and messaging -------------------------------------------

class CellMappingNotFound(NotFound):
    msg_fmt = "Cell %(uuid)s has no entry in cell_mappings."


class CellExists(Exists):
    msg_fmt = "A cell named %(name)s already exists (%(uuid)s)."


class CellNotEmpty(InUse):
    msg_fmt = ("Cell %(uuid)s still has %(what)s; delete or move them "
               "first, or pass --force.")


class CellUnreachable(NovaCoreException):
    msg_fmt = "Cell %(uuid)s did not answer: %(reason)s"


class HostMappingNotFound(NotFound):
    msg_fmt = "Host %(name)s is not mapped to any cell."


class HostMappingExists(Exists):
    msg_fmt = "Host %(name)s is already mapped to cell %(cell_uuid)s."


class InstanceMappingNotFound(NotFound):
    msg_fmt = "Instance %(uuid)s has no instance mapping."


class BuildRequestNotFound(NotFound):
    msg_fmt = "Build request for instance %(uuid)s could not be found."


class RequestSpecNotFound(NotFound):
    msg_fmt = "Request spec for instance %(instance_uuid)s not found."


class TransportURLInvalid(Invalid):
    msg_fmt = "Invalid transport URL %(url)s: %(reason)s"


class DatabaseConnectionInvalid(Invalid):
    msg_fmt = "Invalid database connection %(url)s: %(reason)s"


class MessagingTimeout(NovaCoreException):
    msg_fmt = "Timed out waiting for a reply to %(method)s from %(topic)s."


class UnsupportedRPCVersion(NovaCoreException):
    msg_fmt = ("%(api)s cannot send %(method)s: it needs RPC version "
               "%(required)s and the cap is %(cap)s.")


# -- compute objects ------------------------------------------------------------

class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class UnexpectedTaskStateError(Conflict):
    msg_fmt = ("Instance %(instance_uuid)s: expected task state %(expected)s "
               "but the actual state is %(actual)s.")


class UnexpectedDeletingTaskStateError(UnexpectedTaskStateError):
    pass


class InstanceInvalidState(Invalid):
    msg_fmt = ("Cannot %(method)s instance %(instance_uuid)s while it is in "
               "%(attr)s %(state)s.")


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class ComputeNodeNotFound(NotFound):
    msg_fmt = "Compute node %(node)s on host %(host)s could not be found."


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class ServiceExists(Exists):
    msg_fmt = "Service %(binary)s on host %(host)s already exists."


class MigrationNotFound(NotFound):
    msg_fmt = "Migration %(migration_id)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class FlavorExists(Exists):
    msg_fmt = "Flavor with %(what)s %(value)s already exists."


class FlavorAccessExists(Exists):
    msg_fmt = ("Flavor access already exists for flavor %(flavor_id)s and "
               "project %(project_id)s combination.")


class FlavorAccessNotFound(NotFound):
    msg_fmt = ("Flavor access not found for %(flavor_id)s / "
               "%(project_id)s combination.")


class InstanceGroupNotFound(NotFound):
    msg_fmt = "Server group %(group_uuid)s could not be found."


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class KeyPairExists(Exists):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


# -- quotas -------------------------------------------------------------------------

class QuotaError(Forbidden):
    """Over a quota: the API answers 403 with the message."""

    msg_fmt = "Quota exceeded: code=%(code)s"


class TooManyInstances(QuotaError):
    msg_fmt = ("Quota exceeded for %(overs)s: Requested %(req)s, but already "
               "used %(used)s of %(allowed)s %(overs)s")


class KeypairLimitExceeded(QuotaError):
    msg_fmt = "Quota exceeded, too many key pairs."


class MetadataLimitExceeded(QuotaError):
    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"


class InvalidQuotaValue(Invalid):
    msg_fmt = ("Quota limit %(limit)s for %(resource)s must be greater than "
               "or equal to already used and reserved %(minimum)s.")


class AggregateNotFound(NotFound):
    msg_fmt = "Aggregate %(aggregate_id)s could not be found."


class ObjectActionNotAllowed(Forbidden):
    msg_fmt = ("The conductor does not allow %(method)s on %(objname)s "
               "objects over RPC.")


# -- scheduling and building ------------------------------------------------------

class NoValidHost(NovaCoreException):
    """No host can take the request; ``explanation`` says why, structured.

    ``explanation`` is a JSON-able dict (see scheduler/explain.py): the number
    of allocation candidates placement returned, and per filter the hosts that
    went in and out and which were removed. It travels over RPC in kwargs.
    """

    msg_fmt = "No valid host was found. %(reason)s"

    def __init__(self, message=None, **kwargs):
        kwargs.setdefault('reason', '')
        kwargs.setdefault('explanation', None)
        super().__init__(message, **kwargs)

    @property
    def explanation(self):
        return self.kwargs.get('explanation')


class MaxRetriesExceeded(NoValidHost):
    msg_fmt = "Exceeded maximum number of retries. %(reason)s"


class AllocationClaimFailed(Conflict):
    msg_fmt = ("Could not claim resources for consumer %(consumer_uuid)s on "
               "%(host)s: %(reason)s")


class PlacementAPIError(NovaCoreException):
    msg_fmt = ("Placement answered %(method)s %(url)s with %(status)s: "
               "%(detail)s")


class PlacementUnreachable(NovaCoreException):
    msg_fmt = "Placement could not be reached: %(reason)s"


class BuildAbortException(NovaCoreException):
    msg_fmt = "Build of instance %(instance_uuid)s aborted: %(reason)s"


class RescheduledException(NovaCoreException):
    msg_fmt = ("Build of instance %(instance_uuid)s was re-scheduled: "
               "%(reason)s")


class InstanceSpawnFailure(NovaCoreException):
    msg_fmt = "Spawning instance %(instance_uuid)s failed: %(reason)s"


class HypervisorUnavailable(NovaCoreException):
    msg_fmt = "Connection to the hypervisor is broken on host %(host)s."


# -- plugins --------------------------------------------------------------------

class PluginLoadError(ConfigurationError):
    msg_fmt = ("Cannot load plugin %(name)s from namespace %(namespace)s: "
               "%(reason)s")


# -- rpc (nova_core/rpc.py) -----------------------------------------------------

class RemoteError(NovaCoreException):
    """A remote endpoint raised something that is not a nova_core exception."""

    msg_fmt = ("%(method)s on %(topic)s failed remotely with %(exc_type)s: "
               "%(value)s")


class MessagingError(NovaCoreException):
    msg_fmt = "Sending %(method)s to %(topic)s failed: %(reason)s"


# -- API and cell databases (nova_core/db) --------------------------------------

class MarkerNotFound(NotFound):
    msg_fmt = "Marker %(marker)s could not be found."


class InstanceExists(Exists):
    msg_fmt = "Instance %(uuid)s already exists."


class InstanceMappingExists(Exists):
    msg_fmt = "Instance %(uuid)s already has an instance mapping."


class ComputeNodeExists(Exists):
    msg_fmt = "Compute node %(node)s on host %(host)s already exists."


class InstanceGroupExists(Exists):
    msg_fmt = "Server group %(group_uuid)s already exists."


class AggregateExists(Exists):
    msg_fmt = "Aggregate %(name)s already exists."


class InstanceActionNotFound(NotFound):
    msg_fmt = ("Action for request %(request_id)s on instance %(instance_uuid)s "
               "not found.")


class InstanceActionEventNotFound(NotFound):
    msg_fmt = "Event %(event)s of action %(action_id)s not found."


class ComputeHostMetricNotFound(NotFound):
    """A weighed metric (``[metrics] weight_setting``) is not reported by a
    host while ``[metrics] required`` is set."""

    msg_fmt = ("Metric %(name)s could not be found on the compute host "
               "node %(host)s.%(node)s.")


# -- images (nova_core/image) and networks (nova_core/network) ----------------

class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class ImageExists(Exists):
    msg_fmt = "Image with identifier %(image_id)s already exists!"


class ImageNotActive(Invalid):
    msg_fmt = "Image %(image_id)s is not active."


class ImageProtected(Forbidden):
    msg_fmt = "Image %(image_id)s is protected and cannot be deleted."


class FlavorDiskTooSmall(Invalid):
    msg_fmt = "The created instance's disk would be too small."


class FlavorDiskSmallerThanImage(FlavorDiskTooSmall):
    msg_fmt = ("Flavor's disk is too small for requested image. Flavor disk "
               "is %(flavor_size)i bytes, image is %(image_size)i bytes.")


class FlavorDiskSmallerThanMinDisk(FlavorDiskTooSmall):
    msg_fmt = ("Flavor's disk is too small for requested image. Flavor disk "
               "is %(flavor_size)i bytes, minimum size is %(image_min_disk)i "
               "bytes.")


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = "Flavor's memory is too small for requested image."


class NetworkNotFound(NotFound):
    msg_fmt = "Network %(network_id)s could not be found."


class FixedIpAlreadyInUse(Invalid):
    msg_fmt = ("Fixed IP address %(address)s is already in use on instance "
               "%(instance_uuid)s.")


class FixedIpInvalid(Invalid):
    msg_fmt = ("Fixed IP address %(address)s is not a usable address of "
               "network %(network)s.")


class NoMoreFixedIps(Conflict):
    msg_fmt = "No fixed IP addresses available for network: %(net)s"
