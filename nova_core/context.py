"""Request context: who is calling, and which database the call targets."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """An oslo.context RequestContext that also knows its database and policy.

    ``db`` is the database object of the service handling the request (for
    placement, its ``PlacementDatabase``); the service sets it. ``authorizer``
    is a callable ``(context, action, target)`` that raises
    ``exception.PolicyNotAuthorized``; the API layer sets it, so that this
    module needs no policy engine of its own.

    Cell targeting (``nova_core.db.cells.target_cell``) sets ``cell_uuid``,
    ``db_connection`` (the cell's database object) and ``mq_connection``
    (the cell's transport URL); RPC clients send on ``mq_connection`` when
    it is set, the service's own transport otherwise. None of these travels
    over RPC: a receiving service binds its own.
    """

    def __init__(self, *args, db=None, authorizer=None, config=None,
                 cell_uuid=None, db_connection=None, mq_connection=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.db = db
        self.authorizer = authorizer
        self.config = config
        self.cell_uuid = cell_uuid
        self.db_connection = db_connection
        self.mq_connection = mq_connection

    def can(self, action, target=None):
        """Raise PolicyNotAuthorized unless *action* is allowed on *target*.

        The default target is the caller's own project and user, as in
        upstream OpenStack services.
        """
        if target is None:
            target = {'project_id': self.project_id, 'user_id': self.user_id}
        if self.authorizer is None:
            raise RuntimeError('no policy authorizer on this context')
        return self.authorizer(self, action, target)

    def elevated(self):
        """A copy with the admin role, for internal work on behalf of a call."""
        ctx = self.__class__(
            user_id=self.user_id, project_id=self.project_id,
            roles=list(set(self.roles) | {'admin'}), is_admin=True,
            request_id=self.request_id, global_request_id=self.global_request_id,
            db=self.db, authorizer=self.authorizer, config=self.config,
            cell_uuid=self.cell_uuid, db_connection=self.db_connection,
            mq_connection=self.mq_connection)
        return ctx

    def copy(self):
        """A shallow copy, so that targeting it leaves this one alone."""
        ctx = self.__class__.from_dict(
            self.to_dict(), db=self.db, authorizer=self.authorizer,
            config=self.config)
        ctx.cell_uuid = self.cell_uuid
        ctx.db_connection = self.db_connection
        ctx.mq_connection = self.mq_connection
        return ctx


def get_admin_context(db=None, config=None):
    """A context for services and command-line tools acting on their own."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          roles=['admin'], overwrite=False, db=db,
                          config=config)
