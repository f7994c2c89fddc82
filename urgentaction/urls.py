from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from urgentaction.actions import views as action_views
from urgentaction.campaigns import views as campaign_views
from urgentaction.letters import views as letter_views

campaign_patterns = (
    [
        path("", campaign_views.home, name="home"),
        path("actions/<slug:slug>/", campaign_views.campaign_page, name="detail"),
    ],
    "campaigns",
)
action_patterns = (
    [
        path("actions/<slug:slug>/thanks/", action_views.thanks, name="thanks"),
        path("actions/<slug:slug>/sent/", action_views.sent_it, name="sent"),
        path("confirm/<str:token>/", action_views.confirm_letter, name="confirm"),
    ],
    "actions",
)

letter_patterns = (
    [path("letters/<str:token>/letter.pdf", letter_views.download, name="download")],
    "letters",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include(campaign_patterns)),
    path("", include(action_patterns)),
    path("", include(letter_patterns)),
]
if settings.ANYMAIL_WEBHOOK_SECRET:
    urlpatterns.append(path("anymail/", include("anymail.urls")))
