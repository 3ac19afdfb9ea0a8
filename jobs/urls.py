from django.urls import path

from jobs import alert_views, feeds, legal, saved, views
from jobs.caching import candidate_page
from jobs.facets import facets_valid_until

app_name = "jobs"


def shared(view, parameters: tuple[str, ...] = ()):
    """A candidate page served from the shared cache, never past its language's next expiry,
    keyed by the query `parameters` it reads and no others."""
    return candidate_page(view.as_view(), fresh_until=facets_valid_until, parameters=parameters)


urlpatterns = [
    path("", shared(views.JobListView, views.LIST_PARAMETERS), name="job_list"),
    path("feed/rss/", feeds.JobListFeed(), name="job_feed_rss"),
    path("feed/atom/", feeds.JobListAtomFeed(), name="job_feed_atom"),
    path("jobs/<int:pk>/<slug:slug>/", shared(views.JobDetailView), name="job_detail"),
    path("jobs/<int:pk>/<slug:slug>/report/", views.JobReportView.as_view(), name="job_report"),
    path(
        "companies/<slug:slug>/", shared(views.CompanyDetailView, ("page",)), name="company_detail"
    ),
    path("companies/<slug:slug>/feed/rss/", feeds.CompanyFeed(), name="company_feed_rss"),
    path("companies/<slug:slug>/feed/atom/", feeds.CompanyAtomFeed(), name="company_feed_atom"),
    path("saved/", saved.SavedView.as_view(), name="saved"),
    path("alerts/", alert_views.AlertSubscribeView.as_view(), name="alert_subscribe"),
    path("alerts/pending/", alert_views.AlertPendingView.as_view(), name="alert_pending"),
    path("alerts/confirm/<str:token>/", alert_views.alert_confirm, name="alert_confirm"),
    path(
        "alerts/unsubscribe/<str:token>/", alert_views.alert_unsubscribe, name="alert_unsubscribe"
    ),
    path("accessibility/", legal.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", legal.PrivacyNoticeView.as_view(), name="privacy"),
    path("transparency/", legal.TransparencyReportView.as_view(), name="transparency"),
    path("privacy/my-data/", legal.MyDataRequestView.as_view(), name="my_data_request"),
    path("privacy/my-data/<str:token>/", legal.my_data, name="my_data"),
    path("privacy/my-data/<str:token>/export/", legal.my_data_export, name="my_data_export"),
]
