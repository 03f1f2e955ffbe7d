"""Error codes of partners."""

from factoryos.kernel.errors import ErrorCode


class PartnerError(ErrorCode):
    NO_ROLE = "partner_without_role"
