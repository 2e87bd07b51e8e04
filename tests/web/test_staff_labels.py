"""Stored codes on staff pages (question types, measures, wording findings, languages, template
names, reasons an invitation was held back) read in the staff member's language, while the
forms still submit the codes themselves."""

from __future__ import annotations

import json
import re
from html import unescape

from tests.conftest import csrf_from
from tests.purchases import purchase, survey


def _speak(client, language: str) -> None:
    token = csrf_from(client.get("/staff/account").get_data(as_text=True))
    chosen = client.post("/staff/account/language", data={"csrf_token": token, "language": language})
    assert chosen.status_code == 303


def _says(app, locale: str, msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(locale):
        text = gettext(msgid)
    assert text != msgid, f"{msgid!r} has no {locale} translation"
    return text


def _option(html: str, value: str) -> str:
    """The visible label of the option that submits ``value``."""
    found = re.search(rf'<option[^>]*value="{re.escape(value)}"[^>]*>([^<]*)</option>', html)
    assert found, f"no option submits {value!r}"
    return unescape(found.group(1))


def _language(html: str, value: str) -> str:
    """The label of the survey-language checkbox that submits ``value``."""
    found = re.search(rf'name="locales"[^>]*value="{value}"[^>]*>\s*<label[^>]*>([^<]*)</label>', html)
    assert found, f"no language checkbox submits {value!r}"
    return unescape(found.group(1))


def test_a_russian_designer_reads_types_measures_findings_and_languages(app, client, auth):
    auth.as_role("designer")
    _speak(client, "ru")
    page = client.get("/staff/surveys/new").get_data(as_text=True)
    assert _option(page, "transactional-nps") == _says(app, "ru", "Transactional NPS after purchase")
    assert _language(page, "fa") == "فارسی (" + _says(app, "ru", "Persian") + ")"
    assert _language(page, "en") == "English (" + _says(app, "ru", "English") + ")"
    assert _language(page, "ru") == "Русский"  # the reader's own language, named once
    created = client.post(
        "/staff/surveys/new",
        data={
            "csrf_token": csrf_from(page),
            "template": "",
            "name": "Visit",
            "key": "visit",
            "locales": ["en", "ru"],
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    survey_url = created.headers["Location"]
    page = client.get(survey_url).get_data(as_text=True)
    assert _option(page, "likert") == _says(app, "ru", "Rating scale (Likert)")
    added = client.post(
        survey_url.split("?")[0] + "/questions", data={"csrf_token": csrf_from(page), "type": "likert"}
    )
    assert added.status_code == 302
    question_url = added.headers["Location"]
    page = client.get(question_url).get_data(as_text=True)
    assert f'<span class="tag">{_says(app, "ru", "rating scale")}</span>' in page
    assert _option(page, "driver") == _says(app, "ru", "driver")

    saved = client.post(
        question_url,
        data={
            "csrf_token": csrf_from(page),
            "role": "driver",
            "attribute": "staff",
            "page": "1",
            "scale_points": "5",
            "text_en": "How satisfied were you with our excellent and friendly staff?",
        },
    )
    page = saved.get_data(as_text=True)
    assert saved.status_code == 200, page
    error, leading = _says(app, "ru", "error"), _says(app, "ru", "leading")
    assert f'<span class="sev">{error}</span> <strong>{leading}</strong>' in page
    assert '<span class="sev">error</span>' not in page
    words = json.loads(unescape(re.search(r"data-words='([^']*)'", page).group(1)))
    assert words["double_barreled"] == _says(app, "ru", "two questions in one")
    assert words["info"] == _says(app, "ru", "advice")
    assert re.search(r'<option selected value="driver">|<option value="driver" selected>', page)

    listing = client.get(survey_url).get_data(as_text=True)
    assert f'<span class="tag muted-tag">{_says(app, "ru", "driver")}</span>' in listing
    assert f'<span class="tag">{_says(app, "ru", "rating scale")}</span>' in listing


def test_a_persian_analyst_reads_why_invitations_were_held_back(app, client, auth, api):
    survey(app)
    assert api.post("/purchases", purchase("o-1", "c-1", email=None)).status_code == 201
    auth.as_role("analyst")
    _speak(client, "fa")
    page = client.get("/staff/dispatch").get_data(as_text=True)
    held = _says(app, "fa", "no address or number")
    assert f'<span class="tag muted-tag">{held}</span>' in page
    assert "no contact" not in page and "no_contact" not in page
