from django.contrib import admin

from urgentaction.supporters.models import Supporter


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "town", "country", "created_at"]
    list_filter = ["country", "created_at"]
    search_fields = ["first_name", "last_name", "email", "town", "postcode"]
    readonly_fields = ["email_hash", "created_at", "updated_at"]
