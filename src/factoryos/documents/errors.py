"""Error codes of documents."""

from factoryos.kernel.errors import ErrorCode


class DocumentError(ErrorCode):
    NOT_A_PDF = "document_not_a_pdf"
    TOO_LARGE = "document_too_large"
    NO_VIEW_PERMISSION = "document_without_view_permission"
    NO_RECIPIENT = "document_without_recipient"
    FETCH_REFUSED = "document_fetch_refused"
