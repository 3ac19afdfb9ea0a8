"""Every write goes through a service; one module per capability.

- `postings`: the life cycle of a posting (create, save, publish, submit, edit, renew, expire,
  archive) and its audit trail. Every status change anywhere goes through it.
- `edits`: a moderator's direct edit, a submission withdrawn, a job closed as filled, a
  posting duplicated.
- `versions`: what a decision or a save was made on; stale ones are refused.
- `moderation`: moderators' decisions (approve, reject, request changes, take down).
- `reports`: candidates' reports and their dismissal.
- `alerts`: job alerts and their emails.
- `notices`: what a notifier hears (DSA Art. 16): the receipt and the decision.
- `statements`: statements of reasons for each refusal or take-down (DSA Art. 17).
- `complaints`: recruiters' complaints against a decision, and their outcome (DSA Art. 20).
"""
