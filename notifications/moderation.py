"""Wagtail's emails when a page is submitted for moderation: one per person.

Wagtail sends two on a submission: "submitted to the workflow" to every superuser,
and "awaits your moderation at this task" to the task's group and, again, every
superuser. A superuser therefore got both (issue 13). The second says all the first
does and more: the first now goes only to the superusers the task does not notify
(none, with this site's workflow)."""

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import WorkflowState
from wagtail.signals import workflow_submitted

# Wagtail's dispatch_uid (wagtail/admin/signal_handlers.py): connecting under the same
# one replaces its receiver whichever app is made ready first.
DISPATCH_UID = "workflow_state_submitted_email_notification"


class WorkflowSubmissionEmailNotifier(WorkflowStateSubmissionEmailNotifier):
    task_notifier = GroupApprovalTaskStateSubmissionEmailNotifier()

    def get_recipient_users(self, workflow_state, **kwargs):
        recipients = super().get_recipient_users(workflow_state, **kwargs)
        task_state = workflow_state.current_task_state
        if task_state is not None and self.task_notifier.can_handle(task_state):
            told = self.task_notifier.get_recipient_users(task_state, **kwargs)
            recipients = recipients.exclude(pk__in=told.values("pk"))
        return recipients


notifier = WorkflowSubmissionEmailNotifier()


def use_one_submission_email():
    workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid=DISPATCH_UID)
    workflow_submitted.connect(notifier, sender=WorkflowState, dispatch_uid=DISPATCH_UID)
