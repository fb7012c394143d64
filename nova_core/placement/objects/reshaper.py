"""The reshaper: move inventories and allocations between providers at once.

When a class of inventory moves (a root's VCPU to new NUMA children, say),
the inventories of several providers and the allocations of several
consumers change together, in one transaction, or not at all.

Inventory cannot be deleted while allocated, and allocations need
inventory, so the providers first get the union of their old and new
inventories, then the allocations are replaced (checked against that
union), and last the inventories are set to what was asked for (refused if
allocations remain on a class that goes). Every step bumps the generations
it should, as the inventory and allocation APIs do, so a client sees the
same generations as after the equivalent sequence of calls.
"""

import collections

from nova_core import exception
from nova_core.placement.objects import allocation as alloc_obj
from nova_core.placement.objects import inventory as inv_obj
from nova_core.placement.objects import resource_provider as rp_obj

# The new inventories of one provider, and the generation the client saw.
ProviderInventories = collections.namedtuple(
    'ProviderInventories', 'generation inventories')


def reshape(ctx, inventories, claims):
    """Replace inventories and allocations in one transaction.

    :param inventories: ``{provider uuid: ProviderInventories}``.
    :param claims: allocation.ConsumerAllocations of the consumers whose
        allocations change (consumer generations are always checked).
    :raises: ResourceProviderNotFound, ResourceProviderGenerationConflict,
        InvalidInventoryCapacity (reserved above total), ResourceClassNotFound,
        InventoryInUse, and what allocation.write raises.
    """
    alloc_obj.run_write(ctx, lambda conn: _reshape(
        conn, ctx.config, inventories, claims))


def _reshape(conn, config, inventories, claims):
    alloc_obj.lock_providers(conn, set(inventories) | {
        rp_uuid for claim in claims for rp_uuid in claim.allocations})
    providers = {}
    for uuid, wanted in inventories.items():
        provider = rp_obj.load_by_uuid(conn, uuid)
        if provider.generation != wanted.generation:
            raise exception.ResourceProviderGenerationConflict(
                rp=uuid, actual=provider.generation, given=wanted.generation)
        inv_obj.check_capacity(provider, wanted.inventories,
                               reserved_can_be_total=True)
        providers[uuid] = provider
    consumers = alloc_obj.prepare_consumers(conn, config, claims,
                                            check_generation=True)
    for uuid, wanted in inventories.items():
        # An empty list would only bump the generation: the final step
        # does the deleting.
        if wanted.inventories:
            inv_obj.merge_for_provider(conn, providers[uuid],
                                       wanted.inventories)
    alloc_obj.write_prepared(conn, claims, consumers)
    for uuid, wanted in inventories.items():
        # Read again: the steps above moved its generation.
        inv_obj.replace_for_provider(conn, rp_obj.load_by_uuid(conn, uuid),
                                     wanted.inventories)
