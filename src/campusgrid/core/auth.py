"""Authentication: Django's backend, loading the user's student or staff record with
the user (one query instead of three on every request; scoping needs both); API tokens
that expire."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import clock


class Backend(ModelBackend):
    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            # The signed-in student's ID number stays encrypted until asked for: decrypting it
            # on every request (Fernet) is CPU no page spends it on. The student's bed (its
            # room) comes along: a student's pages ask where they sleep (舆情, 查寝).
            user = (
                UserModel._default_manager.select_related("student__bed", "staff")
                .defer("student__id_number")
                .get(pk=user_id)
            )
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class TokenExpired(exceptions.AuthenticationFailed):
    keeps_detail = True  # core.api.exception_handler shows this message as is
    default_detail = "令牌已过期，请在“个人设置”页面生成新的令牌。"


def token_expires_at(token) -> dt.datetime:
    return token.created + dt.timedelta(days=settings.CAMPUSGRID_TOKEN_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token (`Authorization: Token <key>`, `drf_create_token`), refused (401)
    CAMPUSGRID_TOKEN_DAYS after it was created; its owner makes a new one on the profile page."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if clock.now() >= token_expires_at(token):
            raise TokenExpired()
        return user, token
