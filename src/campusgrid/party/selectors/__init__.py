"""The party app's selectors, one module a sub-domain (import from the module: `selectors.assess`, …)."""
