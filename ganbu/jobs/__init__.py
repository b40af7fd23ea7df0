"""Background import jobs: one machinery for every kind of import (issue 12; decision 0013).

An upload's request checks only the envelope of what was sent (sizes, counts) and queues an
``ImportJob``; the background worker (``ganbu worker``, started by ``ganbu serve``) runs the job's kind.
A kind may stop at a **preview** that its uploader confirms before anything is written.

Registering a kind — in a module named ``job_kinds`` of an installed app, or imported from one::

    from ganbu.jobs.kinds import Kind, register

    def preview(job, tracker):          # no writes; JSON stored in job.preview
        tracker.read(0, n)              # optional progress
        return {...}

    def apply(job, tracker):            # writes (durable transactions, audited, actor=job.created_by)
        tracker.start_writing(n); tracker.step(i)  # or tracker.written(i) inside one transaction
        tracker.report([...])           # optional per-item report, stored in job.result
        return imported_count

    def clean_choices(job, choices):    # optional: check the preview page's choices (ServiceError)
        return cleaned

    register(Kind(name="cadres", label="干部信息导入", preview=preview, apply=apply,
                  clean_choices=clean_choices, capability=Cap.REGISTRY_EDIT,
                  page=lambda job: reverse("web:...", args=[job.pk])))

Using it (``ganbu.jobs.services`` writes, ``ganbu.jobs.selectors`` reads):

- ``job_enqueue(actor=, kind=, data=, filename=, key=, params={...}, check=envelope_check)`` — the
  upload's request; ``params`` holds the upload's options (e.g. the unit for new cadres).
- ``job_get(user=, job_id= | key=, kind=)`` — the uploader's own job, else 404;
  ``jobs_recent(user=, kind=None)`` — their latest jobs of the kinds they may see.
- ``job_confirm(actor=, job_id=, choices={...})`` — the uploader's 确认导入 (404 for anyone else):
  who, when and the choices are kept on the job, and the apply step is queued.
  ``job_cancel`` drops a preview; ``job_retry`` queues an interrupted job again.
- ``job_interrupted``, ``job_percent``, ``job_errors``, ``job_label``, ``job_page`` — for pages.
- Tests: ``ganbu.jobs.worker.run_pending()`` runs every queued job in the test's thread.

States (``choices.JobStatus``): queued → reading → [previewed → (confirm) → queued → reading] →
writing → done, or failed (refused for its content, interrupted, cancelled, preview expired).
The score import (``ganbu.campaigns.excel``, kind ``scores``) has no preview step.
"""
