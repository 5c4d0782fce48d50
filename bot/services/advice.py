"""/ask: answer a safety question from the knowledge base, for the patient's own drugs."""

from __future__ import annotations

from bot.domain.ask import AskResult, answer_question
from bot.domain.knowledge import Fact, KnowledgeBase, Topic
from bot.services.ports import UnitOfWorkFactory

GENERAL = "general"


async def answer_safety_question(
    uow_factory: UnitOfWorkFactory, *, kb: KnowledgeBase, chat_id: int, question: str
) -> AskResult:
    return answer_question(kb, question, await _medication_names(uow_factory, chat_id))


async def patient_drug_key(
    uow_factory: UnitOfWorkFactory, *, kb: KnowledgeBase, chat_id: int
) -> str:
    """The first of the patient's drugs the knowledge base covers, for the topic buttons."""
    for name in await _medication_names(uow_factory, chat_id):
        drug = kb.drug_named(name)
        if drug is not None:
            return drug.key
    return GENERAL


async def _medication_names(uow_factory: UnitOfWorkFactory, chat_id: int) -> list[str]:
    async with uow_factory() as uow:
        patient = await uow.patients.by_chat(chat_id)
        medications = await uow.medications.of_patient(patient.id) if patient else []
    return [medication.name for medication in medications]


def topic_facts(kb: KnowledgeBase, drug_key: str, topics: list[Topic]) -> tuple[str, list[Fact]]:
    """Facts on the topics for a drug (or general advice): the display name and the facts."""
    drug = kb.drugs.get(drug_key)
    facts: list[Fact] = []
    for topic in topics:
        facts += drug.topics.get(topic, ()) if drug else kb.general.get(topic, ())
    return (drug.display_name if drug else ""), facts
