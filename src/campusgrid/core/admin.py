from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are append-only: the admin may read and search, never add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "verb", "summary"]
    list_filter = ["verb"]
    search_fields = ["summary", "target_id"]
    date_hierarchy = "at"


# --- sign-in lockout (django-axes) ----------------------------------------------------------
# Axes registers its own admin (登录保护: failures, lockouts, sign-ins). The lockout list gets
# an action that unlocks, as `campusgrid axes_reset_username <学号>` does from the shell.
from axes.admin import AccessAttemptAdmin as _AxesAccessAttemptAdmin  # noqa: E402
from axes.models import AccessAttempt  # noqa: E402
from axes.utils import reset as _axes_reset  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from .audit import audit_record  # noqa: E402

if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockoutAdmin(_AxesAccessAttemptAdmin):
    actions = ["unlock", *_AxesAccessAttemptAdmin.actions]

    @admin.action(description="解除锁定（清除所选账号与地址的失败记录）")
    def unlock(self, request, queryset):
        usernames = sorted({a.username for a in queryset if a.username})
        addresses = sorted({a.ip_address for a in queryset if a.ip_address and not a.username})
        count = sum(_axes_reset(username=u) for u in usernames) + sum(_axes_reset(ip=ip) for ip in addresses)
        for user in get_user_model().objects.filter(username__in=usernames):
            audit_record(
                actor=request.user, verb="login_unlock", target=user, summary=f"解除登录锁定：{user.username}"
            )
        for ip in addresses:
            AuditEvent.objects.create(
                actor=request.user,
                verb="login_unlock",
                target_type="axes.accessattempt",
                target_id=ip,
                summary=f"解除登录锁定：地址 {ip}",
            )
        self.message_user(request, f"已解除锁定，清除了 {count} 条失败记录。")
