"""The pharmacist's review of the knowledge base, one test per correction: each would fail on
the text shipped before the review (see /work/staging/kb_review.md for the sources checked)."""

from __future__ import annotations

import pytest

from bot.domain.knowledge import DrugInfo, KnowledgeBase, Topic
from bot.knowledge.loader import load_knowledge


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def text_of(drug: DrugInfo, *topics: Topic) -> str:
    return " ".join(fact.text for topic in topics for fact in drug.topics.get(topic, ())).casefold()


def sources_of(drug: DrugInfo, *topics: Topic) -> str:
    return " ".join(fact.source for topic in topics for fact in drug.topics.get(topic, ()))


def every_source(kb: KnowledgeBase) -> list[str]:
    tables = [drug.topics for drug in kb.drugs.values()] + [kb.general]
    return [fact.source for topics in tables for facts in topics.values() for fact in facts]


# 1. Clonazepam and breastfeeding


def test_clonazepam_breastfeeding_warns_of_sedation_and_apnoea_in_infants(
    kb: KnowledgeBase,
) -> None:
    clonazepam = kb.drugs["clonazepam"]
    text = text_of(clonazepam, Topic.BREASTFEEDING)
    assert "not well known" not in text
    assert "sedation" in text or "sleepiness" in text
    assert "apnoea" in text or "breathing" in text
    assert "not to breastfeed" in text  # the label advises against it
    assert "LactMed" in sources_of(clonazepam, Topic.BREASTFEEDING)


# 2. Danger signs are per drug


def test_sertraline_has_no_emergency_danger_signs_because_discontinuation_is_self_limiting(
    kb: KnowledgeBase,
) -> None:
    sertraline = kb.drugs["sertraline"]
    assert sertraline.danger_signs == ()
    assert "settle on their own" in text_of(sertraline, Topic.WITHDRAWAL)


def test_every_drug_but_sertraline_names_its_own_danger_signs(kb: KnowledgeBase) -> None:
    for drug in kb.drugs.values():
        assert all(sign == sign.casefold() and sign.strip() for sign in drug.danger_signs)
        if drug.key != "sertraline":
            assert drug.danger_signs, drug.key
    signs = {key: " ".join(drug.danger_signs) for key, drug in kb.drugs.items()}
    assert {"seizures", "hallucinations", "high fever", "confusion"} <= set(
        kb.drugs["baclofen"].danger_signs
    )
    assert "seizures" in kb.drugs["clonazepam"].danger_signs
    assert "seizures" in kb.drugs["gabapentin"].danger_signs
    assert kb.drugs["metoprolol"].danger_signs == ("chest pain",)
    assert "severe headache" in signs["clonidine"] and "chest pain" in signs["clonidine"]
    assert "stroke" in signs["clonidine"]
    assert "vomiting" in signs["prednisone"] and "collapse" in signs["prednisone"]
    assert "seizure" not in signs["metoprolol"] + signs["prednisone"] + signs["clonidine"]


def test_prednisone_never_stop_suddenly_applies_after_weeks_not_to_a_short_course(
    kb: KnowledgeBase,
) -> None:
    prednisone = kb.drugs["prednisone"]
    stopping = text_of(prednisone, Topic.STOPPING)
    assert "short course" in stopping and "3 weeks" in stopping
    for topic in (Topic.STOPPING, Topic.WITHDRAWAL, Topic.DEPENDENCE):
        for fact in prednisone.topics[topic]:
            if "sudden" in fact.text.casefold():
                words = fact.text.casefold()
                assert "weeks" in words or "long use" in words or "short course" in words, fact


# 3. Horizant and Gralise are different products


def test_horizant_and_gralise_are_not_names_of_gabapentin(kb: KnowledgeBase) -> None:
    gabapentin = kb.drugs["gabapentin"]
    assert "horizant" not in gabapentin.names and "gralise" not in gabapentin.names
    assert kb.drug_named("Horizant 600 mg") is kb.drugs["gabapentin_enacarbil"]
    assert kb.drug_named("Gralise") is kb.drugs["gralise"]
    assert "gabapentin enacarbil" in kb.drugs["gabapentin_enacarbil"].names


def test_horizant_and_gralise_files_say_they_are_not_interchangeable_with_gabapentin(
    kb: KnowledgeBase,
) -> None:
    for key in ("gabapentin_enacarbil", "gralise"):
        drug = kb.drugs[key]
        assert "not interchangeable" in text_of(drug, Topic.STOPPING), key
        assert key.replace("_", " ") in drug.names or key in drug.names
    # Horizant's own missed-dose rule: the missed dose is not made up.
    assert "not made up" in text_of(kb.drugs["gabapentin_enacarbil"], Topic.MISSED_DOSE)
    assert "evening meal" in text_of(kb.drugs["gralise"], Topic.MISSED_DOSE)


def test_gabapentin_missed_dose_and_stopping_say_horizant_and_gralise_differ(
    kb: KnowledgeBase,
) -> None:
    gabapentin = kb.drugs["gabapentin"]
    for topic in (Topic.MISSED_DOSE, Topic.STOPPING):
        text = text_of(gabapentin, topic)
        assert "horizant" in text and "gralise" in text, topic
        assert "capsules, tablets and oral solution" in text, topic


# 4. Baclofen dependence: soften the article's claim, add the label's warning


def test_baclofen_dependence_softens_the_article_claim_and_cites_the_label_warning(
    kb: KnowledgeBase,
) -> None:
    baclofen = kb.drugs["baclofen"]
    text = text_of(baclofen, Topic.DEPENDENCE)
    assert "baclofen is less addictive than many drugs" not in text
    assert "misuse" in text and "abuse" in text and "dependence" in text
    sources = sources_of(baclofen, Topic.DEPENDENCE)
    assert "SmPC" in sources or "label" in sources


# 5. Baclofen interactions named by the labels


def test_baclofen_interactions_name_lithium_tricyclics_antihypertensives_levodopa_and_kidneys(
    kb: KnowledgeBase,
) -> None:
    baclofen = kb.drugs["baclofen"]
    text = text_of(baclofen, Topic.INTERACTIONS)
    for named in ("lithium", "tricyclic", "blood pressure", "levodopa", "kidney", "opioid"):
        assert named in text, named
    assert "section 4.5" in sources_of(baclofen, Topic.INTERACTIONS)


# 6. New topics, one test each


def test_kidney_baclofen_and_gabapentin_say_the_dose_depends_on_kidney_function(
    kb: KnowledgeBase,
) -> None:
    for key in ("baclofen", "gabapentin", "gabapentin_enacarbil", "gralise"):
        assert "kidney" in text_of(kb.drugs[key], Topic.KIDNEY), key
    baclofen = kb.drugs["baclofen"]
    assert "even at low doses" in text_of(baclofen, Topic.KIDNEY)
    # The low-dose wording is in the UK SmPC, not in the US labels: cite what says it.
    for topic in (Topic.KIDNEY, Topic.OVERDOSE):
        for fact in baclofen.topics[topic]:
            if "low doses" in fact.text:
                assert "UK SmPC" in fact.source and "4.4" in fact.source, fact
    assert kb.general.get(Topic.KIDNEY)


def test_older_age_warns_of_falls_confusion_and_low_sodium_with_sertraline(
    kb: KnowledgeBase,
) -> None:
    assert "sodium" in text_of(kb.drugs["sertraline"], Topic.OLDER_AGE)
    for key in ("baclofen", "clonazepam", "gabapentin"):
        assert "falls" in text_of(kb.drugs[key], Topic.OLDER_AGE), key
    assert "confus" in text_of(kb.drugs["clonazepam"], Topic.OLDER_AGE)
    general = " ".join(fact.text for fact in kb.general[Topic.OLDER_AGE]).casefold()
    assert "falls" in general


def test_epilepsy_covers_seizure_control_and_sudden_stops(kb: KnowledgeBase) -> None:
    assert "epilepsy worse" in text_of(kb.drugs["baclofen"], Topic.EPILEPSY)
    assert "seizure" in text_of(kb.drugs["sertraline"], Topic.EPILEPSY)
    for key in ("gabapentin", "clonazepam"):
        text = text_of(kb.drugs[key], Topic.EPILEPSY)
        assert "epilepsy medicine" in text and "status epilepticus" in text, key
    general = " ".join(fact.text for fact in kb.general[Topic.EPILEPSY]).casefold()
    assert "emergency" in general


def test_surgery_says_tell_the_team_and_not_to_stop_beta_blockers_clonidine_or_steroids(
    kb: KnowledgeBase,
) -> None:
    for key in ("metoprolol", "clonidine"):
        text = text_of(kb.drugs[key], Topic.SURGERY)
        assert "do not stop" in text and "anaesthetist" in text, key
    assert "steroid cover" in text_of(kb.drugs["prednisone"], Topic.SURGERY)
    assert "pump" in text_of(kb.drugs["baclofen"], Topic.SURGERY)
    general = " ".join(fact.text for fact in kb.general[Topic.SURGERY]).casefold()
    assert "every medicine" in general and "do not stop" in general


def test_pump_covers_refills_alarms_and_early_withdrawal_signs(kb: KnowledgeBase) -> None:
    baclofen = kb.drugs["baclofen"]
    text = text_of(baclofen, Topic.PUMP)
    assert "refill" in text and "alarm" in text and "early signs" in text
    assert "Boxed Warning" in sources_of(baclofen, Topic.PUMP)
    general = " ".join(fact.text for fact in kb.general[Topic.PUMP]).casefold()
    assert "alarm" in general and "pump team" in general


def test_the_general_advice_answers_every_new_topic(kb: KnowledgeBase) -> None:
    for topic in (Topic.KIDNEY, Topic.OLDER_AGE, Topic.EPILEPSY, Topic.SURGERY, Topic.PUMP):
        assert kb.general.get(topic), topic


# 7. Citations


def test_no_source_cites_the_retired_nihseniorhealth_site(kb: KnowledgeBase) -> None:
    sources = every_source(kb)
    assert not [source for source in sources if "NIHSeniorHealth" in source]
    assert any("National Institute on Aging" in source for source in sources)


def test_no_source_is_a_repository_path_and_the_seed_article_is_cited_by_title(
    kb: KnowledgeBase,
) -> None:
    sources = every_source(kb)
    assert not [source for source in sources if "shared/" in source or ".txt" in source]
    assert any("Is Baclofen Addictive: Understanding Its Risks and Benefits" in s for s in sources)
