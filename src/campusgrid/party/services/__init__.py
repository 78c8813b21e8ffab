"""The party app's services, one module a sub-domain (import from the module: `services.assess`, …)."""
