from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from campusgrid.core.crypto import EncryptedTextField, rotate


class Command(BaseCommand):
    help = "用 CAMPUSGRID_FIELD_KEYS 的第一个密钥重新加密所有敏感字段（轮换密钥后运行）。"

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            names = [f.attname for f in fields]
            table = model._base_manager
            ids = list(table.values_list("pk", flat=True))
            for start in range(0, len(ids), 1000):
                with transaction.atomic():
                    # Read the raw ciphertext (no decryption in Python objects) and rotate it.
                    rows = table.filter(pk__in=ids[start : start + 1000]).values_list("pk", *names)
                    for pk, *values in rows:
                        table.filter(pk=pk).update(
                            **{
                                name: rotate(value)
                                for name, value in zip(names, values, strict=True)
                                if value
                            }
                        )
                        total += 1
            self.stdout.write(f"{model._meta.label}: {len(ids)} 行")
        self.stdout.write(f"完成，共处理 {total} 行")
