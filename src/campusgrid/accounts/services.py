"""Writes of the campus sign-in: binding a WeCom id, the message opt-out, import defaults."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from campusgrid.core import clock
from campusgrid.core.audit import audit_record

from .models import WeComAccount


class BindError(Exception):
    """A WeCom binding refused; the message is for the person."""


def wecom_account_of(user) -> WeComAccount | None:
    return WeComAccount.objects.filter(user=user).first()


def wecom_user_for(userid: str):
    """The active account a WeCom user id signs in as, or None."""
    account = (
        WeComAccount.objects.filter(userid=userid, user__is_active=True).select_related("user").first()
        if userid
        else None
    )
    return account.user if account else None


def wecom_bind(*, actor, userid: str) -> WeComAccount:
    """The signed-in user proves, through WeCom OAuth, that `userid` is theirs. Once: an
    account that has a WeCom id keeps it until it is unbound."""
    userid = (userid or "").strip()
    if not userid:
        raise BindError("企业微信没有返回账号，请在企业微信中重试")
    try:
        with transaction.atomic():
            # Lock the row: a double-clicked bind must not write twice.
            account = WeComAccount.objects.select_for_update().filter(user=actor).first()
            if account is not None and account.userid:
                if account.userid == userid:
                    return account
                raise BindError("您的账号已绑定其他企业微信账号，请先解除绑定")
            if account is None:
                account = WeComAccount(user=actor)
            account.userid, account.source, account.updated_at = (
                userid,
                WeComAccount.Source.BOUND,
                clock.now(),
            )
            # The unique constraint on userid catches a WeCom id that belongs to someone else,
            # including one bound by a concurrent request.
            account.save()
            audit_record(actor=actor, verb="wecom.bind", target=account, summary="绑定企业微信账号")
    except IntegrityError:
        raise BindError("该企业微信账号已与本系统的其他账号关联，请联系辅导员或学工部系统管理员")
    return account


def wecom_unbind(*, actor) -> None:
    with transaction.atomic():
        account = WeComAccount.objects.select_for_update().filter(user=actor).first()
        if account is None or not account.userid:
            return
        account.userid, account.updated_at = None, clock.now()
        account.save(update_fields=["userid", "updated_at"])
        audit_record(actor=actor, verb="wecom.unbind", target=account, summary="解除企业微信绑定")


def wecom_messages_set(*, actor, enabled: bool) -> WeComAccount:
    with transaction.atomic():
        account, _ = WeComAccount.objects.select_for_update().get_or_create(user=actor)
        if account.messages_enabled != enabled:
            account.messages_enabled = enabled
            account.updated_at = clock.now()
            account.save(update_fields=["messages_enabled", "updated_at"])
            audit_record(
                actor=actor,
                verb="wecom.messages",
                target=account,
                summary="开启企业微信消息" if enabled else "关闭企业微信消息",
            )
    return account


def message_recipients(users: Iterable) -> list[str]:
    """WeCom ids of those among `users` who have one and did not opt out (one query)."""
    ids = [u.pk for u in users]
    if not ids:
        return []
    return list(
        WeComAccount.objects.filter(user_id__in=ids, userid__isnull=False, messages_enabled=True)
        .exclude(userid="")
        .order_by("userid")
        .values_list("userid", flat=True)
    )


CHUNK = 2000


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def wecom_ids_of(user_ids: Iterable[int]) -> dict[int, str]:
    """User id → their WeCom id, for those who have one (the import's diff)."""
    out = {}
    for chunk in _chunks([u for u in set(user_ids) if u], CHUNK):
        rows = WeComAccount.objects.filter(user_id__in=chunk, userid__isnull=False)
        out.update(dict(rows.values_list("user_id", "userid")))
    return out


def wecom_id_holders(userids: Iterable[str]) -> dict[str, str]:
    """WeCom id → the user name of the account holding it (for the import's checks)."""
    out = {}
    for chunk in _chunks([u for u in set(userids) if u], CHUNK):
        out.update(
            dict(WeComAccount.objects.filter(userid__in=chunk).values_list("userid", "user__username"))
        )
    return out


def wecom_ids_from_import(rows: dict[int, str], *, explicit: set[int]) -> int:
    """Set WeCom ids from a roster/staff import: `rows` maps user id → WeCom id. An id given
    in the 企业微信账号 column (user ids in `explicit`) is written — the import has checked
    that no account outside the file holds it; the default (学号/工号) only fills an account
    that has none, and only with an id nobody holds. Returns how many accounts changed.
    Runs inside the import's transaction."""
    if not rows:
        return 0
    now = clock.now()
    accounts = {a.user_id: a for a in WeComAccount.objects.filter(user_id__in=list(rows))}
    holders = dict(
        WeComAccount.objects.filter(userid__in=list(rows.values())).values_list("userid", "user_id")
    )
    create, update = [], []
    for user_id, userid in rows.items():
        account = accounts.get(user_id)
        if account is not None and account.userid == userid:
            continue
        if user_id not in explicit and (
            (account is not None and account.userid) or holders.get(userid, user_id) != user_id
        ):
            continue  # the default never replaces an id, nor takes someone else's
        if account is None:
            create.append(WeComAccount(user_id=user_id, userid=userid, updated_at=now))
        else:
            account.userid, account.source, account.updated_at = userid, WeComAccount.Source.IMPORT, now
            update.append(account)
    taken_now = {u for u in (a.userid for a in create) if u in holders}
    # Ids swapping between accounts of this file: clear them first so that the unique
    # constraint does not see a moment where two accounts hold one id.
    for chunk in _chunks([a.pk for a in update], CHUNK):
        WeComAccount.objects.filter(pk__in=chunk).update(userid=None)
    for chunk in _chunks([a.userid for a in update] + list(taken_now), CHUNK):
        WeComAccount.objects.filter(userid__in=chunk).update(userid=None)
    WeComAccount.objects.bulk_update(update, ["userid", "source", "updated_at"], batch_size=500)
    WeComAccount.objects.bulk_create(create, batch_size=500)
    return len(create) + len(update)
