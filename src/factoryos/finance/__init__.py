"""Finance foundations: money arithmetic, tax codes, exchange rates, gapless numbering, priced documents."""
