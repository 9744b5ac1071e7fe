from django.contrib import admin

from gemeinsinn.actors.models import Membership, Organisation


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "municipality", "type", "sector", "status"]
    list_filter = ["municipality", "type", "sector", "status"]
    search_fields = ["name"]
    inlines = [MembershipInline]
