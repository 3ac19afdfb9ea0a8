"""Django admin for postings, one module per screen.

- `postings`: recruiters' and staff's postings (the change list, the form, renew, submit).
- `review`: the moderators' review queue and its decisions.
- `reports`: candidates' reports, grouped by posting.
- `audit`: every posting event, for staff.
- `complaints`: statements of reasons and recruiters' complaints against them (DSA).
- `common`: list filters, the decision page and the inlines they share.
"""

from jobs.admin import audit, complaints, postings, reports, review  # noqa: F401  (registers the model admins)
