"""The newsroom's look: one page, changed by an administrator, seen by every
reader at once."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracker import newsroom
from tracker.models import NewsroomLook

from .base import HistoryAdmin


class NewsroomLookForm(forms.ModelForm):
    site_url = NewsroomLook._meta.get_field("site_url").formfield(assume_scheme="https")

    class Meta:
        model = NewsroomLook
        fields = ["name", "site_url", "logo", "accent_colour"]
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
            "accent_colour": forms.TextInput(attrs={"size": 8, "placeholder": "#a3122a"}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):
            return newsroom.checked_logo(logo)
        return logo  # the one stored, or False to clear it

    def save(self, commit=True):
        look = super().save(commit=False)
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "image_width"):
            look.logo_width, look.logo_height = logo.image_width, logo.image_height
        if commit:
            look.save()
        return look


@admin.register(NewsroomLook)
class NewsroomLookAdmin(HistoryAdmin, admin.ModelAdmin):
    """There is one look: its list opens it, and nobody deletes it. Only an
    administrator changes it, as it speaks for the whole newsroom."""

    form = NewsroomLookForm
    fieldsets = [
        (None, {"fields": ["name", "site_url", "logo"]}),
        (_("Colour"), {"fields": ["accent_colour", "dark_theme_accent"]}),
    ]
    readonly_fields = ["dark_theme_accent"]

    @admin.display(description=_("accent colour in the dark theme"))
    def dark_theme_accent(self, look):
        return look.accent_colour_dark or "-"

    def has_add_permission(self, request):
        # Not "and none exists": the admin's front page asks this of every
        # model, and should not query for it; add_view sends to the one look.
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if NewsroomLook.objects.filter(pk=NewsroomLook.SINGLETON).exists():
            target = reverse("admin:tracker_newsroomlook_change", args=[NewsroomLook.SINGLETON])
        elif self.has_add_permission(request):
            target = reverse("admin:tracker_newsroomlook_add")
        else:
            return super().changelist_view(request, extra_context)
        # "Save" returns to the list, which is this one page.
        return HttpResponseRedirect(target)

    def add_view(self, request, form_url="", extra_context=None):
        if NewsroomLook.objects.filter(pk=NewsroomLook.SINGLETON).exists():
            return HttpResponseRedirect(
                reverse("admin:tracker_newsroomlook_change", args=[NewsroomLook.SINGLETON])
            )
        return super().add_view(request, form_url, extra_context)
