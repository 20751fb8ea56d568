"""GraphQL types: one module per type, each wrapping a record it keeps private."""
