"""The replies to an emergency: one per kind, calm, naming whom to call in the patient's country.

First-aid wording follows the source each kind cites in bot/knowledge/emergencies/en.yaml (NHS
"When to call 999", NHS anaphylaxis and stroke pages, Poison Help, the intrathecal baclofen
boxed warning, the 988 Lifeline); the bot never tells anyone to change a dose.
"""

from __future__ import annotations

from babel.core import get_global

from bot.domain.emergencies import Contact, Emergency, EmergencyContacts
from bot.domain.knowledge import KnowledgeBase
from bot.tg.i18n import N_, _


def contacts_for(kb: KnowledgeBase, zone: str | None) -> EmergencyContacts:
    """The numbers of the country the patient's time zone is in; the fallback's for the rest."""
    country = get_global("zone_territories").get(zone or "")
    found = kb.contacts.get(country or "", EmergencyContacts())
    fallback = kb.fallback_contacts
    return EmergencyContacts(
        emergency=found.emergency or fallback.emergency,
        poison=found.poison or fallback.poison,
        crisis=found.crisis or fallback.crisis,
    )


def _call(contact: Contact | None) -> str:
    """The number first, to dial at a glance: "030 19240 (Giftnotruf der Charite Berlin,
    regional centre; 24h)"; a line with words in it ("112 in Europe...") after its name."""
    if contact is None:
        return _("your local emergency number")
    number = contact.number or contact.web
    if not contact.name:
        return number
    name = contact.name.replace(" (", ", ").replace(")", "")
    if any(char.isalpha() for char in contact.number):
        return f"{name} ({number})"
    return f"{number} ({name})"


# One reply per emergency; {emergency}, {poison} and {crisis} are the patient's numbers.
# TRANSLATORS: emergency replies. Keep the meaning exactly (first aid follows the sources named
# in bot/knowledge/emergencies/en.yaml); {emergency}, {poison}, {crisis} become a number and
# a name, e.g. "112 (Notruf)". "Face drooping, Arm weakness, Speech problems: Time to call" is
# the FAST test: use your country's own version if it has one.
_REPLIES = {
    Emergency.SEIZURE: N_(
        "🚨 A seizure (fit) needs help now: call {emergency}.\n"
        "While you wait: move hard or sharp things away, cushion the head, loosen tight "
        "clothing, and do not hold the person down or put anything in their mouth. Note when "
        "it started. When the shaking stops, turn them on their side and stay with them."
    ),
    Emergency.HALLUCINATIONS: N_(
        "🚨 Seeing or hearing things that are not there can be a sign of withdrawal or of a "
        "reaction to a medicine. Get medical help now: call {emergency}, at once if there is "
        "also confusion, fever or a fit. Stay with the person and keep them safe. Tell the "
        "doctors which medicines were taken or missed."
    ),
    Emergency.BREATHING: N_(
        "🚨 Trouble breathing is an emergency: call {emergency} now.\n"
        "If the person is awake, help them sit upright. If they are not breathing, the call "
        "handler will tell you what to do."
    ),
    Emergency.ALLERGIC_REACTION: N_(
        "🚨 Swelling of the face, lips, tongue or throat, or a rash with trouble breathing, "
        "can be a severe allergic reaction (anaphylaxis): call {emergency} now.\n"
        "If you have an adrenaline auto-injector (such as an EpiPen), use it now as you were "
        "shown. Do not take another dose of the medicine."
    ),
    Emergency.UNRESPONSIVE: N_(
        "🚨 Someone who has collapsed, does not come round or cannot be woken needs help "
        "now: call {emergency}.\n"
        "Check they are breathing. If they are, lay them on their side; if not, the call "
        "handler will tell you what to do. Tell them which medicines the person takes."
    ),
    Emergency.CHEST_PAIN: N_(
        "🚨 Chest pain, pressure or tightness can be a heart attack: call {emergency} now. "
        "Do not drive yourself. Sit down and rest while you wait."
    ),
    Emergency.STROKE: N_(
        "🚨 These can be signs of a stroke: call {emergency} now, every minute counts.\n"
        "Face drooping, Arm weakness, Speech problems: Time to call. Note the time the signs "
        "started and tell the call handler."
    ),
    Emergency.OVERDOSE: N_(
        "🚨 This may be an overdose. If the person is very drowsy, hard to wake, breathing "
        "slowly or has a fit, call {emergency} now.\n"
        "Otherwise call {poison} now for advice, even if they seem well. Keep the medicine "
        "packet to show, and do not take any more of it."
    ),
    Emergency.PUMP: N_(
        "🚨 A pump alarm, an empty pump, a failing pump or a missed refill is an emergency: "
        "if intrathecal baclofen stops suddenly, withdrawal can cause high fever, confusion, "
        "rebound spasms and muscle stiffness, and it can be life-threatening.\n"
        "Call your pump team (the clinic that refills your pump) now. If you cannot reach "
        "them, or you have fever, confusion or stiffness, call {emergency}."
    ),
    Emergency.CRISIS: N_(
        "💙 Thank you for telling me. You don't have to go through this alone, and help is "
        "there right now.\n"
        "Please talk to someone now: {crisis}. If you or someone else might act on these "
        "thoughts, or is in danger, call {emergency}.\n"
        "If you can, stay with someone you trust and keep medicines out of reach."
    ),
}


def emergency_reply(kind: Emergency, contacts: EmergencyContacts) -> str:
    return _(_REPLIES[kind]).format(
        emergency=_call(contacts.emergency),
        poison=_call(contacts.poison or contacts.emergency),
        crisis=_call(contacts.crisis),
    )


# TRANSLATORS: what an emergency was, in a caregiver's alert ("🚨 Alice may be having an
# emergency: • Mon 05 Jan 08:00: a seizure").
_LABELS = {
    Emergency.SEIZURE: N_("a seizure"),
    Emergency.HALLUCINATIONS: N_("hallucinations"),
    Emergency.BREATHING: N_("trouble breathing"),
    Emergency.ALLERGIC_REACTION: N_("a severe allergic reaction"),
    Emergency.UNRESPONSIVE: N_("collapse or not waking"),
    Emergency.CHEST_PAIN: N_("chest pain"),
    Emergency.STROKE: N_("signs of a stroke"),
    Emergency.OVERDOSE: N_("a possible overdose"),
    Emergency.PUMP: N_("a baclofen pump problem"),
    Emergency.CRISIS: N_("thoughts of suicide or self-harm"),
}


def emergency_label(kind: Emergency) -> str:
    return _(_LABELS[kind])


def if_in_danger(contacts: EmergencyContacts) -> str:
    """Under a reply to a message the bot did not understand: an emergency told in words the
    detector does not know yet must still meet the numbers."""
    return _(
        "If you or someone else is in danger now, call {emergency}. If you are thinking of "
        "ending your life, you can talk to someone now: {crisis}."
    ).format(emergency=_call(contacts.emergency), crisis=_call(contacts.crisis))
