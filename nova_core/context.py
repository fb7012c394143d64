"""Request context: who is calling, and which database the call targets."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """An oslo.context RequestContext that also knows its database and policy.

    ``db`` is the database object of the service handling the request (for
    placement, its ``PlacementDatabase``); the service sets it. ``authorizer``
    is a callable ``(context, action, target)`` that raises
    ``exception.PolicyNotAuthorized``; the API layer sets it, so that this
    module needs no policy engine of its own.
    """

    def __init__(self, *args, db=None, authorizer=None, config=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.db = db
        self.authorizer = authorizer
        self.config = config

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
            db=self.db, authorizer=self.authorizer, config=self.config)
        return ctx


def get_admin_context(db=None, config=None):
    """A context for services and command-line tools acting on their own."""
    return RequestContext(user_id=None, project_id=None, is_admin=True,
                          roles=['admin'], overwrite=False, db=db,
                          config=config)
