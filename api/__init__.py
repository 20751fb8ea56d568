"""The interfaces: the GraphQL API on Starlette, and the ``salon`` command line.

- GraphQL, one module per area holding its Query and Mutation classes (``organisation``,
  ``kpis``, ``gaps``, ``imports``, ``jobs``, ``salons``, ``privacy``), composed in ``schema``;
  one module per GraphQL type in ``types/``; per-request ``context`` and ``loaders``; the
  schema's extensions (``audit``, ``errors``, ``limits``, ``validation``).
- Who is asking: ``tokens`` (bearer tokens, minted and verified) and ``viewer`` (the viewer's
  scope: what a token's holder may see, enforced in the SQL).
- ``http/``: the Starlette side — the gate, security headers, pages, ``/healthz``, WebSocket.
- ``cli/``: the ``salon`` command. ``app`` puts the HTTP side and the schema together.
"""
