"""Error codes of employee records."""

from factoryos.kernel.errors import ErrorCode


class PeopleError(ErrorCode):
    NOT_A_MEMBER = "not_a_member"
    SKILL_LISTED_TWICE = "skill_listed_twice"
