"""The interfaces: the GraphQL API on Starlette, and the ``salon`` command line."""
