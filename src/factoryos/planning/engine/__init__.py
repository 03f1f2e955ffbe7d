"""Pure planning engines: plain data in, plain data out, no Django imports."""
