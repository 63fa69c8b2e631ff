"""The admin speaks Vietnamese to cooperatives: Wagtail's own Vietnamese, our workflow and
task names stored in Vietnamese, and workflow e-mails in each recipient's language."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from wagtail.models import Workflow
from wagtail.users.models import UserProfile

from cms.services import WORKFLOW_NAME, setup_site
from tests.factories import edit_form_data


def test_an_editor_without_a_preference_gets_wagtails_vietnamese(client, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '<html lang="vi"' in html
    assert "Trang tổng quan" in html  # Wagtail's own "Dashboard"


def test_workflow_and_task_names_are_vietnamese(site):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert WORKFLOW_NAME == "Quy trình duyệt OCOP" and workflow.workflow_pages.exists()
    assert [t.name for t in workflow.tasks] == ["Duyệt của cán bộ OCOP"]
    assert set(Workflow.objects.values_list("name", flat=True)) == {
        "Quy trình duyệt OCOP",
        "Duyệt của ban biên tập",  # Wagtail's default one, renamed
    }


def test_setup_site_renames_the_old_english_workflow_instead_of_adding_one(site):
    Workflow.objects.filter(name=WORKFLOW_NAME).update(name="OCOP officer approval")
    setup_site()
    names = list(Workflow.objects.values_list("name", flat=True))
    assert names.count(WORKFLOW_NAME) == 1 and "OCOP officer approval" not in names


def test_workflow_emails_follow_each_recipients_language(
    client, editor, officer, product, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from catalog.permissions import OFFICERS_GROUP

    english = django_user_model.objects.create_user("officer-en", "en@example.vn", "pw-12345678")
    english.groups.add(Group.objects.get(name=OFFICERS_GROUP))
    profile = UserProfile.get_for_user(english)
    profile.preferred_language = "en"
    profile.save()

    client.force_login(editor)
    data = edit_form_data(product, title="Mật ong hoa nhãn vụ xuân")
    data["action-submit"] = "submit"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtailadmin_pages:edit", args=[product.pk]), data)

    to_vi = [m for m in mail.outbox if m.to == [officer.email]]
    to_en = [m for m in mail.outbox if m.to == [english.email]]
    assert to_vi and to_en
    for message in to_vi + to_en:
        assert "OCOP officer approval" not in message.subject + message.body
    assert "has been submitted" in to_en[0].subject
    assert "Duyệt của cán bộ OCOP" in to_vi[0].subject  # the task's Vietnamese name


def test_wagtails_untranslated_workflow_sentences_are_in_our_catalogue():
    """Wagtail's vi catalogue lacks every sentence of its workflow e-mails: ours lists them
    (cms/wagtail_messages.py) and translates them."""
    from django.utils import translation

    from cms.wagtail_messages import WORKFLOW_EMAIL_MESSAGES

    submitted = 'The page "%(title)s" has been submitted to workflow "%(workflow)s"'
    assert submitted in WORKFLOW_EMAIL_MESSAGES and len(WORKFLOW_EMAIL_MESSAGES) >= 40
    with translation.override("vi"):
        translated = [m for m in WORKFLOW_EMAIL_MESSAGES if translation.gettext(m) != m]
    assert len(translated) == len(WORKFLOW_EMAIL_MESSAGES)
