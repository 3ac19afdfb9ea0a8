from django.urls import path

from jobs import feeds, views
from jobs.caching import candidate_page
from jobs.facets import facets_valid_until

app_name = "jobs"

urlpatterns = [
    path(
        "",
        candidate_page(views.JobListView.as_view(), fresh_until=facets_valid_until),
        name="job_list",
    ),
    path("feed/rss/", feeds.JobListFeed(), name="job_feed_rss"),
    path("feed/atom/", feeds.JobListAtomFeed(), name="job_feed_atom"),
    path(
        "jobs/<int:pk>/<slug:slug>/",
        candidate_page(views.JobDetailView.as_view(), fresh_until=facets_valid_until),
        name="job_detail",
    ),
    path("jobs/<int:pk>/<slug:slug>/report/", views.JobReportView.as_view(), name="job_report"),
    path(
        "companies/<slug:slug>/",
        candidate_page(views.CompanyDetailView.as_view(), fresh_until=facets_valid_until),
        name="company_detail",
    ),
    path("companies/<slug:slug>/feed/rss/", feeds.CompanyFeed(), name="company_feed_rss"),
    path("companies/<slug:slug>/feed/atom/", feeds.CompanyAtomFeed(), name="company_feed_atom"),
    path("alerts/", views.AlertSubscribeView.as_view(), name="alert_subscribe"),
    path("alerts/pending/", views.AlertPendingView.as_view(), name="alert_pending"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
]
