"""Buy: requisitions, requests for quotation, purchase orders, receipts, returns to suppliers."""
