from django.apps import AppConfig


class GridConfig(AppConfig):
    name = "campusgrid.grid"
    label = "grid"
    verbose_name = "网格"

    def ready(self):
        from campusgrid.core.scoping import register_scope_resolver

        from .scope import compile_scope

        register_scope_resolver(compile_scope)

        from . import ui

        ui.register()
