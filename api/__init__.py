"""The HTTP and GraphQL layer: `api.app.create_app(settings)`, run by `python -m api`."""
