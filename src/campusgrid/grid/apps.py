from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "campusgrid.grid"
    label = "grid"
    verbose_name = "网格"

    def ready(self):
        from campusgrid.core.scoping import register_scope_resolver, register_scope_rule

        from .scope import compile_scope, rooms_of_scope

        # The base models' scope rules that need people and org (core knows neither).
        register_scope_resolver(compile_scope)
        register_scope_rule("room", rooms_of_scope)

        from . import hooks

        hooks.register()
