"""Admin views of the OCOP evaluation (under /admin/evaluation/).

Views check who asks on every request (`services.can_view`, officer / editor / member /
chair) and call one service per action; a refused action is a translated message and
changes nothing. Dossier files are streamed by `document_download` after the same check.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import require_admin_access

from catalog.models import Certificate, CriteriaSet, OcopGroup, ProductPage
from catalog.permissions import is_officer, producers_for
from catalog.scoping import limit_producer_choices
from evaluation import services
from evaluation.models import (
    MANDATORY_DOCUMENTS,
    ApplicationDocument,
    CouncilLevel,
    CouncilRound,
    DocumentKind,
    OcopApplication,
    Scorecard,
    Status,
)
from evaluation.services import EvaluationError


def _application(request, pk: int) -> OcopApplication:
    application = get_object_or_404(
        OcopApplication.objects.select_related(
            "product", "round", "group", "sheet", "criteria_set", "certificate"
        ),
        pk=pk,
    )
    if not services.can_view(request.user, application):
        raise Http404
    return application


# --- Lists -------------------------------------------------------------------------------------


@require_admin_access
def index(request):
    applications = list(services.visible_applications(request.user)[:300])
    user = request.user
    rounds = CouncilRound.objects.select_related("chair")
    if not is_officer(user):
        rounds = rounds.filter(pk__in=[a.round_id for a in applications if a.round_id])
    return TemplateResponse(
        request,
        "evaluation/admin/index.html",
        {
            "page_title": _("OCOP evaluation"),
            "applications": applications,
            "rounds": list(rounds[:50]),
            "can_apply": producers_for(user).exists() and not is_officer(user),
            "is_officer": is_officer(user),
        },
    )


# --- A new application -------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    product = forms.ModelChoiceField(label=gettext_lazy("Product"), queryset=ProductPage.objects)
    group = forms.ModelChoiceField(label=gettext_lazy("OCOP group"), queryset=OcopGroup.objects)
    renews = forms.ModelChoiceField(
        label=gettext_lazy("Certificate renewed"),
        queryset=Certificate.objects,
        required=False,
        help_text=gettext_lazy("For a renewal: the certificate that expires."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        producers = producers_for(user)
        self.fields["product"].queryset = ProductPage.objects.filter(
            producer__in=producers, alias_of__isnull=True
        ).order_by("title")
        criteria_set = services.criteria_set_in_force()
        scheme = criteria_set.group_scheme if criteria_set else "148"
        self.fields["group"].queryset = OcopGroup.objects.filter(scheme=scheme).order_by("code")
        self.fields["renews"].queryset = Certificate.objects.filter(
            product__producer__in=producers
        ).select_related("product")
        limit_producer_choices(self, user)


@require_admin_access
def new_application(request):
    user = request.user
    if not producers_for(user).exists():
        raise PermissionDenied
    initial = {}
    renew_id = request.GET.get("renew", "")
    if renew_id.isdigit():
        cert = Certificate.objects.filter(
            pk=int(renew_id), product__producer__in=producers_for(user)
        ).first()
        if cert is not None:
            group_id = cert.group_id or cert.product.group_id
            initial = {"product": cert.product_id, "group": group_id, "renews": cert.pk}
    form = ApplicationForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.open_application(
                user,
                form.cleaned_data["product"],
                form.cleaned_data["group"],
                renews=form.cleaned_data["renews"],
            )
        except EvaluationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Draft application opened: add the dossier."))
            return redirect("evaluation:detail", application.pk)
    return TemplateResponse(
        request,
        "evaluation/admin/form.html",
        {"page_title": _("New OCOP application"), "form": form, "multipart": False},
    )


# --- One application ---------------------------------------------------------------------------


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255, required=False)
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB.")
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comments for the producer"), widget=forms.Textarea
    )


class AcceptForm(forms.Form):
    round = forms.ModelChoiceField(
        label=gettext_lazy("Council round"), queryset=CouncilRound.objects
    )


def _score_rows(application: OcopApplication, cards: list[Scorecard]):
    """Rows of (criterion, [points per card]) for a read-only comparison table."""
    points = [c.points() for c in cards]
    return [
        (crit, [p.get(crit.pk) for p in points]) for crit in application.sheet.ordered_criteria()
    ]


@require_admin_access
def detail(request, ocopapplication_id: int):
    application = _application(request, ocopapplication_id)
    user = request.user
    editor = services.is_producer_editor(user, application)
    officer = is_officer(user)
    member = services.is_council_member(user, application)
    chair = services.is_chair(user, application)
    self_card = application.scorecards.filter(role=Scorecard.Role.SELF).first()
    cards = services.visible_scorecards(user, application)
    result = (
        services.council_result(application) if services.can_see_result(user, application) else None
    )
    verbs = services.allowed_verbs(application)
    from cms.models import AuditLogEntry

    history = AuditLogEntry.objects.for_instance(application).select_related("user")[:50]
    present = set(application.documents.values_list("kind", flat=True))
    return TemplateResponse(
        request,
        "evaluation/admin/detail.html",
        {
            "page_title": str(application.product.title),
            "application": application,
            "documents": application.documents.all(),
            "missing": [DocumentKind(k).label for k in MANDATORY_DOCUMENTS if k not in present],
            "document_form": DocumentForm(),
            "return_form": ReturnForm(),
            "rounds": CouncilRound.objects.filter(criteria_set=application.criteria_set),
            "self_card": self_card,
            "self_rows": _score_rows(application, [self_card]) if self_card else [],
            "cards": cards,
            "card_rows": _score_rows(application, cards) if cards else [],
            "result": result,
            "decisions": application.decisions.all(),
            "history": history,
            "editor": editor,
            "officer": officer,
            "member": member,
            "chair": chair,
            "can_edit_dossier": (editor or officer)
            and application.status in (Status.DRAFT, Status.RETURNED),
            "can_submit": editor and "submit" in verbs,
            "can_withdraw": (editor or officer) and "withdraw" in verbs,
            "can_check": officer and application.status == Status.SUBMITTED,
            "can_forward": officer and application.status == Status.PROPOSED_CENTRAL,
            "can_score": member and application.status == Status.IN_COUNCIL,
            "can_close": chair and "close_scoring" in verbs,
            "can_decide": chair and application.status == Status.SCORED,
        },
    )


def _back(application: OcopApplication):
    return redirect("evaluation:detail", application.pk)


@require_admin_access
def upload_document(request, ocopapplication_id: int):
    application = _application(request, ocopapplication_id)
    if request.method != "POST":
        return _back(application)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(application)
    try:
        services.add_document(
            request.user,
            application,
            form.cleaned_data["kind"],
            form.cleaned_data["file"],
            form.cleaned_data["title"],
        )
    except EvaluationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Document added."))
    return _back(application)


def _document(request, pk: int) -> ApplicationDocument:
    document = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    _application(request, document.application_id)  # 404 unless the user may see it
    return document


@require_admin_access
def document_download(request, applicationdocument_id: int):
    document = _document(request, applicationdocument_id)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=document.filename)


@require_admin_access
def document_delete(request, applicationdocument_id: int):
    document = _document(request, applicationdocument_id)
    application = document.application
    if request.method != "POST":
        return _back(application)
    try:
        services.remove_document(request.user, document)
    except EvaluationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Document removed."))
    return _back(application)


def _raw_points(request, criteria) -> dict[int, str]:
    return {c.pk: request.POST.get(f"c{c.pk}", "") for c in criteria}


def _sheet_page(request, application, card, *, title, errors, raw, editable, member):
    criteria = application.sheet.ordered_criteria()
    stored = card.points() if card else {}
    rows = []
    part_totals: dict[str, Decimal] = {}
    for crit in criteria:
        value = raw.get(crit.pk, stored.get(crit.pk, ""))
        if crit.pk in stored:
            part_totals[crit.part.code] = (
                part_totals.get(crit.part.code, Decimal(0)) + stored[crit.pk]
            )
        rows.append({"criterion": crit, "value": value, "error": errors.get(crit.pk)})
    return TemplateResponse(
        request,
        "evaluation/admin/sheet.html",
        {
            "page_title": title,
            "application": application,
            "rows": rows,
            "part_rows": [
                (part, part_totals.get(part.code, Decimal(0)))
                for part in application.sheet.parts.all()
            ],
            "total": sum(part_totals.values(), Decimal(0)),
            "errors": errors,
            "editable": editable,
            "member": member,
            "card": card,
        },
        status=200,
    )


@require_admin_access
def self_assessment(request, ocopapplication_id: int):
    application = _application(request, ocopapplication_id)
    card = application.scorecards.filter(role=Scorecard.Role.SELF).first()
    editable = (
        services.is_producer_editor(request.user, application) or is_officer(request.user)
    ) and application.status in (Status.DRAFT, Status.RETURNED)
    errors: dict[int, str] = {}
    raw: dict[int, str] = {}
    if request.method == "POST":
        raw = _raw_points(request, application.sheet.ordered_criteria())
        try:
            errors = services.save_self_assessment(request.user, application, raw)
        except EvaluationError as exc:
            messages.error(request, exc.message)
            return _back(application)
        if not errors:
            messages.success(request, _("Self-assessment saved."))
            return _back(application)
        messages.error(request, _("The sheet has errors: nothing was saved."))
    return _sheet_page(
        request,
        application,
        card,
        title=_("Self-assessment"),
        errors=errors,
        raw=raw,
        editable=editable,
        member=False,
    )


@require_admin_access
def score(request, ocopapplication_id: int):
    application = _application(request, ocopapplication_id)
    if not services.is_council_member(request.user, application):
        raise PermissionDenied
    card = application.scorecards.filter(
        role=Scorecard.Role.MEMBER, user=request.user, round=application.round
    ).first()
    editable = application.status == Status.IN_COUNCIL and not (card and card.submitted_at)
    errors: dict[int, str] = {}
    raw: dict[int, str] = {}
    if request.method == "POST":
        raw = _raw_points(request, application.sheet.ordered_criteria())
        final = "submit" in request.POST
        try:
            errors = services.save_member_scores(request.user, application, raw, final=final)
        except EvaluationError as exc:
            messages.error(request, exc.message)
            return _back(application)
        if not errors:
            messages.success(
                request, _("Your sheet is submitted.") if final else _("Draft sheet saved.")
            )
            return _back(application)
        messages.error(request, _("The sheet has errors: nothing was saved."))
    return _sheet_page(
        request,
        application,
        card,
        title=_("Council score sheet"),
        errors=errors,
        raw=raw,
        editable=editable,
        member=True,
    )


@require_admin_access
def action(request, ocopapplication_id: int, verb: str):
    """POST-only steps without a form of their own: submit, withdraw, return, accept, close."""
    application = _application(request, ocopapplication_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    try:
        if verb == "submit":
            services.submit(user, application)
        elif verb == "withdraw":
            services.withdraw(user, application)
        elif verb == "return":
            services.return_(user, application, request.POST.get("comment", ""))
        elif verb == "accept":
            round_id = request.POST.get("round", "")
            round_ = (
                CouncilRound.objects.filter(pk=round_id).first() if round_id.isdigit() else None
            )
            if round_ is None:
                raise EvaluationError(_("Choose a council round."))
            services.accept(user, application, round_)
        elif verb == "close":
            services.close_scoring(user, application)
        else:
            raise Http404
    except EvaluationError as exc:
        messages.error(request, exc.message)
    else:
        application.refresh_from_db()
        messages.success(
            request,
            _("The application is now “%(status)s”.")
            % {"status": application.get_status_display()},
        )
    return _back(application)


class DecisionForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=60)
    date = forms.DateField(
        label=gettext_lazy("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    issuing_body = forms.CharField(label=gettext_lazy("Issuing body as written"), max_length=255)
    scan = forms.FileField(
        label=gettext_lazy("Scanned decision"),
        required=False,
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Council's comments"), widget=forms.Textarea, required=False
    )


class RejectForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Council's reasons"), widget=forms.Textarea)


@require_admin_access
def decide(request, ocopapplication_id: int):
    application = _application(request, ocopapplication_id)
    if not services.is_chair(request.user, application):
        raise PermissionDenied
    result = (
        services.council_result(application)
        if services.can_see_result(request.user, application)
        else None
    )
    initial = {"issuing_body": application.round.issuing_body}
    form = DecisionForm(initial=initial)
    reject_form = RejectForm()
    if request.method == "POST":
        rejecting = "reject" in request.POST
        try:
            if rejecting:
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    services.reject(request.user, application, reject_form.cleaned_data["comment"])
                    messages.success(request, _("Recorded as not recognised."))
                    return _back(application)
            else:
                form = DecisionForm(request.POST, request.FILES)
                if form.is_valid():
                    data = form.cleaned_data
                    services.decide(
                        request.user,
                        application,
                        number=data["number"],
                        date=data["date"],
                        issuing_body=data["issuing_body"],
                        scan=data["scan"],
                        comment=data["comment"],
                    )
                    application.refresh_from_db()
                    messages.success(
                        request,
                        _("Decision recorded: %(status)s.")
                        % {"status": application.get_status_display()},
                    )
                    return _back(application)
        except EvaluationError as exc:
            messages.error(request, exc.message)
    return TemplateResponse(
        request,
        "evaluation/admin/decide.html",
        {
            "page_title": _("Record the decision"),
            "application": application,
            "result": result,
            "form": form,
            "reject_form": reject_form,
            "can_decide": application.status == Status.SCORED,
        },
    )


# --- Rounds ------------------------------------------------------------------------------------


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=CouncilLevel.choices)
    criteria_set = forms.ModelChoiceField(
        label=gettext_lazy("Criteria set"), queryset=CriteriaSet.objects
    )
    issuing_body = forms.CharField(label=gettext_lazy("Issuing body"), max_length=255)
    chair = forms.ModelChoiceField(label=gettext_lazy("Chair"), queryset=get_user_model().objects)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Members"),
        queryset=get_user_model().objects,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["chair"].queryset = users
        self.fields["members"].queryset = users
        criteria_set = services.criteria_set_in_force()
        if criteria_set:
            self.fields["criteria_set"].initial = criteria_set.pk


@require_admin_access
def new_round(request):
    if not is_officer(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.create_round(
                request.user,
                name=data["name"],
                level=data["level"],
                criteria_set=data["criteria_set"],
                issuing_body=data["issuing_body"],
                chair=data["chair"],
                members=list(data["members"]),
            )
        except EvaluationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Council round formed."))
            return redirect("evaluation:round", round_.pk)
    return TemplateResponse(
        request,
        "evaluation/admin/form.html",
        {"page_title": _("New council round"), "form": form, "multipart": False},
    )


@require_admin_access
def round_detail(request, councilround_id: int):
    round_ = get_object_or_404(CouncilRound.objects.select_related("chair"), pk=councilround_id)
    user = request.user
    if not (is_officer(user) or user.pk in round_.member_ids()):
        raise Http404
    rows = []
    for application in round_.applications.select_related("product", "sheet", "criteria_set"):
        result = (
            services.council_result(application)
            if services.can_see_result(user, application)
            else None
        )
        rows.append((application, result))
    return TemplateResponse(
        request,
        "evaluation/admin/round.html",
        {
            "page_title": round_.name,
            "round": round_,
            "members": round_.members.order_by("username"),
            "rows": rows,
            "chair": round_.chair_id == user.pk,
        },
    )
