# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""queue_job's ``/queue_job/runjob``, made safe for several servers: the
job is claimed under a row lock and held by its transaction while it runs
(``models/queue_job.py`` says why and what reads the hold)."""
import logging

from odoo.addons.queue_job.controllers.main import RunJobController

_logger = logging.getLogger(__name__)


class LivechatRunJobController(RunJobController):
    def _try_perform_job(self, env, job):
        """queue_job's steps (started, committed, performed, done,
        committed), with the claim before them and the hold around the
        work."""
        Jobs = env["queue.job"]
        job_id = Jobs._livechat_claim(job.uuid)
        if job_id is None:
            _logger.info("Job %s is not waiting to run any more: skipped.", job.uuid)
            env.cr.rollback()
            return
        job.set_started()
        job.store()
        env.cr.commit()
        Jobs._livechat_hold(job_id)
        job.perform()
        job.set_done()
        job.store()
        env.cr.commit()
