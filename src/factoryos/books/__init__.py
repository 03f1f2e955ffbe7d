"""Book: customer invoices, credit notes, supplier bills, payments, reports and the journal export."""
