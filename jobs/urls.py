from django.urls import path

from jobs import feeds, legal, views
from jobs.caching import candidate_page

app_name = "jobs"

urlpatterns = [
    path("", candidate_page(views.JobListView.as_view()), name="job_list"),
    path("feed/rss/", feeds.JobListFeed(), name="job_feed_rss"),
    path("feed/atom/", feeds.JobListAtomFeed(), name="job_feed_atom"),
    path(
        "jobs/<int:pk>/<slug:slug>/",
        candidate_page(views.JobDetailView.as_view()),
        name="job_detail",
    ),
    path("jobs/<int:pk>/<slug:slug>/report/", views.JobReportView.as_view(), name="job_report"),
    path(
        "companies/<slug:slug>/",
        candidate_page(views.CompanyDetailView.as_view()),
        name="company_detail",
    ),
    path("companies/<slug:slug>/feed/rss/", feeds.CompanyFeed(), name="company_feed_rss"),
    path("companies/<slug:slug>/feed/atom/", feeds.CompanyAtomFeed(), name="company_feed_atom"),
    path("alerts/", views.AlertSubscribeView.as_view(), name="alert_subscribe"),
    path("alerts/pending/", views.AlertPendingView.as_view(), name="alert_pending"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="alert_confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert_unsubscribe"),
    path("accessibility/", legal.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", legal.PrivacyNoticeView.as_view(), name="privacy"),
    path("privacy/my-data/", legal.MyDataRequestView.as_view(), name="my_data_request"),
    path("privacy/my-data/<str:token>/", legal.my_data, name="my_data"),
    path("privacy/my-data/<str:token>/export/", legal.my_data_export, name="my_data_export"),
]
