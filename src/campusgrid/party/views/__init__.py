"""The party app's pages, one module a sub-domain."""
