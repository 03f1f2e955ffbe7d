"""Ship: shipments from sales orders (lots suggested first-expiry-first), packing slips, customer returns."""
