"""The admin site. Outside tracker.admin, which registers the models on it:
Django builds the default site lazily, on the first registration."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class NewsroomOTPAuthenticationForm(OTPAdminAuthenticationForm):
    """Password and the authenticator app's code in one step: each staff
    member has one app (enrol_totp), so they are not asked to pick it."""

    def clean_otp(self, user):
        if user is not None and not self.cleaned_data.get("otp_device"):
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                self.cleaned_data["otp_device"] = devices[0].persistent_id
        try:
            return super().clean_otp(user)
        except ValidationError:
            if self.cleaned_data.get("otp_token"):
                # A code refused (wrong, or tried again before django-otp's
                # pause after a wrong one) is a failed sign-in, like a wrong
                # password: django-axes counts it towards the lockout, or a
                # stolen password would leave the six digits open to guessing.
                user_login_failed.send(
                    sender=type(self),
                    credentials={"username": user.get_username()},
                    request=self.request,
                )
            raise


class NewsroomAdminSite(OTPAdminSite):
    """The newsroom's admin. When settings.OTP_REQUIRED (production), only
    staff who signed in with a code from their enrolled authenticator app
    (`manage.py enrol_totp`) get in; a password alone is not enough."""

    site_header = "Conflict tracker newsroom"
    site_title = "Newsroom"
    index_title = "Newsroom"
    index_template = "admin/newsroom_index.html"
    # How many events each list of the front page shows.
    DASHBOARD_ROWS = 10

    def __init__(self, name="admin"):
        super().__init__(name)

    # Read at each request, so tests and development can switch it off.
    @property
    def login_form(self):
        return NewsroomOTPAuthenticationForm if settings.OTP_REQUIRED else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.OTP_REQUIRED else None

    def index(self, request, extra_context=None):
        """The front page is the newsroom's desk: what waits for review and
        the person's own drafts, then the records; the site's own
        administration (accounts, lockouts, authenticator devices) comes last."""
        from tracker.models import Event

        apps = self.get_app_list(request)
        context = {
            "records": [app for app in apps if app["app_label"] == "tracker"],
            "administration": [app for app in apps if app["app_label"] != "tracker"],
        }
        if request.user.has_perm("tracker.view_event"):
            waiting = Event.objects.waiting_for_review().select_related("conflict")
            drafts = Event.objects.drafted_by(request.user).select_related("conflict")
            context |= {
                "waiting": list(waiting[: self.DASHBOARD_ROWS]),
                "waiting_count": waiting.count(),
                "drafts": list(drafts.order_by("-updated_at")[: self.DASHBOARD_ROWS]),
                "drafts_count": drafts.count(),
            }
        return super().index(request, {**context, **(extra_context or {})})

    def has_permission(self, request):
        if settings.OTP_REQUIRED:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
