"""The dashboards app's models, one module a sub-domain; import them from here."""
