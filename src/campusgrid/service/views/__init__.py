"""The service app's pages; one module a sub-domain."""
