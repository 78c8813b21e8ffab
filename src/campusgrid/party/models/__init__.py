"""The party app's models, one module a sub-domain; import them from here."""
