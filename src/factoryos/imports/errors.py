"""Error codes of imports and exports."""

from factoryos.kernel.errors import ErrorCode


class ImportsError(ErrorCode):
    BAD_FILE = "bad_file"
    UNKNOWN_KIND = "unknown_kind"
    BAD_FORMAT = "bad_format"
