"""The "Validation communication" workflow, and the team's rights on requests and hours.

Wagtail's migrations create a "Moderators approval" workflow on the root page, whose
group approval task points at the moderators (renamed "Communication — modérateurs"
by home 0003). It becomes the commune's "Validation communication": attached to the
root page, every page (associations' pages, missions, events) goes through it, and
association members, who may not publish, can only submit to it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

WORKFLOW = "Validation communication"
TASK = "Approbation de l'équipe communication"
MODERATORS = "Communication — modérateurs"
EDITORS = "Communication — rédacteurs"
TEAM_PERMISSIONS = [
    "view_volunteerrequest",
    "change_volunteerrequest",
    "delete_volunteerrequest",
    "view_volunteerhours",
    "add_volunteerhours",
    "change_volunteerhours",
    "delete_volunteerhours",
    "add_activityfield",
    "change_activityfield",
    "delete_activityfield",
]


def ensure_workflow(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    workflow = (
        Workflow.objects.filter(name=WORKFLOW).first()
        or Workflow.objects.filter(name="Moderators approval").first()
        or Workflow.objects.create(name=WORKFLOW, active=True)
    )
    workflow.name = WORKFLOW
    workflow.active = True
    workflow.save()

    link = WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order").first()
    task = GroupApprovalTask.objects.filter(pk=link.task_id).first() if link else None
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK,
            active=True,
            content_type=ContentType.objects.get_or_create(
                app_label="wagtailcore", model="groupapprovaltask"
            )[0],
        )
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    task.name = TASK
    task.active = True
    task.save()
    task.groups.set([moderators])

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    permissions = Permission.objects.filter(
        content_type__app_label="benevolat", codename__in=TEAM_PERMISSIONS
    )
    for name in (MODERATORS, EDITORS):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("benevolat", "0002_missions_requests_hours"),
        ("home", "0003_communication_team_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(ensure_workflow, migrations.RunPython.noop)]
