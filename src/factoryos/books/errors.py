"""Error codes of invoices, credit notes, bills, payments and the book's reports."""

from factoryos.kernel.errors import ErrorCode


class BooksError(ErrorCode):
    NOT_A_CUSTOMER = "invoice_partner_not_customer"
    NOT_A_SUPPLIER = "bill_partner_not_supplier"
    NO_LINES = "book_document_without_lines"
    NOTHING_TO_INVOICE = "nothing_to_invoice"
    NOTHING_TO_BILL = "nothing_to_bill"
    CREDIT_TARGET = "credit_note_target"
    DUE_BEFORE_ISSUE = "due_before_issue"
    VOID_WITH_PAYMENTS = "void_with_payments"
    ORDER_NOT_OPEN = "order_not_invoiceable"
    OTHER_CUSTOMER = "order_of_other_customer"
    OTHER_SUPPLIER = "order_line_of_other_supplier"
    OVER_INVOICED = "over_invoiced"
    ALLOCATION_PARTNER = "allocation_other_partner"
    ALLOCATION_CURRENCY = "allocation_other_currency"
    ALLOCATION_DOCUMENT = "allocation_wrong_document"
    ALLOCATION_NOT_OPEN = "allocation_document_not_open"
    OVER_ALLOCATED = "over_allocated"
    OVER_PAID = "allocation_over_balance"
    MISMATCH_NEEDS_APPROVAL = "bill_mismatch_needs_approval"
    DATE_RANGE = "date_range_reversed"
    BAD_FORMAT = "report_bad_format"
    NOT_ISSUED = "invoice_not_issued"
