"""Wagtail's own admin strings whose Vietnamese translation reads wrongly for cooperatives.

Nothing imports this module: it only puts these msgids in our `locale/` catalogue (through
`makemessages`), and the project's catalogue wins over Wagtail's, so the translations given
there replace Wagtail's. Wagtail's Vietnamese renders "Submit to %(workflow_name)s" as
"Thực hiện %(workflow_name)s" ("perform OCOP officer approval") and drops the space in
"Resubmit to …"; its catalogue has none of the workflow e-mails' sentences (Wagtail 8), so a
Vietnamese officer or editor would get them in English. `WORKFLOW_EMAIL_MESSAGES` lists the
msgids of `wagtailadmin/notifications/*.txt` missing from Wagtail's Vietnamese catalogue.
"""

from django.utils.translation import gettext_noop

MESSAGES = [
    # Translators: the editor's button sending a page to the officers' approval workflow.
    gettext_noop("Submit to %(workflow_name)s"),
    # Translators: the editor's button sending a page back to a moderation step.
    gettext_noop("Resubmit to %(task_name)s"),
]

# Wagtail 8 workflow e-mails (wagtailadmin/notifications/*.txt), untranslated in its vi catalogue.
WORKFLOW_EMAIL_MESSAGES = [
    gettext_noop('%(editor)s has updated comments on "%(title)s"'),
    gettext_noop('%(editor)s has updated comments on "%(title)s".'),
    gettext_noop("Deleted comments:"),
    gettext_noop("Edit your notification preferences here:"),
    gettext_noop("Hello %(username)s,"),
    gettext_noop("New comments:"),
    gettext_noop("New replies to:"),
    gettext_noop("New replies:"),
    gettext_noop("Resolved comments:"),
    gettext_noop('The %(model_name)s "%(title)s" has been approved in "%(task)s".'),
    gettext_noop('The %(model_name)s "%(title)s" has been approved in "%(workflow)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been approved in moderation stage "%(task)s".'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been approved in workflow "%(workflow)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s" by %(rejector)s.'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s".'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been rejected during "%(task)s".'),
    gettext_noop('The %(model_name)s "%(title)s" has been rejected during "%(workflow)s".'),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been rejected in moderation stage "%(task)s".'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for approval in moderation stage "%(task)s"'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for approval to moderation stage "%(task)s".'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for moderation to workflow "%(workflow)s" by %(requester)s.'
    ),
    gettext_noop(
        'The %(model_name)s "%(title)s" has been submitted for moderation to workflow "%(workflow)s".'
    ),
    gettext_noop('The %(model_name)s "%(title)s" has been submitted to workflow "%(workflow)s"'),
    gettext_noop('The following comment was left: "%(comment)s"'),
    gettext_noop('The page "%(title)s" has been approved'),
    gettext_noop('The page "%(title)s" has been approved in "%(task)s".'),
    gettext_noop('The page "%(title)s" has been approved in "%(workflow)s".'),
    gettext_noop('The page "%(title)s" has been approved in moderation stage "%(task)s".'),
    gettext_noop('The page "%(title)s" has been approved in workflow "%(workflow)s".'),
    gettext_noop('The page "%(title)s" has been approved.'),
    gettext_noop('The page "%(title)s" has been rejected'),
    gettext_noop(
        'The page "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s" by %(rejector)s.'
    ),
    gettext_noop(
        'The page "%(title)s" has been rejected during "%(task)s" in workflow "%(workflow)s".'
    ),
    gettext_noop('The page "%(title)s" has been rejected during "%(task)s".'),
    gettext_noop('The page "%(title)s" has been rejected during "%(workflow)s".'),
    gettext_noop('The page "%(title)s" has been rejected in moderation stage "%(task)s".'),
    gettext_noop('The page "%(title)s" has been rejected.'),
    gettext_noop(
        'The page "%(title)s" has been submitted for approval in moderation stage "%(task)s"'
    ),
    gettext_noop(
        'The page "%(title)s" has been submitted for approval to moderation stage "%(task)s".'
    ),
    gettext_noop(
        'The page "%(title)s" has been submitted for moderation to workflow "%(workflow)s" by %(requester)s.'
    ),
    gettext_noop(
        'The page "%(title)s" has been submitted for moderation to workflow "%(workflow)s".'
    ),
    gettext_noop('The page "%(title)s" has been submitted to workflow "%(workflow)s"'),
    gettext_noop("You can edit the %(model_name)s here:"),
    gettext_noop("You can edit the page here:"),
    gettext_noop("You can preview the %(model_name)s here:"),
    gettext_noop("You can preview the page here:"),
    gettext_noop("You can view the page here:"),
]
