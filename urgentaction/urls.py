from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from urgentaction.actions import embed as embed_views
from urgentaction.actions import views as action_views
from urgentaction.api.api import api
from urgentaction.campaigns import views as campaign_views
from urgentaction.cases import views as case_views
from urgentaction.core import views as core_views
from urgentaction.core.admin_site import StaffAdminSite, TwoFactorAdminSite
from urgentaction.letters import views as letter_views
from urgentaction.lib.dispatch import by_method
from urgentaction.mailings import views as mailing_views
from urgentaction.pages import views as page_views
from urgentaction.privacy import views as privacy_views
from urgentaction.supporters import views as supporter_views

campaign_patterns = (
    [
        path("", campaign_views.home, name="home"),
        path(
            "actions/<slug:slug>/",
            by_method(read=action_views.campaign_page, write=action_views.submit),
            name="detail",
        ),
        re_path(
            r"^media/campaigns/(?P<name>[0-9a-f]{32}\.(?:jpg|png|webp))$",
            campaign_views.photo,
            name="photo",
        ),
    ],
    "campaigns",
)
action_patterns = (
    [
        path("actions/<slug:slug>/thanks/", action_views.thanks, name="thanks"),
        path("actions/<slug:slug>/sent/", action_views.sent_it, name="sent"),
        path("confirm/<str:token>/", action_views.confirm_letter, name="confirm"),
        # The action inside another site's page (actions/embed.py, static/ua/embed.js).
        path(
            "embed/actions/<slug:slug>/",
            by_method(read=embed_views.embed_page, write=embed_views.embed_submit),
            name="embed",
        ),
        path("embed/actions/<slug:slug>/thanks/", embed_views.embed_thanks, name="embed_thanks"),
        path("embed/actions/<slug:slug>/sent/", embed_views.embed_sent, name="embed_sent"),
    ],
    "actions",
)

# Staff sessions end on the server when staff sign out or leave them idle; with
# STAFF_TWO_FACTOR every admin page also needs a verified authenticator code.
admin.site.__class__ = TwoFactorAdminSite if settings.STAFF_TWO_FACTOR else StaffAdminSite

letter_patterns = (
    [path("letters/<str:token>/letter.pdf", letter_views.download, name="download")],
    "letters",
)

supporter_patterns = (
    [
        path("updates/", mailing_views.signup, name="signup"),
        path("updates/check-your-inbox/", mailing_views.signup_sent, name="signup_sent"),
        path("updates/confirm/<str:token>/", supporter_views.confirm, name="confirm"),
        path("updates/unsubscribe/<str:token>/", supporter_views.unsubscribe, name="unsubscribe"),
        path("updates/preferences/<str:token>/", supporter_views.preferences, name="preferences"),
    ],
    "supporters",
)

privacy_patterns = (
    [
        path("my-data/", privacy_views.my_data_request, name="my_data_request"),
        path("my-data/check-your-inbox/", privacy_views.my_data_sent, name="my_data_sent"),
        path("my-data/yours/", privacy_views.my_data, name="my_data"),
        path("my-data/yours/data.json", privacy_views.my_data_json, name="my_data_json"),
        path("my-data/yours/erase/", privacy_views.my_data_erase, name="my_data_erase"),
        path("my-data/yours/end/", privacy_views.my_data_end, name="my_data_end"),
        path("my-data/<str:token>/", privacy_views.my_data_open, name="my_data_open"),
    ],
    "privacy",
)

case_patterns = (
    [
        path("cases/stop/<str:token>/", case_views.stop, name="stop"),
        path("replies/thank-you/", case_views.answered, name="answered"),
        path("replies/<str:token>/", case_views.answer, name="answer"),
        path("targets/", case_views.targets, name="targets"),
        path("targets/<int:pk>/", case_views.target, name="target"),
        re_path(
            r"^media/responses/(?P<name>[0-9a-f]{32}\.pdf)$", case_views.document, name="document"
        ),
    ],
    "cases",
)

page_patterns = (
    [path("about/<slug:slug>/", page_views.page, name="detail")],
    "pages",
)

# Staff, the API and what no person reads (a challenge, a letter's PDF, whose language is
# the letter's own) keep one address; the public pages are in each of settings.LANGUAGES,
# the default at today's addresses and the others under /<code>/ (/ko/actions/<slug>/).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("challenge/", core_views.pow_challenge, name="pow_challenge"),
    path("", include(letter_patterns)),
    path("api/v1/", api.urls),
    *i18n_patterns(
        path("", include(campaign_patterns)),
        path("", include(action_patterns)),
        path("", include(supporter_patterns)),
        path("", include(privacy_patterns)),
        path("", include(case_patterns)),
        path("", include(page_patterns)),
        prefix_default_language=False,
    ),
]
if settings.ANYMAIL_WEBHOOK_SECRET:
    urlpatterns.append(path("anymail/", include("anymail.urls")))
