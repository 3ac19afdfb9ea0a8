from django.contrib import admin

from locales.models import ExchangeRate, Region
from locales.services import exchange_rate_set


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "per_euro", "updated_at"]
    search_fields = ["currency"]

    def save_model(self, request, obj, form, change):
        exchange_rate_set(currency=obj.currency, per_euro=obj.per_euro)
