"""Accounts of association members: each association's own group, with its page
permissions and its image collection, the members' accounts in it, and which
associations a user belongs to (what scopes the requests and hours they see in the
admin, see admin_views.py)."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import AssociationPage


def member_group_name(association_title):
    # Group names are at most 150 characters.
    return f"Association — {association_title}"[:150]


def members_group(association):
    """The group tied to the association's page: the one that may change it. Never
    found by name: a title is the members' to change, and one association renamed
    like another would otherwise take over the other's group."""
    return (
        Group.objects.filter(
            page_permissions__page=association,
            page_permissions__permission__codename="change_page",
            name__startswith=member_group_name(""),
        )
        .order_by("pk")
        .first()
    )


def new_group_name(association):
    """The title's name while no other group has it, else one made unique by the
    page's id (group names are unique)."""
    name = member_group_name(association.title)
    if Group.objects.filter(name=name).exists():
        suffix = f" (page {association.pk})"
        name = member_group_name(association.title)[: 150 - len(suffix)] + suffix
    return name


@transaction.atomic
def ensure_members_group(association):
    """The association's own group: into the admin, add and change its page and
    what lies under it (missions, events), never publish (the communication
    team approves), and its own image collection. Idempotent."""
    group = members_group(association)
    if group is None:
        group = Group.objects.create(name=new_group_name(association))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=association,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    # The collection is the group's, found by its permissions as the group is by
    # the page's (its name follows the title at creation, nothing more).
    collection = Collection.objects.filter(
        group_permissions__group=group, group_permissions__permission__codename="add_image"
    ).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=group.name)
    for codename in ("add_image", "change_image", "choose_image"):
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtailimages", codename=codename
            ),
        )
    return group


@transaction.atomic
def add_member(association, username, email, first_name="", last_name="", password=None):
    """Create (or update) a member's account in the association's group.

    Returns the user and the initial password when one was generated (to give
    to the member once), else None. A team account is never turned into a member.
    """
    group = ensure_members_group(association)
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email}
    )
    if (
        user.is_superuser
        or user.is_staff
        or user.groups.filter(name__startswith="Communication").exists()
    ):
        raise ValidationError(
            gettext("“%(username)s” is a team account: it cannot become an association member.")
            % {"username": username}
        )
    user.email = email
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    generated = None
    if created and not password:
        generated = password = secrets.token_urlsafe(12)
    if password:
        # A password the team chooses obeys the same rules as any other.
        validate_password(password, user)
        user.set_password(password)
    user.save()
    user.groups.add(group)
    return user, generated


def associations_of(user):
    """The ids of the association pages whose members' group `user` belongs to:
    what scopes the requests and hours an association member sees."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_benevolat_associations", None)
    if cached is None:
        cached = frozenset(
            GroupPagePermission.objects.filter(
                group__user=user,
                permission__codename="change_page",
                page__in=AssociationPage.objects.all(),
            ).values_list("page_id", flat=True)
        )
        user._benevolat_associations = cached
    return cached
