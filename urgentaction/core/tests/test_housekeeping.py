import logging

from urgentaction.core.housekeeping import Housekeeper, Job, registered


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def never() -> bool:
    return False


def test_it_runs_each_job_at_its_own_interval():
    runs = []
    clock = Clock()
    keeper = Housekeeper(
        [
            Job("often", lambda: runs.append("often"), every=60),
            Job("rarely", lambda: runs.append("rarely"), every=3600),
        ],
        clock=clock,
    )

    assert keeper.run_due(stop=never) == 2
    clock.now += 61
    assert keeper.run_due(stop=never) == 1
    clock.now += 3600
    assert keeper.run_due(stop=never) == 2

    assert runs == ["often", "rarely", "often", "often", "rarely"]


def test_a_job_that_raises_is_logged_backed_off_and_does_not_stop_the_others(caplog):
    runs = []
    clock = Clock()

    def broken():
        runs.append("broken")
        raise RuntimeError("database is locked")

    keeper = Housekeeper(
        [Job("broken", broken, every=60), Job("fine", lambda: runs.append("fine"), every=60)],
        clock=clock,
    )

    with caplog.at_level(logging.ERROR):
        keeper.run_due(stop=never)
    assert runs == ["broken", "fine"]
    assert "Housekeeping job broken failed" in caplog.text
    assert "RuntimeError: database is locked" in caplog.text  # with its traceback

    # Backed off: twice its interval after one failure, four times after two.
    clock.now += 61
    keeper.run_due(stop=never)
    assert runs == ["broken", "fine", "fine"]
    clock.now += 60
    keeper.run_due(stop=never)
    assert runs.count("broken") == 2
    clock.now += 3 * 60
    keeper.run_due(stop=never)
    assert runs.count("broken") == 2
    clock.now += 60
    keeper.run_due(stop=never)
    assert runs.count("broken") == 3


def test_a_job_that_recovers_is_back_on_its_interval():
    clock = Clock()
    failing = [True]
    runs = []

    def flaky():
        runs.append(clock.now)
        if failing[0]:
            raise RuntimeError

    keeper = Housekeeper([Job("flaky", flaky, every=60)], clock=clock)
    keeper.run_due(stop=never)
    failing[0] = False
    clock.now += 120
    keeper.run_due(stop=never)
    clock.now += 60
    keeper.run_due(stop=never)

    assert len(runs) == 3


def test_nothing_runs_once_the_worker_is_stopping():
    ran = []
    keeper = Housekeeper([Job("job", lambda: ran.append(1), every=60)], clock=Clock())

    assert keeper.run_due(stop=lambda: True) == 0
    assert ran == []


def test_each_app_registers_its_own_jobs():
    names = {job.name for job in registered()}

    assert {
        "urgentaction.actions.confirmation.send_reminders",
        "urgentaction.actions.confirmation.expire_unconfirmed",
        "urgentaction.actions.digests.schedule_digests",
        "urgentaction.actions.review.escalate_overdue",
        "urgentaction.letters.documents.remove_old_bundles",
        "urgentaction.letters.tasks.requeue_forgotten_bundles",
        "urgentaction.mailings.tasks.requeue_forgotten_updates",
        "urgentaction.privacy.retention.apply_retention",
        "urgentaction.privacy.retention.prune_sent_rows",
        "urgentaction.core.ratelimit.forget_old_counts",
        "urgentaction.core.housekeeping.prune_task_results",
        "urgentaction.campaigns.schedule.publish_and_close_due",
    } <= names
