# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Jobs whose server stopped under them are run again, once.

Replies to messengers and email leave through queue_job. With several Odoo
servers, or one restarted by a crash (``kill -9``, the OOM killer, a lost
machine), queue_job 11 leaves two holes:

- a job whose worker died while it ran stays ``started`` for ever, and the
  runner, when it starts again, counts it as running: the ``root.livechat``
  channel (capacity 1) then delivers nothing more;
- ``/queue_job/runjob`` reads the job's state and marks it started in two
  steps (queue_job's own TODO), so two requests for one job (the runner
  sent it again after a requeue) can both run it.

What is done here:

- ``/queue_job/runjob`` claims the job under a row lock
  (:meth:`QueueJob._livechat_claim`): of two requests for one job, the
  second sees it started and does nothing;
- while a job runs, its transaction holds a PostgreSQL advisory lock named
  by the job (:meth:`QueueJob._livechat_hold`). PostgreSQL releases it when
  that transaction ends, whether it committed, rolled back or its process
  was killed. So a ``started`` job whose lock is free is a job whose worker
  is gone: :meth:`QueueJob._livechat_requeue_dead` (a cron, every minute,
  on whichever server takes it) puts it back in the queue. Jobs
  ``enqueued`` for a minute without being claimed (the runner died after
  enqueuing them) are put back too; the claim makes that safe.

Only the jobs of the project's channel (``root.livechat`` and below) are
requeued: they are written to be run again (a reply already marked sent is
never sent again). Other addons' jobs are left to queue_job's own cron.

What this cannot settle: a worker killed after the provider accepted a
reply and before its transaction committed. The reply is then sent again
when its job runs again (at least once, never lost); Telegram and WhatsApp
offer no key that would let them drop the second copy.
"""
import logging

import psycopg2

from odoo import api, models

from odoo.addons.queue_job.job import ENQUEUED, STARTED

_logger = logging.getLogger(__name__)

#: First key of the advisory locks held by running jobs ("LC"); the second
#: is the job's id.
LOCK_SPACE = 0x4C43
#: A started job's lock is taken by the statement after the one that marks
#: it started; a job started this recently is left alone.
STARTED_GRACE = 10
#: A job enqueued and not claimed for this long was lost with its runner
#: (or its request): it is queued again.
ENQUEUED_GRACE = 60
#: The project's jobs: the channel and its sub-channels.
CHANNEL = "root.livechat"


class QueueJob(models.Model):
    _inherit = "queue.job"

    @api.model
    def _livechat_claim(self, uuid):
        """Lock the job ``uuid``'s row and return its id if it is waiting to
        be run (enqueued), else None: another request has it, or it was
        done or cancelled meanwhile. The caller marks it started and
        commits, which ends the lock."""
        try:
            # SKIP LOCKED: a request finding the row locked does not wait
            # for the other to run the job. Odoo's transactions are
            # REPEATABLE READ: a row started and committed by the other
            # since this one's snapshot is a serialization failure, the
            # same answer.
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """SELECT id, state FROM queue_job WHERE uuid = %s
                       FOR UPDATE SKIP LOCKED""",
                    (uuid,),
                    log_exceptions=False,
                )
                row = self.env.cr.fetchone()
        except psycopg2.extensions.TransactionRollbackError:
            return None
        if not row or row[1] != ENQUEUED:
            return None
        return row[0]

    @api.model
    def _livechat_hold(self, job_id):
        """Mark, for the rest of this transaction, that job ``job_id`` is
        being run by a living process."""
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SPACE, job_id)
        )

    @api.model
    def _livechat_requeue_dead(self):
        """Queue again the project's jobs whose worker is gone (started, and
        nobody holds their lock) or whose runner lost them (enqueued for
        :data:`ENQUEUED_GRACE` seconds). Returns the requeued jobs."""
        cr = self.env.cr
        cr.execute(
            """SELECT id, state, date_started FROM queue_job
               WHERE (channel = %(channel)s OR channel LIKE %(below)s)
                 AND ((state = %(started)s AND date_started < now()
                       AT TIME ZONE 'UTC' - %(started_grace)s * interval '1 s')
                   OR (state = %(enqueued)s AND date_enqueued < now()
                       AT TIME ZONE 'UTC' - %(enqueued_grace)s * interval '1 s'))
               ORDER BY id""",
            {
                "channel": CHANNEL,
                "below": CHANNEL + ".%",
                "started": STARTED,
                "enqueued": ENQUEUED,
                "started_grace": STARTED_GRACE,
                "enqueued_grace": ENQUEUED_GRACE,
            },
        )
        dead = []
        for job_id, state, date_started in cr.fetchall():
            # Taken, the lock stays with this transaction: the job cannot be
            # claimed and started again before the requeue is committed.
            cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_SPACE, job_id))
            if not cr.fetchone()[0]:
                continue  # its worker is running it
            # Read again under the row lock: it may have ended, or (enqueued)
            # been claimed and started, since the list was read.
            cr.execute(
                """SELECT state, date_started FROM queue_job WHERE id = %s
                   FOR UPDATE SKIP LOCKED""",
                (job_id,),
            )
            if cr.fetchone() == (state, date_started):
                dead.append(job_id)
        jobs = self.browse(dead)
        for job in jobs:
            _logger.warning(
                "Job %s (%s) was %s by a process that is gone: queued again.",
                job.uuid,
                job.name,
                job.state,
            )
        jobs.requeue()
        return jobs
