from django.apps import AppConfig
from django.contrib.auth import password_validation


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Build the password validators now: the common-password list is read once, at
        # start-up, and a missing list stops the boot.
        password_validation.get_default_password_validators()
