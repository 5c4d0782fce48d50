"""/ask: answer a safety question from the knowledge base, for the patient's own drugs."""

from __future__ import annotations

from bot.domain.ask import AskResult, answer_on, patient_medicines
from bot.domain.knowledge import DrugInfo, KnowledgeBase, Topic
from bot.services.medications import medication_names
from bot.services.ports import UnitOfWorkFactory

# What a topic button is about: a drug's key, the patient's own medicines, or any medicine.
MINE = "mine"
GENERAL = "general"


async def answer_topics(
    uow_factory: UnitOfWorkFactory,
    *,
    kb: KnowledgeBase,
    chat_id: int,
    subject: str,
    topics: list[Topic],
) -> list[AskResult]:
    """A topic button: the facts for the drug it names, or for each of the patient's own."""
    drugs: tuple[DrugInfo, ...] = (kb.drugs[subject],) if subject in kb.drugs else ()
    if subject == MINE:
        drugs = patient_medicines(kb, await medication_names(uow_factory, chat_id))
    return [answer_on(kb, topic, drugs) for topic in topics]
