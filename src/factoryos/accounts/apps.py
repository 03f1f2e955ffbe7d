from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "factoryos.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.core import checks

        from factoryos.accounts import signals  # noqa: F401
        from factoryos.kernel import mail
        from factoryos.kernel.fields import register_encrypted_file
        from factoryos.web.context import register_notice

        register_encrypted_file("accounts.User", "photo")
        # manage.py check --deploy: the sign-in and reset links this app emails never travel in the clear.
        checks.register(mail.check_email_transport, checks.Tags.security, deploy=True)
        register_notice(mfa_notice, order=0)  # security first


def mfa_notice(request):
    """Until the person turns on two-factor authentication, the shell asks them to."""
    from django.urls import reverse

    if request.user.authenticator_set.filter(type="totp").exists():
        return None
    return {
        "level": "warn",
        "url": reverse("mfa_activate_totp"),
        "text": "Protect your account: turn on two-factor authentication.",
    }
