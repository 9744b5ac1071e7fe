from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gemeinsinn.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from gemeinsinn.accounts import privacy

        privacy.register()
        from gemeinsinn.accounts.notifications import register_privacy

        register_privacy()
        from gemeinsinn.core.outbox import register_personal_purposes

        register_personal_purposes("notification:")
        from gemeinsinn.core.audit import register_action_labels

        register_action_labels(
            {
                "account.created": _("Account created"),
                "account.signed_up": _("Signed up"),
                "account.profile_updated": _("Profile changed"),
                "account.exported": _("Personal data downloaded"),
                "account.deleted": _("Account deleted"),
                "consent.granted": _("Consent given"),
                "consent.withdrawn": _("Consent withdrawn"),
                "role.granted": _("Role given"),
                "role.revoked": _("Role removed"),
            }
        )
