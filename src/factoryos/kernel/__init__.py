"""The kernel: what every other package stands on, importing none of them.

Tenancy (the scoped manager and row-level security), encryption (keyring, fields, file streams), the permission
map and its guard, domain errors, and input validators.
"""
