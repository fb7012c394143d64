"""HTTP plumbing shared by every nova_core WSGI app.

Requests, routing as data, microversion negotiation, authentication,
policy, fault translation and request logging live here; the apps
(placement, compute) bring their route tables, error tables and policies.
"""
