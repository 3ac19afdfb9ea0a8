from django.shortcuts import redirect
from django.utils import translation
from django.views.generic import DetailView, ListView

from jobs import selectors


class JobListView(ListView):
    template_name = "jobs/job_list.html"
    context_object_name = "postings"
    paginate_by = 20

    def get_queryset(self):
        return selectors.job_list(language=translation.get_language())


class JobDetailView(DetailView):
    template_name = "jobs/job_detail.html"
    context_object_name = "posting"

    def get_queryset(self):
        return selectors.job_detail_queryset()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # One address per posting: its own language and its current slug.
        if (
            self.object.language != translation.get_language()
            or self.object.slug != kwargs["slug"]
        ):
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))
