"""Alerts on publication only: a draft saved, submitted or previewed sends nothing."""

from django.dispatch import receiver

from wagtail.signals import page_published

from actions.models import ActionPage

from .models import ActionSnapshot, ActionUpdate, Delivery, Subscription, Target, source_page
from .texts import change_lines, in_language_of


@receiver(page_published, sender=ActionPage)
def alert_action_followers(sender, instance, revision=None, **kwargs):
    # The plan is written in French and translated: a translation published before
    # its steps are synchronised would read as steps undone. Only the French page's
    # publications tell what moved, to the followers of every language.
    if source_page(instance).pk != instance.pk:
        return
    changes = ActionSnapshot.changes_on_publish(instance, revision)
    if not changes:
        return
    key = f"revision:{revision.pk}" if revision is not None else None
    ActionUpdate.objects.create(
        page=instance, revision_id=revision.pk if revision else 0, changes=changes
    )
    if key is None:
        return
    followers = Subscription.objects.confirmed().filter(target=Target.ACTION).following(instance)
    for subscription in followers.select_related("page"):
        Delivery.send_once(
            subscription,
            key,
            "follow/emails/action_alert",
            {
                "action": instance,
                "lines": change_lines(in_language_of(changes, subscription.localized_page())),
            },
        )
