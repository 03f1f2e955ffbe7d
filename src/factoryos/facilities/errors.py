"""Error codes of sites, work centers and calendars."""

from factoryos.kernel.errors import ErrorCode


class FacilitiesError(ErrorCode):
    CALENDAR_OF_OTHER_SITE = "calendar_of_other_site"
