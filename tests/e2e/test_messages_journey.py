"""Messages in Chromium: the seeker sends a message with a document; the counsellor,
whose page is already open, sees it appear without reloading (static/js/messages.js
asks every 10 seconds) and answers; the seeker's open page then shows the answer and
"Lu" under their own message. axe-core runs on both pages and on the inbox."""

import re

from playwright.sync_api import expect

from contact.models import Attachment, Message
from tests.e2e.conftest import VIEWPORT, assert_no_serious_axe_violations, log_in
from tests.files import EXE_BYTES, pdf_bytes

# One poll (10 s) and the time to answer it.
WITHIN_A_POLL = 15_000


def test_a_message_reaches_the_open_page_of_the_other_side(
    browser, base_url, live_server, seeker, counsellor, password, tmp_path, settings
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    document = tmp_path / "Mon CV.pdf"
    document.write_bytes(pdf_bytes())
    contexts = [browser.new_context(base_url=base_url, locale="fr-FR", viewport=VIEWPORT) for _ in range(2)]
    seeker_page, counsellor_page = (context.new_page() for context in contexts)
    try:
        log_in(counsellor_page, counsellor.email, password)
        counsellor_page.goto(f"/portefeuille/demandeurs/{seeker.pk}/messages/")
        assert_no_serious_axe_violations(counsellor_page)
        counsellor_chat = counsellor_page.locator("#chat-messages > li")
        expect(counsellor_chat).to_have_count(0)

        log_in(seeker_page, seeker.email, password)
        seeker_page.get_by_role("link", name=re.compile("Mes messages")).click()
        assert_no_serious_axe_violations(seeker_page)
        seeker_page.get_by_label("Votre message").fill("Bonjour, voici mon CV <b>à jour</b>.")
        seeker_page.get_by_label(re.compile("Joindre un document")).set_input_files(str(document))
        seeker_page.get_by_role("button", name="Envoyer").click()
        seeker_chat = seeker_page.locator("#chat-messages > li")
        expect(seeker_chat).to_have_count(1)
        expect(seeker_chat.first.locator(".chat__read")).to_be_hidden()
        assert Attachment.objects.get().file_name == "Mon CV.pdf"

        # The counsellor's page, not reloaded, shows it.
        expect(counsellor_chat).to_have_count(1, timeout=WITHIN_A_POLL)
        expect(counsellor_chat.first).to_contain_text("Bonjour, voici mon CV <b>à jour</b>.")
        expect(counsellor_chat.first.get_by_role("link", name="Mon CV.pdf")).to_be_visible()
        counsellor_page.get_by_label("Votre message").fill("Merci, je le relis cet après-midi.")
        counsellor_page.get_by_role("button", name="Envoyer").click()
        expect(counsellor_chat).to_have_count(2)
        assert Message.objects.filter(from_seeker=True).get().read_at is not None

        # The seeker's page, not reloaded: the answer, and "Lu" under their message.
        expect(seeker_chat).to_have_count(2, timeout=WITHIN_A_POLL)
        expect(seeker_chat.nth(1)).to_contain_text("Merci, je le relis cet après-midi.")
        expect(seeker_chat.first.locator(".chat__read")).to_have_text("Lu")

        counsellor_page.get_by_role("link", name="Tous les messages").click()
        expect(counsellor_page.get_by_role("rowheader")).to_have_text([seeker.get_full_name()])
        assert_no_serious_axe_violations(counsellor_page)
    finally:
        for context in contexts:
            context.close()


def test_a_refused_attachment_and_the_response_times_page_are_accessible(
    page, live_server, seeker, manager, password, tmp_path
):
    program = tmp_path / "CV.pdf"
    program.write_bytes(EXE_BYTES)
    log_in(page, seeker.email, password)
    page.goto("/mes-messages/")
    page.get_by_label("Votre message").fill("Voici mon CV.")
    page.get_by_label(re.compile("Joindre un document")).set_input_files(str(program))
    page.get_by_role("button", name="Envoyer").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Son contenu a été vérifié, pas son nom")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Votre message")).to_have_value("Voici mon CV.")
    assert not Message.objects.exists()
    assert_no_serious_axe_violations(page)

    page.get_by_role("button", name=re.compile("Se déconnecter|Log out")).click()
    log_in(page, manager.email, password)
    page.goto("/portefeuille/messages/delais/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Délais de réponse")
    assert_no_serious_axe_violations(page)
