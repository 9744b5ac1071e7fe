from django.contrib import admin

from gemeinsinn.accounts.models import ConsentRecord, RoleGrant, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = [
        "email",
        "first_name",
        "last_name",
        "home_municipality",
        "is_active",
        "is_staff",
        "date_joined",
    ]
    list_filter = ["is_active", "is_staff", "home_municipality"]
    search_fields = ["email", "first_name", "last_name"]
    exclude = ["password"]
    readonly_fields = ["public_id", "last_login", "date_joined", "deleted_at"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin[RoleGrant]):
    list_display = ["user", "role", "municipality", "county", "state", "created_at"]
    list_filter = ["role"]
    raw_id_fields = ["user"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    list_display = ["user", "purpose", "version", "granted", "created_at"]
    list_filter = ["purpose", "granted"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
