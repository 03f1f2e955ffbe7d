"""Error codes of people's accounts: profile, photo, API keys."""

from factoryos.kernel.errors import ErrorCode


class AccountError(ErrorCode):
    BAD_PHONE = "bad_phone"
    ACCOUNT_EXISTS = "account_exists"
    BAD_SCOPES = "bad_scopes"
    BAD_EXPIRY = "bad_expiry"
    KEY_REVOKED = "key_revoked"
