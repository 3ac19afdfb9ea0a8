from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("jobs/<int:pk>/<slug:slug>/", views.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/<slug:slug>/report/", views.JobReportView.as_view(), name="job_report"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company_detail"),
]
