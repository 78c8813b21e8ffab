"""Scoping contract entries of the campus sign-in pages: none shows anyone else's data."""

from tests.scoping.endpoints import Exempt

CONTRACT = {
    "accounts:profile": "the signed-in user's own account only (tests/accounts/test_profile.py)",
    "accounts:wecom-messages": "POST, changes the signed-in user's own opt-out only (test_profile.py)",
    "accounts:wecom-unbind": "POST, the signed-in user's own binding only (test_profile.py)",
    "accounts:wecom-login": "public start of WeCom sign-in; no data (tests/accounts/test_wecom.py)",
    "accounts:wecom-callback": "public end of WeCom sign-in; state and code checked (test_wecom.py)",
    # Present only when CAMPUSGRID_CAS_SERVER_URL is set (tests/accounts/urls_cas.py).
    "cas_ng_login": "public: CAS login / ticket validation / single-logout POST (test_cas.py)",
    "cas_ng_logout": "POST, ends the caller's own session (test_cas.py)",
}

# CAS's URLs exist only when CAS is configured: test_cas.py checks them against CONTRACT itself.
ENDPOINTS = [Exempt(name, reason) for name, reason in CONTRACT.items() if not name.startswith("cas_ng_")]
