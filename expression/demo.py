"""Demo content of citizen expression: the idea box, the questions and answers with a
few answered messages, and the satisfaction survey of the town halls' reception
(plan action 9) with some answers. Idempotent: looked up by slug and subject."""

from datetime import timedelta

from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale

from actions.models import ActionPage
from home.models import Commune, HomePage

from .models import (
    AnswerTemplate,
    ExpressionPage,
    FormField,
    FormPage,
    QuestionsAnswersPage,
    Service,
    Submission,
)

SERVICES = ["Voirie et espaces publics", "Vie associative", "Accueil et état civil"]

ANSWER_TEMPLATES = [
    (
        "Accusé de prise en charge",
        "Bonjour,\n\nMerci pour votre message. Il a été transmis au service concerné, qui "
        "l'étudie ; nous revenons vers vous dès que possible.\n\nL'équipe participation "
        "citoyenne",
    ),
    (
        "Signalement traité",
        "Bonjour,\n\nMerci pour votre signalement. Les services techniques sont intervenus "
        "et le problème est réglé. N'hésitez pas à nous signaler tout nouveau souci.\n\n"
        "L'équipe participation citoyenne",
    ),
]

# (kind, commune slug, action number, title, question, answer)
QUESTIONS = [
    (
        Submission.Kind.QUESTION,
        "andard",
        5,
        "Comment sont traitées les idées de la boîte à idées ?",
        "Que devient une idée envoyée par le site ? Qui la lit ?",
        "Chaque message est lu par l'équipe participation citoyenne, qui le transmet au "
        "service concerné. Une réponse est envoyée sous quinze jours quand vous laissez votre "
        "adresse, et les questions d'intérêt général sont publiées ici, sans votre nom.",
    ),
    (
        Submission.Kind.IDEA,
        "corne",
        8,
        "Des bacs potagers partagés près de l'école",
        "Pourquoi ne pas installer des bacs potagers que les habitants entretiendraient "
        "avec les enfants de l'école ?",
        "Merci pour cette idée, qui rejoint l'action 8 du plan (co-gérer les espaces "
        "publics). Les services espaces verts proposeront un emplacement au conseil de "
        "quartier de Corné au printemps.",
    ),
    (
        Submission.Kind.REPORT,
        "la-bohalle",
        None,
        "Nid-de-poule rue de la Loire",
        "Un trou important s'est formé dans la chaussée, rue de la Loire, près de l'arrêt de bus.",
        "Merci pour votre signalement : les services techniques ont rebouché la chaussée "
        "la semaine suivante.",
    ),
    (
        Submission.Kind.PRAISE,
        "saint-mathurin-sur-loire",
        31,
        "Merci pour la cérémonie de la citoyenneté",
        "Un grand merci pour la cérémonie de remise des cartes d'électeur, très réussie.",
        "Merci pour ce retour qui fait plaisir aux élus et aux agents qui l'ont préparée !",
    ),
]

SURVEY_FIELDS = [
    {
        "label": "Êtes-vous satisfait de l'accueil en mairie ?",
        "field_type": "radio",
        "choices": "Très satisfait\nSatisfait\nPeu satisfait\nPas satisfait",
    },
    {
        "label": "Dans quelle mairie êtes-vous venu ?",
        "field_type": "dropdown",
        "choices": "Andard\nBauné\nBrain-sur-l'Authion\nCorné\nLa Bohalle\nLa Daguenière\n"
        "Saint-Mathurin-sur-Loire",
    },
    {
        "label": "Pour quelles démarches ?",
        "field_type": "checkboxes",
        "choices": "État civil\nUrbanisme\nÉcole et périscolaire\nFrance services\nAutre",
        "required": False,
    },
    {
        "label": "Une suggestion pour améliorer l'accueil ?",
        "field_type": "multiline",
        "required": False,
    },
]

SURVEY_ANSWERS = [
    ("Très satisfait", "Andard", ["État civil"], "Accueil chaleureux."),
    ("Satisfait", "Corné", ["Urbanisme", "France services"], ""),
    ("Peu satisfait", "Bauné", ["École et périscolaire"], "Horaires trop courts le samedi."),
    ("Satisfait", "La Daguenière", ["État civil"], ""),
    ("Très satisfait", "Andard", ["France services"], "Merci !"),
]


def load(stdout):
    french = Locale.objects.get(language_code="fr")
    home = HomePage.objects.filter(locale=french).first()
    if home is None:
        return
    for name in SERVICES:
        Service.objects.get_or_create(name=name)
    for title, body in ANSWER_TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, defaults={"body": body})

    expression_page = ExpressionPage.objects.filter(locale=french, slug="boite-a-idees").first()
    if expression_page is None:
        expression_page = home.add_child(
            instance=ExpressionPage(
                title="Boîte à idées",
                slug="boite-a-idees",
                locale=french,
                show_in_menus=True,
                intro=(
                    "<p>Une idée pour votre commune, une question, un coup de cœur ou un coup "
                    "de gueule, un problème dans l'espace public ? Écrivez à la commune : "
                    "chaque message est lu et reçoit une réponse. <b>Il s'agit d'un "
                    "dialogue.</b></p>"
                ),
                search_description=(
                    "La boîte à idées de Loire-Authion : envoyez à la commune vos idées, "
                    "questions, coups de cœur, coups de gueule et signalements."
                ),
            )
        )
        expression_page.save_revision().publish()
        stdout.write("Page « Boîte à idées » créée.")

    qa_page = QuestionsAnswersPage.objects.filter(locale=french, slug="questions-reponses").first()
    if qa_page is None:
        qa_page = home.add_child(
            instance=QuestionsAnswersPage(
                title="Questions et réponses",
                slug="questions-reponses",
                locale=french,
                show_in_menus=True,
                intro=(
                    "<p>Les questions et idées des habitants, avec les réponses de la "
                    "commune. Elles sont publiées sans le nom de leurs auteurs.</p>"
                ),
            )
        )
        qa_page.save_revision().publish()
        stdout.write("Page « Questions et réponses » créée.")

    communes = {commune.slug: commune for commune in Commune.objects.all()}
    actions = {
        action.number: action
        for action in ActionPage.objects.filter(locale=french).only("pk", "number")
    }
    now = timezone.now()
    for index, (kind, commune, number, title, question, answer) in enumerate(QUESTIONS):
        if Submission.objects.filter(public_title=title).exists():
            continue
        Submission.objects.create(
            kind=kind,
            subject=title,
            message=question,
            commune=communes.get(commune) or next(iter(communes.values())),
            action=actions.get(number),
            created_at=now - timedelta(days=30 - 5 * index),
            status=Submission.Status.ANSWERED,
            answer=answer,
            answered_at=now - timedelta(days=25 - 5 * index),
            is_published=True,
            public_title=title,
            public_question=question,
        )
    if not Submission.objects.filter(subject="Horaires de la déchèterie").exists():
        Submission.objects.create(
            kind=Submission.Kind.QUESTION,
            subject="Horaires de la déchèterie",
            message="La déchèterie est-elle ouverte le dimanche matin ?",
            commune=communes.get("brain-sur-l-authion") or next(iter(communes.values())),
            name="Claude Demo",
            email="claude.demo@example.org",
        )

    survey = FormPage.objects.filter(locale=french, slug="avis-accueil-mairie").first()
    if survey is None:
        survey = home.add_child(
            instance=FormPage(
                title="Votre avis sur l'accueil en mairie",
                slug="avis-accueil-mairie",
                locale=french,
                intro=(
                    "<p>La commune fait évoluer l'accueil du public dans ses mairies (plan "
                    "d'actions, action 9). Dites-nous comment vous avez été accueilli : "
                    "deux minutes suffisent.</p>"
                ),
                thank_you_text="<p>Merci ! Vos réponses aideront à améliorer l'accueil.</p>",
                retention_days=365,
                to_address="participation@loire-authion.fr",
                subject="Nouvelle réponse à l'enquête sur l'accueil en mairie",
            )
        )
        for order, spec in enumerate(SURVEY_FIELDS):
            FormField.objects.create(page=survey, sort_order=order, **spec)
        survey.save_revision().publish()
        stdout.write("Enquête « Votre avis sur l'accueil en mairie » créée.")
    if not survey.get_submissions().exists():
        names = [field.clean_name for field in survey.get_form_fields()]
        for answers in SURVEY_ANSWERS:
            FormSubmission.objects.create(
                page=survey, form_data=dict(zip(names, answers, strict=True))
            )
