# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Jobs of a stopped server are run again, once (models/queue_job.py),
proven with real concurrent transactions: these tests commit their jobs in
cursors of their own and remove them in tearDown."""
import threading
import time

import odoo
from odoo.tests.common import TransactionCase, at_install, post_install

from odoo.addons.queue_job.job import ENQUEUED, PENDING, STARTED, Job


@at_install(False)
@post_install(True)
class TestDeadJobs(TransactionCase):
    def setUp(self):
        super(TestDeadJobs, self).setUp()
        self.registry = odoo.registry(self.env.cr.dbname)
        self.uuids = []

    def tearDown(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM queue_job WHERE uuid IN %s", (tuple(self.uuids),))
        super(TestDeadJobs, self).tearDown()

    def job(self, state, age, channel="root.livechat"):
        """A committed job of ``channel`` in ``state`` since ``age``
        seconds; returns its id."""
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            delayed = (
                env["livechat.message"]
                .browse()
                .with_delay(channel=channel)
                ._deliver_job()
            )
            self.uuids.append(delayed.uuid)
            cr.execute(
                """UPDATE queue_job SET state = %s,
                       date_enqueued = now() AT TIME ZONE 'UTC' - %s * interval '1 s',
                       date_started = CASE WHEN %s = 'started'
                           THEN now() AT TIME ZONE 'UTC' - %s * interval '1 s' END
                   WHERE uuid = %s RETURNING id""",
                (state, age, state, age, delayed.uuid),
            )
            return cr.fetchone()[0]

    def states(self, *ids):
        with self.registry.cursor() as cr:
            cr.execute("SELECT id, state FROM queue_job WHERE id IN %s", (ids,))
            found = dict(cr.fetchall())
        return [found[i] for i in ids]

    def requeue_dead(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            return env["queue.job"]._livechat_requeue_dead().ids

    def test_two_requests_for_one_job_start_it_once(self):
        job_id = self.job(ENQUEUED, 0)
        [uuid] = self.uuids
        barrier = threading.Barrier(2)
        claimed = []

        def runjob():
            # What /queue_job/runjob does before running the job.
            with odoo.api.Environment.manage(), self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                barrier.wait()
                found = env["queue.job"]._livechat_claim(uuid)
                if found:
                    time.sleep(0.3)  # the other request reaches the row now
                    job = Job.load(env, uuid)
                    job.set_started()
                    job.store()
                claimed.append(found)

        threads = [threading.Thread(target=runjob) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(sorted(claimed, key=bool), [None, job_id])
        self.assertEqual(self.states(job_id), [STARTED])

    def test_a_running_job_is_left_and_a_dead_one_queued_again(self):
        running = self.job(STARTED, 120)
        dead = self.job(STARTED, 120)
        lost = self.job(ENQUEUED, 120)
        just_started = self.job(STARTED, 0)
        just_enqueued = self.job(ENQUEUED, 0)
        others = self.job(STARTED, 120, channel="root")
        # A living worker's transaction holds its job.
        worker = self.registry.cursor()
        try:
            odoo.api.Environment(worker, odoo.SUPERUSER_ID, {})[
                "queue.job"
            ]._livechat_hold(running)
            self.assertEqual(sorted(self.requeue_dead()), sorted([dead, lost]))
            self.assertEqual(
                self.states(running, dead, lost, just_started, just_enqueued, others),
                [STARTED, PENDING, PENDING, STARTED, ENQUEUED, STARTED],
            )
        finally:
            # The worker is killed: PostgreSQL ends its transaction.
            worker.close()
        self.assertEqual(self.requeue_dead(), [running])
        self.assertEqual(self.states(running), [PENDING])

    def test_a_job_that_ended_while_the_cron_read_is_not_queued_again(self):
        job_id = self.job(ENQUEUED, 120)
        [uuid] = self.uuids
        # A late request claims and starts it while the cron runs: the cron
        # skips the row it cannot lock, and then sees it started anew.
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            self.assertEqual(env["queue.job"]._livechat_claim(uuid), job_id)
            self.assertEqual(self.requeue_dead(), [])
            job = Job.load(env, uuid)
            job.set_started()
            job.store()
        self.assertEqual(self.requeue_dead(), [])
        self.assertEqual(self.states(job_id), [STARTED])
