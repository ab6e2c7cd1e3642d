import csv
import hashlib

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from home.models import Commune
from home.near_me import chosen_commune, default_commune
from home.page_cache import cached_until_published

from .blocks import StepStatus
from .models import Theme

# The open-data columns: documented in the README, kept stable for re-users.
EXPORT_COLUMNS = [
    "numero",
    "titre",
    "statut",
    "avancement_pourcent",
    "etapes_realisees",
    "etapes_total",
    "echeance",
    "note_echeance",
    "service_pilote",
    "themes",
    "communes",
    "url",
]


# The indicators' open data: one row per measurement; `origine` says whether the team
# typed it (`saisie`) or the site counted it from its own records (`calculee`).
INDICATOR_COLUMNS = [
    "numero",
    "action",
    "indicateur",
    "unite",
    "cible",
    "date",
    "valeur",
    "origine",
    "source",
    "commentaire",
]
ORIGIN_TYPED = "saisie"
ORIGIN_COMPUTED = "calculee"


class ActionFilters:
    """The plan's filters, read from the query string. Unknown values are ignored
    rather than answered with an error: a shared link keeps working."""

    def __init__(self, request, index_page):
        # Read once per site generation, which any change of a theme or a commune
        # turns over. Shared values: never mutated.
        self.themes = cached_until_published(
            f"plan-themes:{index_page.locale_id}", lambda: self.read_themes(index_page)
        )
        self.communes = cached_until_published("plan-communes", lambda: list(Commune.objects.all()))
        self.theme = self._pick(request.GET.get("theme"), {theme.slug for theme in self.themes})
        self.status = self._pick(
            request.GET.get("statut"), {value for value, _label in StepStatus.CHOICES}
        )
        self.commune = self._pick(
            request.GET.get("commune"), {commune.slug for commune in self.communes}
        )
        # With no filter, the visitor's commune déléguée ("près de chez vous"); their
        # way back to the whole plan is then `?commune=`, which asks for every commune.
        self.chosen = chosen_commune(request)
        self.near = default_commune(request, index_page.query_parameters)
        if self.near:
            self.commune = self.near.slug

    @staticmethod
    def read_themes(index_page):
        themes = list(Theme.objects.filter(locale_id=index_page.locale_id))
        if not themes:  # an index not translated yet shows the French themes
            themes = list(Theme.objects.filter(locale__language_code="fr"))
        return themes

    @staticmethod
    def _pick(value, allowed):
        return value if value in allowed else ""

    def matches(self, action):
        """Whether an action (themes and communes prefetched) passes the filters."""
        return (
            (not self.theme or any(theme.slug == self.theme for theme in action.themes.all()))
            and (not self.status or action.status == self.status)
            and (not self.commune or self._concerns_commune(action))
        )

    def _concerns_commune(self, action):
        # An action with no commune déléguée named is for the whole commune: it
        # concerns every one of them.
        communes = action.communes.all()
        return not communes or any(commune.slug == self.commune for commune in communes)

    @property
    def active(self):
        return bool(self.theme or self.status or self.commune)

    def links(self):
        """The filter links, each keeping the other filters, for a page that works
        without JavaScript."""
        current = {"theme": self.theme, "statut": self.status, "commune": self.commune}

        def query(**changes):
            params = {**current, **changes}
            if self.chosen and not params["commune"]:
                return "?" + "&".join(
                    f"{key}={value}" for key, value in params.items() if value or key == "commune"
                )
            return (
                "?" + "&".join(f"{key}={value}" for key, value in params.items() if value)
                if any(params.values())
                else "?"
            )

        return {
            "themes": [
                {
                    "label": theme.name,
                    # The theme tells its name's language (French until translated).
                    "source": theme,
                    "url": query(theme=theme.slug),
                    "active": theme.slug == self.theme,
                }
                for theme in self.themes
            ],
            "statuses": [
                {"label": label, "url": query(statut=value), "active": value == self.status}
                for value, label in StepStatus.CHOICES
            ],
            "communes": [
                {
                    "label": commune.name,
                    "url": query(commune=commune.slug),
                    "active": commune.slug == self.commune,
                }
                for commune in self.communes
            ],
            "all_themes": query(theme=""),
            "all_statuses": query(statut=""),
            "all_communes": query(commune=""),
            "none": query(theme="", statut="", commune=""),
        }


def overview(actions):
    """How many actions in each status, and the share of all steps done."""
    counts = dict.fromkeys([value for value, _label in StepStatus.CHOICES], 0)
    steps_total = steps_done = 0
    for action in actions:
        counts[action.status] += 1
        steps_total += action.steps_total
        steps_done += action.steps_done
    return {
        "total": len(actions),
        "by_status": [
            {"status": value, "label": label, "count": counts[value]}
            for value, label in StepStatus.CHOICES
        ],
        "steps_total": steps_total,
        "steps_done": steps_done,
        "steps_done_percent": round(100 * steps_done / steps_total) if steps_total else 0,
    }


def with_theme_labels(actions, themes):
    """Each action's theme names in the reader's language, without a query per theme
    (the pages of both languages point at the French themes)."""
    by_key = {theme.translation_key: theme for theme in themes}
    for action in actions:
        action.theme_labels = []
        for theme in action.themes.all():
            # `source`, the theme whose name is shown, tells its language (lang="fr").
            source = by_key.get(theme.translation_key, theme)
            action.theme_labels.append(
                {"name": source.name, "pictogram": theme.pictogram, "source": source}
            )
    return actions


def action_index(request, index_page):
    filters = ActionFilters(request, index_page)
    # The overview counts the whole plan; the list shows what the filters keep of
    # the same 31 rows, so the plan is read once, and kept until an action's
    # publication purges the plan's tag (or as long as the page cache keeps a page,
    # for what the clock changes).
    all_actions = cached_until_published(
        f"plan-actions:{index_page.pk}",
        lambda: with_theme_labels(list(index_page.actions()), filters.themes),
        tags=index_page.cache_tags,
        timeout=settings.PAGE_CACHE_SECONDS,
    )
    actions = [action for action in all_actions if filters.matches(action)]
    # The list's HTML is kept for each set of actions the filters keep (a card shows
    # its communes only when a commune is chosen).
    shown = ",".join(str(action.pk) for action in actions)
    list_key = (
        f"plan-list:{int(bool(filters.commune))}:{hashlib.sha256(shown.encode()).hexdigest()[:20]}"
    )
    return TemplateResponse(
        request,
        "actions/action_index_page.html",
        {
            "page": index_page,
            "actions": actions,
            "list_key": list_key,
            "overview": overview(all_actions),
            "filters": filters,
            "filter_links": filters.links(),
        },
    )


def export_rows(request, index_page):
    for action in index_page.actions():
        yield {
            "numero": action.number,
            "titre": action.title,
            "statut": action.status,
            "avancement_pourcent": action.progress,
            "etapes_realisees": action.steps_done,
            "etapes_total": action.steps_total,
            "echeance": action.deadline_date.isoformat()
            if action.deadline_date
            else action.deadline,
            "note_echeance": action.deadline_note,
            "service_pilote": action.pilot_service,
            "themes": [theme.name for theme in action.themes.all()],
            "communes": [commune.name for commune in action.communes.all()],
            "url": action.get_full_url(request),
        }


def export_csv(request, index_page):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="plan-d-actions.csv"'
    # A BOM so that spreadsheet software opens the accents right.
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    for row in export_rows(request, index_page):
        writer.writerow(
            {**row, "themes": " | ".join(row["themes"]), "communes": " | ".join(row["communes"])}
        )
    return response


def export_json(request, index_page):
    rows = list(export_rows(request, index_page))
    return JsonResponse(
        {
            "titre": index_page.title,
            "description": _("Progress of the actions of the commune's citizen project."),
            "colonnes": EXPORT_COLUMNS,
            "actions": rows,
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


def indicator_rows(index_page):
    for action in index_page.actions():
        for indicator in action.indicator_list:
            for measurement in indicator["measurements"]:
                yield {
                    "numero": action.number,
                    "action": action.title,
                    "indicateur": indicator["name"],
                    "unite": indicator["unit"],
                    "cible": indicator["target"],
                    "date": measurement["date"].isoformat(),
                    "valeur": measurement["value"],
                    "origine": ORIGIN_COMPUTED if measurement["computed"] else ORIGIN_TYPED,
                    "source": indicator["source"] if measurement["computed"] else "",
                    "commentaire": measurement["comment"],
                }


def export_indicators_csv(request, index_page):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="indicateurs-plan-d-actions.csv"'
    response.write("\ufeff")
    writer = csv.DictWriter(response, fieldnames=INDICATOR_COLUMNS)
    writer.writeheader()
    for row in indicator_rows(index_page):
        writer.writerow({**row, "cible": "" if row["cible"] is None else row["cible"]})
    return response


def export_indicators_json(request, index_page):
    return JsonResponse(
        {
            "titre": index_page.title,
            "description": _(
                "Measurements of the plan's follow-up indicators: typed by the team "
                "(origine: saisie) or counted each month by the site from its own records "
                "(origine: calculee)."
            ),
            "colonnes": INDICATOR_COLUMNS,
            "mesures": list(indicator_rows(index_page)),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
