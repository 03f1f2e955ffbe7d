from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "factoryos.accounts"
    label = "accounts"

    def ready(self) -> None:
        from factoryos.accounts import signals  # noqa: F401
        from factoryos.kernel.fields import register_encrypted_file

        register_encrypted_file("accounts.User", "photo")
