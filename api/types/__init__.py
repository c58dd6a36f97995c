"""GraphQL types, one module (or package) per domain, named as in `resolvers/` and `loaders/`."""
