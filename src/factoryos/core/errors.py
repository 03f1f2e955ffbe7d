"""Error codes of organizations, members, roles and invitations."""

from factoryos.kernel.errors import ErrorCode


class OrgError(ErrorCode):
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    BAD_COUNTRY = "bad_country"
    BAD_CURRENCY = "bad_currency"
    UNKNOWN_TAX_ID_TYPE = "unknown_tax_id_type"
    ROLE_NAME_TAKEN = "role_name_taken"
    ROLE_NAME_RESERVED = "role_name_reserved"
    UNKNOWN_PERMISSION = "unknown_permission"
    UNKNOWN_ROLE = "unknown_role"
    ROLE_IN_USE = "role_in_use"
    OWNER_ONLY = "owner_only"
    LAST_OWNER = "last_owner"
    BAD_EMAIL = "bad_email"
    ALREADY_MEMBER = "already_member"
    INVITATION_NOT_PENDING = "invitation_not_pending"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_INVALID = "invitation_invalid"
    WRONG_INVITEE = "wrong_invitee"
