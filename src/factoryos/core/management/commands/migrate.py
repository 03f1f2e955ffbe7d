"""Django's ``migrate``, connected as the owner role when ``DATABASE_OWNER_URL`` is set (kernel/dbroles.py).

Every migration, its ``RunPython`` steps and the ``post_migrate`` hooks (row-level security, the application role's
grants) then run as the role that owns the schema; the application role never needs to own anything."""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as DjangoMigrate

from factoryos.kernel.dbroles import app_role, as_owner, schema_owner_elsewhere


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Connects as the owner role when DATABASE_OWNER_URL is set."

    def handle(self, *args, **options):
        database = options["database"]
        with as_owner(database):
            owner = schema_owner_elsewhere(database)
            if owner and app_role(database) is None:
                raise CommandError(
                    f"the schema belongs to the role {owner}: run migrate with DATABASE_OWNER_URL connecting as "
                    f"{owner} (README: PostgreSQL)"
                )
            if owner:  # migrated with one role until now
                raise CommandError(
                    f"the schema belongs to the role {owner}, not DATABASE_OWNER_URL's: as a superuser run "
                    f"REASSIGN OWNED BY {owner} TO <the owner role> (README: PostgreSQL)"
                )
            return super().handle(*args, **options)
