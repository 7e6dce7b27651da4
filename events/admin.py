from django.contrib import admin

from events.models import Event, TicketType


class TicketTypeInline(admin.TabularInline):
    model = TicketType
    extra = 1
    fields = ("name", "price", "capacity", "max_per_order", "sort_order", "sales_start", "sales_end")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "location", "status", "currency", "organiser")
    list_filter = ("status", "starts_at")
    search_fields = ("title", "location", "venue", "slug")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "starts_at"
    inlines = [TicketTypeInline]
    exclude = ("organiser",)

    def get_queryset(self, request):
        return super().get_queryset(request).owned_by(request.user).select_related("organiser")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.organiser = request.user
        super().save_model(request, obj, form, change)
