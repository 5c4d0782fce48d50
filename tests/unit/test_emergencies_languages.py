"""Emergencies in German, Spanish and Russian: every category in each language's everyday
words (typos, missing accents and umlauts, either word order), read in every message whatever
the patient's language; denials not red-flagged, negative phrases always emergencies, and
everyday sentences of each language never an alarm (no word of one language is "repaired"
into another's emergency word). The phrase files are validated at load, naming file and field.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from wordfreq import get_frequency_dict

from bot.domain.emergencies import Emergency
from bot.domain.knowledge import KnowledgeBase
from bot.domain.wording import plain, transliterated
from bot.knowledge.emergency_files import EMERGENCY_FOLDER, REAL_WORDS, load_lexicons
from bot.knowledge.files import KnowledgeError
from bot.knowledge.loader import KNOWLEDGE_FOLDER, load_knowledge
from bot.knowledge.refresh_real_words import emergency_words_at_risk

E = Emergency
LANGUAGES = ("de", "es", "ru")

MESSAGES: dict[str, dict[Emergency, list[str]]] = {
    "de": {
        E.SEIZURE: [
            "Mein Mann hat gerade einen Krampfanfall, was soll ich tun?",
            "/log Krampfanfal heute morgen, ca 3 minuten",
            "sie zuckt am ganzen koerper und hört nicht auf",
            "hatte heute nacht wieder einen Anfall, Zunge zerbissen",
            "Epileptischer Anfall nach dem Absetzen von Baclofen",
        ],
        E.HALLUCINATIONS: [
            "Meine Mutter sieht Leute im Zimmer, die nicht da sind",
            "Er hört Stimmen seit der neuen Dosis",
            "/log Haluzinationen seit gestern Abend",
            "Opa redet mit seiner verstorbenen Frau und sieht Käfer an der Wand krabbeln",
        ],
        E.BREATHING: [
            "Ich bekomme keine Luft!",
            "mein Vater atmet ganz flach und röchelt",
            "Atemnott seit einer Stunde, das Spray hilft nicht",
            "sie kann kaum atmen und die Lippen werden blau",
        ],
        E.ALLERGIC_REACTION: [
            "Nach der ersten Tablette ist meine Zunge angeschwollen",
            "Quaddeln am ganzen Koerper und der Hals wird eng",
            "anaphylaktischer Schock? Lippen und Gesicht geschwollen",
            "allergische Reaktion, kann kaum schlucken",
        ],
        E.UNRESPONSIVE: [
            "Meine Frau ist bewusstlos und wacht nicht auf",
            "Er ist umgekippt und nicht ansprechbar",
            "opa ist nicht wach zu kriegen",
            "bewustlos auf dem Boden gefunden",
        ],
        E.CHEST_PAIN: [
            "Starke Schmerzen in der Brust, es zieht in den linken Arm",
            "brustschmerzen seit 20 min",
            "Druck auf der Brust und ich schwitze",
            "ich glaube mein Vater hat einen Herzinfarkt",
        ],
        E.STROKE: [
            "Sein Mundwinkel hängt und er spricht ganz verwaschen",
            "Verdacht auf Schlaganfall, rechte Seite gelähmt",
            "Oma kann den Arm nicht mehr heben und lallt",
            "schlaganfal? gesicht ganz schief",
        ],
        E.OVERDOSE: [
            "Ich habe aus Versehen 10 Tabletten genommen",
            "Mein Sohn (2) hat meine Tabletten geschluckt",
            "sie hat die ganze Packung Baclofen genommen",
            "zwanzig Tabletten auf einmal geschluckt",
            "ueberdosis, glaube ich",
        ],
        E.PUMP: [
            "Die Baclofenpumpe piept und zeigt einen Fehler",
            "Termin zum Auffüllen der Pumpe verpasst",
            "Pumpe ist leer und die Spastik wird schlimmer",
        ],
        E.CRISIS: [
            "Ich will nicht mehr leben",
            "Ich denke an Selbstmord",
            "habe mich wieder geritzt",
            "Alle wären besser ohne mich",
            "ich bin so lebensmüde",
        ],
    },
    "es": {
        E.SEIZURE: [
            "Mi hijo está convulsionando, ¿qué hago?",
            "/log tuvo una convulsion esta mañana",
            "le dio un ataque epileptico y se mordio la lengua",
            "combulsiones desde anoche",
            "mi madre se puso rígida y con los ojos en blanco",
        ],
        E.HALLUCINATIONS: [
            "Mi padre ve bichos en la pared que no existen",
            "escucha voces que le dicen cosas",
            "tiene alucinaciones desde que dejó el baclofeno",
            "creo que tengo alusinaciones",
        ],
        E.BREATHING: [
            "No puedo respirar",
            "mi esposo respira con mucha dificultad y tiene los labios morados",
            "le falta el aire y se ahoga",
            "dificultad para respirar despues de la pastilla",
        ],
        E.ALLERGIC_REACTION: [
            "Se me está hinchando la lengua después de la pastilla",
            "tiene la cara y los labios hinchados y ronchas por todo el cuerpo",
            "creo que es una reacción alérgica, se me cierra la garganta",
            "shock anafilactico",
        ],
        E.UNRESPONSIVE: [
            "Mi abuela está inconsciente y no responde",
            "se desmayó en la cocina",
            "no puedo despertarlo",
            "perdio el conocimiento hace 5 minutos",
        ],
        E.CHEST_PAIN: [
            "Tengo un dolor fuerte en el pecho",
            "me duele el pecho y el brazo izquierdo",
            "creo que le está dando un infarto",
            "opresion en el pecho desde hace una hora",
        ],
        E.STROKE: [
            "tiene la boca torcida y no puede mover el brazo",
            "creo que es un ictus, habla rara",
            "se le cayó la cara de un lado",
            "derrame cerebral?",
        ],
        E.OVERDOSE: [
            "Me tomé 20 pastillas de golpe",
            "Mi hija de 3 años se tragó unas pastillas de mi bolso",
            "se tomó toda la caja de clonazepam",
            "tome diez pastillas",
            "sobredosis",
        ],
        E.PUMP: [
            "La bomba de baclofeno está pitando",
            "se me pasó la cita para rellenar la bomba",
            "la bomba intratecal se quedó sin batería",
            "no me han rellenado la bomba y tengo espasmos",
        ],
        E.CRISIS: [
            "Quiero morirme",
            "estoy pensando en suicidarme",
            "ya no quiero vivir",
            "me corto los brazos otra vez",
            "mi familia estaria mejor sin mi",
        ],
    },
    "ru": {
        E.SEIZURE: [
            "У мужа судороги, что делать?",
            "у сына опять приступ, трясет всем телом",
            "/log эпилептический припадок утром",
            "судароги после отмены баклофена",
            "пена изо рта и глаза закатились",
        ],
        E.HALLUCINATIONS: [
            "Мама видит людей, которых нет",
            "он слышит голоса",
            "галюцинации после новой дозы",
            "дедушка разговаривает с покойной бабушкой",
        ],
        E.BREATHING: [
            "Не могу дышать",
            "задыхается, губы синие",
            "ему тяжело дышать",
            "задыхаеться после таблетки",
        ],
        E.ALLERGIC_REACTION: [
            "распух язык после таблетки",
            "отёк Квинке",
            "анафилактический шок",
            "крапивница по всему телу и горло сжимает",
        ],
        E.UNRESPONSIVE: [
            "Папа без сознания",
            "она потеряла сознание на кухне",
            "не могу разбудить маму",
            "упал в обморок",
        ],
        E.CHEST_PAIN: [
            "сильная боль в груди",
            "давит в груди и отдает в левую руку",
            "кажется у него инфаркт",
            "болит сердце, жжет за грудиной",
        ],
        E.STROKE: [
            "лицо перекосило и речь невнятная",
            "у бабушки инсульт?",
            "рука онемела и не слушается",
            "инсулт наверное, язык заплетается",
        ],
        E.OVERDOSE: [
            "Я выпил 20 таблеток",
            "ребёнок проглотил мои таблетки",
            "наглоталась таблеток",
            "выпил всю пачку снотворного",
            "десять таблеток сразу",
        ],
        E.PUMP: [
            "помпа пищит",
            "пропустили заправку помпы",
            "баклофеновая помпа не работает",
            "помпа пустая, спазмы усилились",
        ],
        E.CRISIS: [
            "Не хочу жить",
            "хочу умереть",
            "думаю о суициде",
            "режу себя",
            "хочу покончить с собой",
        ],
    },
}

DENIALS: dict[str, list[tuple[str, Emergency]]] = {
    "de": [
        ("kein Anfall heute", E.SEIZURE),
        ("Heute keine Krampfanfälle, nur müde", E.SEIZURE),
        ("Anfälle hatte sie diese Woche keine", E.SEIZURE),
        ("keine Atemnot mehr", E.BREATHING),
        ("Keine Brustschmerzen seit gestern", E.CHEST_PAIN),
        ("Halluzinationen hatte er keine", E.HALLUCINATIONS),
        ("Schlaganfall wurde im Krankenhaus ausgeschlossen", E.STROKE),
    ],
    "es": [
        ("no tuvo convulsiones", E.SEIZURE),
        ("No he tenido convulsiones esta semana", E.SEIZURE),
        ("convulsiones no ha tenido desde marzo", E.SEIZURE),
        ("sin dolor en el pecho", E.CHEST_PAIN),
        ("Ya no tiene alucinaciones", E.HALLUCINATIONS),
        ("descartaron un ictus", E.STROKE),
    ],
    "ru": [
        ("приступов не было", E.SEIZURE),
        ("Судорог нет", E.SEIZURE),
        ("боли в груди нет", E.CHEST_PAIN),
        ("галлюцинаций больше не было", E.HALLUCINATIONS),
        ("без судорог, просто устал", E.SEIZURE),
        ("инсульт исключили", E.STROKE),
    ],
}

# Negative phrases: an emergency, never a denial.
NEGATIVE: dict[str, list[tuple[str, Emergency]]] = {
    "de": [
        ("er atmet nicht", E.BREATHING),
        ("sie wacht nicht auf", E.UNRESPONSIVE),
        ("er reagiert nicht mehr", E.UNRESPONSIVE),
        ("ich kann nicht atmen", E.BREATHING),
        ("kein Puls!", E.UNRESPONSIVE),
    ],
    "es": [
        ("no respira", E.BREATHING),
        ("no reacciona", E.UNRESPONSIVE),
        ("no puedo respirar", E.BREATHING),
        ("no se despierta", E.UNRESPONSIVE),
        ("no tiene pulso", E.UNRESPONSIVE),
    ],
    "ru": [
        ("не дышит", E.BREATHING),
        ("не реагирует", E.UNRESPONSIVE),
        ("не могу дышать", E.BREATHING),
        ("не приходит в себя", E.UNRESPONSIVE),
        ("нет пульса", E.UNRESPONSIVE),
    ],
}

EVERYDAY: dict[str, list[str]] = {
    "de": [
        "Ich habe meine Tablette genommen",
        "Habe heute alle Tabletten genommen",
        "Ich nehme zweimal täglich 10 mg Baclofen",
        "Mir geht es heute gut, ich bin wieder fit",
        "Mein Plan für die Woche: jeden Tag spazieren gehen",
        "Ich habe Krämpfe in den Waden, besonders nachts",
        "Etwas müde nach der Einnahme",
        "Darf ich Alkohol trinken, wenn ich Baclofen nehme?",
        "Die Tablette ist zu groß, ich kann sie nicht schlucken",
        "Ich war heute beim Arzt, alles in Ordnung",
        "Wann soll ich die nächste Dosis nehmen?",
        "Ich habe die Tablette vergessen, was nun?",
        "Meine Tochter hilft mir mit den Medikamenten",
        "Der Blutdruck war heute etwas höher",
        "Ich habe leichte Kopfschmerzen",
        "Mein Sohn hat heute gut gegessen und seine Tabletten genommen",
        "Ich schlafe schlecht, seit ich das Medikament nehme",
        "Nach dem Sport bin ich außer Atem",
        "Die Pumpe für das Aquarium ist kaputt",
        "Kann ich Ibuprofen zusammen mit Gabapentin nehmen?",
        "Ich nehme 4 Tabletten am Tag",
        "Sie verdreht die Augen, wenn ich sie an die Tabletten erinnere",
    ],
    "es": [
        "Tomé mi pastilla",
        "Me tomé la pastilla de la tensión a las once",
        "Tomo 4 pastillas al día",
        "Mi tía me ayuda con las medicinas",
        "Quiero que mi hijo coma algo antes de la pastilla",
        "Me duele un poco la cabeza",
        "Hoy me siento bien",
        "¿Puedo tomar alcohol con baclofeno?",
        "Me muero de hambre",
        "Me corté el pelo hoy",
        "Caminé 5 kms esta mañana",
        "Mi hija no responde a mis mensajes",
        "Tengo calambres en las piernas por la noche",
        "Olvidé la pastilla de la mañana",
        "Tengo la garganta un poco irritada",
        "Mi bebé no se despierta por la noche, duerme bien",
        "¿A qué hora debo tomar la siguiente dosis?",
        "Me dio un ataque de risa",
        "Estoy un poco cansada hoy",
        "El médico me cambió la dosis",
        "Mi hijo comió bien y tomó sus pastillas",
        "Esa película es alucinante",
    ],
    "ru": [
        "Я принял таблетку",
        "Выпил утром все таблетки",
        "Принимаю 4 таблетки в день",
        "Я приступил к работе после отпуска",
        "Судороги в ногах по ночам",
        "Умираю со смеху",
        "Немного болит голова",
        "Можно ли пить алкоголь с баклофеном?",
        "Сегодня чувствую себя хорошо",
        "Дочь не отвечает на звонки",
        "Ребёнок хорошо поел",
        "Забыл выпить таблетку вечером",
        "Кому позвонить, если закончились таблетки?",
        "Приложение глючит",
        "Кормлю грудью, можно ли мне это лекарство?",
        "Сделали рентген грудной клетки, всё нормально",
        "Немного устал после прогулки",
        "Врач поменял дозу",
        "Свет отключили на час",
        "Я не хочу пить эту таблетку утром",
        "Приступ кашля ночью",
        "Отправил врачу результаты анализов",
    ],
}


# Said in other words than the category's name: a farewell for a crisis, a face pulled to one
# side for a stroke, "se tomó unas pastillas" for an overdose, voices that give orders.
IN_OTHER_WORDS: dict[Emergency, dict[str, list[str]]] = {
    E.CRISIS: {
        "en": [
            "Thank you for everything, I won't be needing the reminders anymore",
            "I've sorted everything out, it's better this way for everyone",
            "I've been giving away my things to my friends this week",
            "I wrote letters to everyone I love last night",
            "please tell my sister I love her",
            "you won't have to remind me anymore",
            "this is my last message, thanks for everything",
            "I've put my affairs in order",
        ],
        "de": [
            "Danke für alles, die Erinnerungen brauche ich nicht mehr",
            "Ich habe alles geregelt, es ist besser so für alle",
            "Ich verschenke gerade meine Sachen an Freunde",
            "Ich habe allen Briefe geschrieben",
            "Sag meiner Schwester, dass ich sie liebe",
            "Du musst mich nicht mehr erinnern",
            "vielen Dank für alles, ab morgen braucht ihr mich nicht mehr zu erinnern",
            "Das ist meine letzte Nachricht, danke für alles",
        ],
        "es": [
            "Gracias por todo, ya no necesito los recordatorios",
            "Ya lo dejé todo arreglado, es mejor así para todos",
            "Estoy regalando mis cosas a mis amigos",
            "Escribí cartas a todos mis seres queridos",
            "Dile a mi hermana que la quiero mucho",
            "ya no tendrás que recordarme nada",
            "este es mi último mensaje, gracias por todo",
            "ya no vas a tener que avisarme de las pastillas",
        ],
        "ru": [
            "Спасибо за всё, напоминания мне больше не нужны",
            "Я всё уладил, так будет лучше для всех",
            "Раздаю свои вещи друзьям",
            "Написала всем прощальные письма",
            "Передайте сестре, что я её люблю",
            "Вам больше не придётся мне напоминать",
            "Это моё последнее сообщение, спасибо за всё",
            "Я раздала все свои вещи",
        ],
    },
    E.STROKE: {
        "en": [
            "his mouth is pulled to one side",
            "her smile looks wonky all of a sudden",
            "one side of her face isn't moving",
            "I can't understand a word he says, it came on suddenly",
            "his left arm suddenly went weak",
            "her right leg gave way and she can't feel it",
        ],
        "de": [
            "Sein Mundwinkel hängt plötzlich runter",
            "Eine Gesichtshälfte bewegt sich nicht mehr",
            "Man versteht kein Wort mehr, wenn er spricht",
            "Er lallt seit einer Stunde",
            "Der linke Arm ist auf einmal ganz schwach",
            "Ihr rechtes Bein knickt plötzlich weg",
            "sie redet wirres Zeug",
            "Das Gesicht ist auf einer Seite verzogen",
        ],
        "es": [
            "se le torció la boca",
            "no se le entiende nada cuando habla",
            "de repente se le durmió el brazo izquierdo",
            "un lado de la cara no se le mueve",
            "la pierna derecha no le responde",
            "tiene la sonrisa chueca desde esta mañana",
            "no siente la mano derecha",
            "arrastra la lengua al hablar",
        ],
        "ru": [
            "улыбка кривая",
            "одна сторона лица не двигается",
            "говорит бессвязно",
            "невнятно говорит с утра",
            "вдруг ослабла левая рука",
            "ничего не понять, что он говорит",
            "рот перекошен на одну сторону",
            "правая нога не слушается",
        ],
    },
    E.OVERDOSE: {
        "en": [
            "my 3 year old took some pills that were on the table",
            "she took the whole week's pills at once",
            "the pill organiser is empty and it was full this morning",
            "I don't know how many he took",
            "my son took pills from my handbag",
        ],
        "de": [
            "Mein Mann hat Tabletten geschluckt",
            "Sie hat die Tabletten der ganzen Woche auf einmal genommen",
            "Die Pillendose ist leer, ich weiß nicht, wie viele er genommen hat",
            "meine Tochter (3) hat Tabletten vom Tisch genommen",
            "er hat Schlaftabletten geschluckt",
            "die Wochendosette ist leer, gestern war sie voll",
        ],
        "es": [
            "mi hijo de 3 años se tomó unas pastillas que estaban en la mesa",
            "se tomó las pastillas de toda la semana de golpe",
            "el pastillero está vacío",
            "no sé cuántas se tomó",
            "mi niña se tomó pastillas del bolso",
            "se tomó todas las pastillas de una vez",
        ],
        "ru": [
            "муж проглотил таблетки",
            "выпила все таблетки сразу",
            "таблетница пустая, а утром была полная",
            "не знаю, сколько он выпил",
            "сын съел таблетки со стола",
            "дочка взяла таблетки и съела",
            "она проглотила таблетки за всю неделю",
        ],
    },
    E.HALLUCINATIONS: {
        "en": [
            "I hear voices that tell me what to do",
            "she sees people who are not there",
            "he keeps seeing his dead mother in the kitchen",
            "voices tell me to hurt people",
        ],
        "de": [
            "Ich höre Stimmen, die mir sagen, was ich tun soll",
            "Sie sieht Menschen, die gar nicht da sind",
            "Die Stimmen sagen mir, ich soll nichts mehr essen",
            "Er sieht Leute im Garten, aber da ist keiner",
        ],
        "es": [
            "oigo voces que me dicen qué hacer",
            "ve gente que no está",
            "las voces me dicen que haga cosas",
            "ve personas en el cuarto que no existen",
            "dice que hay un hombre en la esquina pero no hay nadie",
        ],
        "ru": [
            "слышу голоса, которые говорят мне, что делать",
            "видит людей, которых нет",
            "голоса велят мне выйти в окно",
            "видит в комнате чужих людей, хотя никого нет",
            "мама говорит, что в квартире чужие люди, но там никого",
        ],
    },
}

# Over, or asked about in general, with nothing said of now: denied, not alarmed.
NOT_NOW: dict[str, list[str]] = {
    "en": [
        "last year she had a seizure, nothing since",
        "He had a stroke in 2019 and is fine now",
        "Two years ago, he passed out once. Nothing since.",
        "can baclofen cause breathing problems as a side effect? just asking",
        "Does baclofen cause hallucinations? Just curious before I start",
        "last year I had a seizure, nothing since, 14 months seizure-free",
        "I had a stroke last year but I have recovered now, I walk on my own",
        "had a fit two years ago, seizure free since",
        "stroke in 2021, fully recovered, walking by myself",
        "As a child I had seizures, none since",
        "does baclofen cause seizures? i have epilepsy",
        "I've got epilepsy, could metoprolol make fits more likely?",
        "what should I do if my pump alarm goes off? it hasn't, just planning ahead",
        "Is it dangerous to take a double dose if I miss one? I haven't, I just want to know",
    ],
    "de": [
        "letztes Jahr hatte sie einen Krampfanfall, seitdem nichts mehr",
        "Vor drei Jahren hatte er einen Schlaganfall, inzwischen geht es ihm gut",
        "Als Kind hatte ich Krampfanfälle, seitdem keine",
        "Kann Baclofen Atemnot verursachen? Nur eine Frage",
        "Löst Baclofen Halluzinationen aus? Frage nur interessehalber",
        "Letztes Jahr hatte ich einen Anfall, seitdem nichts, seit 14 Monaten anfallsfrei",
        "Voriges Jahr ein Schlaganfall, aber ich habe mich erholt und laufe wieder allein",
        "Vor zwei Jahren ein Krampfanfall, seither anfallsfrei",
        "Schlaganfall vor einem Jahr, bin wieder ganz fit und gehe alleine",
        "Als Kind hatte ich Anfälle, bin seit Jahren anfallsfrei",
    ],
    "es": [
        "el año pasado tuvo una convulsión, desde entonces nada",
        "Hace dos años tuvo un ictus, ahora está bien",
        "De niño tuvo convulsiones, desde entonces ninguna",
        "¿puede el baclofeno causar dificultad para respirar? solo pregunto",
        "¿El baclofeno puede provocar alucinaciones? Por curiosidad",
        "El año pasado tuve una crisis, desde entonces nada, llevo 14 meses sin crisis",
        "El año pasado tuve un ictus, pero ya me recuperé, camino solo",
        "Hace dos años tuve convulsiones, ahora llevo un año libre de crisis",
        "Tuve un derrame hace un año, ya estoy recuperado y ando sin ayuda",
        "De niña tuve convulsiones, desde entonces ninguna",
    ],
    "ru": [
        "в прошлом году был инсульт, сейчас всё нормально",
        "Два года назад были судороги, с тех пор ничего",
        "В детстве был приступ, больше не повторялось",
        "может ли от баклофена быть одышка? просто спрашиваю",
        "Может ли баклофен вызывать галлюцинации? Просто интересуюсь",
        "В прошлом году был приступ, с тех пор ничего, 14 месяцев без приступов",
        "В прошлом году был инсульт, но я восстановился, хожу сам",
        "Два года назад были судороги, сейчас ремиссия",
        "Инсульт был год назад, уже восстановилась, хожу без палочки",
        "В детстве были припадки, уже много лет без приступов",
    ],
}

# A past event or a general question never hides what is happening now.
HAPPENING_NOW: dict[str, list[str]] = {
    "en": [
        "he had a seizure last year and now he is shaking again",
        "last year she had a seizure, nothing since, but today she had a seizure again",
        "can baclofen cause seizures? just asking, he is having a seizure right now",
        "She had a stroke years ago, fine since, now her face is drooping",
        "does baclofen cause seizures? i have epilepsy and he is having a seizure now",
        "I have epilepsy. could baclofen make fits worse? she is fitting right now",
        "what do i do if he has a seizure? it hasnt stopped for 5 minutes",
        "is it dangerous to take a double dose? i just did",
        "what should i do if he is not breathing",
    ],
    "de": [
        "Letztes Jahr ein Schlaganfall, seitdem nichts, aber jetzt hängt sein Mundwinkel",
        "Vor einem Jahr ein Krampfanfall, jetzt wieder ein Krampfanfall",
        "Kann Baclofen Atemnot verursachen? Nur eine Frage, er bekommt gerade keine Luft",
        "Letztes Jahr Schlaganfall, seitdem nichts. Heute spricht er ganz verwaschen",
    ],
    "es": [
        "el año pasado tuvo una convulsión y ahora está convulsionando otra vez",
        "Hace un año tuvo un ictus, desde entonces nada, pero hoy tiene la boca torcida",
        "¿puede el baclofeno causar convulsiones? solo pregunto, ahora mismo está convulsionando",
        "El año pasado se desmayó, desde entonces bien; hoy se volvió a desmayar",
    ],
    "ru": [
        "в прошлом году был инсульт, а сейчас опять перекосило лицо",
        "может ли баклофен вызывать судороги? у мужа сейчас судороги",
        "Год назад был приступ, с тех пор ничего, но сегодня снова судороги",
        "В прошлом году был инфаркт, теперь снова боль в груди",
    ],
}

# Idioms, and a reminder no longer needed because a course is over, look like emergencies.
NOT_EMERGENCIES: dict[str, list[str]] = {
    "en": [
        "you'll give me a heart attack with those bills",
        "I nearly had a heart attack when I saw the price",
        "thanks, I don't need reminders for the antibiotic anymore, the course is finished",
        "the doctor stopped the antibiotic so no more reminders needed",
    ],
    "de": [
        "Bei den Preisen krieg ich gleich einen Herzinfarkt",
        "Ich bekomme noch einen Herzkasper wegen der Nebenkosten",
        "Danke, die Erinnerungen für das Antibiotikum brauche ich nicht mehr, die Kur ist beendet",
        "Die Ärztin hat das Mittel abgesetzt, Erinnerungen brauche ich nicht mehr",
    ],
    "es": [
        "me va a dar un infarto con las facturas",
        "Con estos precios me va a dar un patatús",
        "gracias, ya no necesito recordatorios del antibiótico, terminé el tratamiento",
        "El médico me quitó la pastilla, ya no necesito el recordatorio",
    ],
    "ru": [
        "Ты меня до инфаркта доведёшь",
        "Чуть инфаркт не случился, когда увидел счёт",
        "спасибо, напоминания для антибиотика больше не нужны, курс закончился",
        "Врач отменил таблетки, напоминания больше не нужны",
    ],
}


# A second blind batch missed these kinds: each said here in many everyday ways (own wordings),
# so the phrases catch the situation, not one example's words: kind -> category, examples.
MANY_WAYS: dict[str, tuple[Emergency, dict[str, list[str]]]] = {
    "hallucinations": (
        E.HALLUCINATIONS,
        {
            "en": [
                "there are bugs crawling all over the wall, he keeps pointing at them",
                "she says ants are walking across the ceiling of her room",
                "I keep hearing someone call my name but I'm alone in the flat",
                "dad is chatting with the men standing in his bedroom",
                "is this real?? little animals are running across the floor",
                "a voice tells me not to take the tablets",
            ],
            "de": [
                "Er sieht Käfer an der Wand herumkrabbeln",
                "Überall laufen Ameisen über die Decke, sagt sie",
                "Jemand ruft ständig meinen Namen, aber ich bin allein zu Hause",
                "Mein Vater unterhält sich mit Leuten in seinem Zimmer",
                "ist das echt?? da rennen Tiere durchs Zimmer",
                "Eine Stimme sagt mir, ich soll die Tabletten nicht nehmen",
            ],
            "es": [
                "ve bichos que suben por la pared",
                "dice que hay hormigas caminando por el techo de su cuarto",
                "oigo que alguien me llama por mi nombre y estoy sola en casa",
                "mi abuelo habla con unos señores en su habitación",
                "¿¿esto es real?? hay animalitos corriendo por el suelo",
                "una voz me dice que no tome las pastillas",
            ],
            "ru": [
                "он видит жуков на стене",
                "говорит, что по потолку бегают муравьи",
                "кто-то зовёт меня по имени, а я дома одна",
                "папа разговаривает с людьми у себя в комнате",
                "это реально?? по полу бегают какие-то зверьки",
                "голос говорит мне не пить таблетки",
            ],
        },
    ),
    "choking": (
        E.BREATHING,
        {
            "en": [
                "my son choked on a sweet and can't cough",
                "she swallowed a candy the wrong way and can't speak",
                "a piece of food is stuck in his throat",
                "the baby has something lodged in her throat",
                "grandpa got a bit of meat caught in his throat and can't talk",
            ],
            "de": [
                "Mein Kind hat sich an einem Bonbon verschluckt und kann nicht husten",
                "Sie hat sich verschluckt und bekommt keine Luft",
                "Er hat sich verschluckt und kann nicht sprechen",
                "Ein Stück Fleisch steckt ihm im Hals fest",
                "Die Kleine hat was im Hals stecken und kann nicht mehr husten",
                "verschluckt, kann nicht reden",
            ],
            "es": [
                "mi hijo se atragantó con un caramelo y no puede toser",
                "se atoró con un dulce y no puede hablar",
                "tiene un trozo de comida atascado en la garganta",
                "a la niña se le quedó un caramelo en la garganta",
                "se está atragantando con un pedazo de carne",
            ],
            "ru": [
                "ребёнок подавился конфетой и не может кашлять",
                "он поперхнулся едой и не может говорить",
                "кусок мяса застрял в горле",
                "у дочки леденец застрял в горле, не может откашляться",
                "малыш поперхнулся, не может сказать ни слова",
            ],
        },
    ),
    "unresponsive": (
        E.UNRESPONSIVE,
        {
            "en": [
                "she's lying on the floor and I can't get her to wake up",
                "mum is on the floor, I can't wake her, she is breathing I think",
                "he doesn't wake up between the fits",
                "found him on the bathroom floor and he doesn't react when I shake him",
                "I shake her and shout but she just lies there",
            ],
            "de": [
                "Sie liegt auf dem Boden und ich krieg sie nicht wach",
                "Oma liegt im Flur, ich krieg sie nicht wach, sie atmet glaube ich",
                "Er wird zwischen den Anfällen nicht mehr wach",
                "Ich rüttle und rufe, aber sie wird nicht wach",
                "Er liegt am Boden und lässt sich nicht wecken",
            ],
            "es": [
                "está tirada en el suelo y no consigo despertarla",
                "mi madre está en el suelo, no se despierta, creo que respira",
                "entre una crisis y otra no se despierta",
                "no hay forma de que se despierte",
                "está en el piso y no despierta, respira creo",
            ],
            "ru": [
                "она лежит на полу, и я не могу её разбудить",
                "мама лежит на полу, не просыпается, вроде дышит",
                "между приступами он не приходит в себя",
                "трясу его, кричу, а он не просыпается",
                "никак не могу добудиться бабушку",
            ],
        },
    ),
    "overdose": (
        E.OVERDOSE,
        {
            "en": [
                "I took the whole weekly pill box at once by mistake",
                "my toddler had grandpa's pill box and at least 5 are missing",
                "the kid got hold of my tablets",
                "my daughter got into her granny's pills, some are missing",
                "I swallowed a week's worth of tablets in one go",
                "my grandson was holding my tablets, a few are gone",
            ],
            "de": [
                "Ich habe aus Versehen die ganze Wochenbox auf einmal genommen",
                "Der Kleine hatte Opas Pillendose, da fehlen mindestens 5",
                "Meine Enkelin hatte meine Tabletten in der Hand, ein paar fehlen",
                "Mein Sohn hat die Tabletten von Oma erwischt",
                "Habe versehentlich alle Tabletten der Woche auf einmal geschluckt",
                "Das Kind hat mit der Tablettenschachtel gespielt, jetzt fehlen welche",
            ],
            "es": [
                "me tomé todas las pastillas de la semana de una vez por error",
                "el niño agarró el pastillero del abuelo y faltan por lo menos 5",
                "mi nieta agarró mis pastillas",
                "la nena tenía la caja de pastillas de su abuela, faltan varias",
                "por error me tragué las pastillas de toda la semana juntas",
                "mi hijo cogió las pastillas de mi madre y faltan algunas",
            ],
            "ru": [
                "по ошибке выпил сразу всю недельную таблетницу",
                "малыш добрался до дедушкиной таблетницы, не хватает штук 6",
                "ребёнок достал мамины таблетки",
                "внук достал таблетки из сумки, пары штук не хватает",
                "сын играл с бабушкиными таблетками, несколько пропало",
                "случайно выпила все таблетки на неделю за раз",
            ],
        },
    ),
    "chest pain": (
        E.CHEST_PAIN,
        {
            "en": [
                "a very strong pain, as if someone is squeezing my ribs, going into my left arm",
                "it feels like a band squeezing around my chest",
                "pressure on my breastbone and a cold sweat",
                "the pain spreads to my left arm and my jaw, I'm sweating",
                "heavy feeling behind the sternum, cold and clammy",
            ],
            "de": [
                "Ganz starker Druck auf der Brust, wie zugeschnürt",
                "Es strahlt in den linken Arm und in den Kiefer aus, kalter Schweiß",
                "Mir ist, als ob mir jemand den Brustkorb zusammenpresst",
                "Schmerz hinter dem Brustbein, strahlt in den Arm aus",
                "Er schwitzt kalt und hält sich die Brust",
                "Engegefühl in der Brust und kalter Schweiss",
            ],
            "es": [
                "tengo un dolor muy fuerte, como si me apretaran por dentro",
                "se me va al brazo izquierdo y a la mandíbula",
                "estoy sudando frío y me aprieta el pecho",
                "siento como si me aplastaran el pecho",
                "un dolor que me baja por el brazo izquierdo y sudor frío",
                "presión muy fuerte en el pecho",
            ],
            "ru": [
                "давит в груди, как будто сжали тисками",
                "боль отдаёт в левую руку и в челюсть",
                "холодный пот и жмёт за грудиной",
                "будто кирпич на груди лежит",
                "жгучая боль отдаёт в левую руку, весь в холодном поту",
            ],
        },
    ),
    "stroke": (
        E.STROKE,
        {
            "en": [
                "he suddenly doesn't understand what I say and answers nonsense, "
                "he was fine 15 minutes ago",
                "she's talking but the words make no sense",
                "mum suddenly can't follow anything I say",
                "he answers with random words, half an hour ago he was normal",
                "my husband doesn't understand me anymore all of a sudden",
            ],
            "de": [
                "Er versteht mich plötzlich nicht mehr und antwortet Unsinn",
                "Vor 15 Minuten war sie noch normal, jetzt redet sie sinnloses Zeug",
                "Mein Mann gibt auf einmal völlig sinnlose Antworten",
                "Sie versteht nicht mehr, was ich sage",
                "Er spricht, aber die Worte ergeben keinen Sinn",
            ],
            "es": [
                "de repente no entiende lo que le digo",
                "contesta con palabras sin sentido, hace 15 minutos estaba bien",
                "mi padre de golpe dice cosas que no tienen sentido",
                "no entiende nada de lo que le hablo y responde cualquier cosa",
                "habla pero son palabras sin sentido",
            ],
            "ru": [
                "он вдруг перестал понимать, что я говорю",
                "отвечает какую-то бессмыслицу, 15 минут назад был нормальный",
                "мама внезапно не понимает, что ей говорят",
                "говорит ерунду, слова не связаны между собой",
                "несёт бессмыслицу, а полчаса назад всё было хорошо",
            ],
        },
    ),
    "self-harm": (
        E.CRISIS,
        {
            "en": [
                "I cut my arms again and the bleeding won't stop",
                "cut my wrists, there's blood everywhere",
                "I sliced my arm open and it keeps bleeding",
                "my daughter cut her arms with a razor",
                "I've scratched my arms open with a blade",
            ],
            "de": [
                "Ich hab mich wieder geritzt und es blutet stark",
                "Habe mir die Arme aufgeschnitten, es hört nicht auf zu bluten",
                "Ich habe mir in die Handgelenke geschnitten",
                "hab mir mit der Klinge in den Arm geschnitten, blutet stark",
                "Meine Tochter hat sich die Arme zerschnitten",
            ],
            "es": [
                "me corté los brazos otra vez y no deja de sangrar",
                "me hice cortes en las muñecas",
                "me corté y sangra mucho",
                "me volví a cortar con una cuchilla",
                "mi hija se cortó los brazos, sangra mucho",
            ],
            "ru": [
                "опять порезала руки, кровь не останавливается",
                "порезал запястья, сильно кровит",
                "снова резала руки лезвием",
                "я порезалась, кровь не останавливается",
                "дочь исполосовала себе руки",
            ],
        },
    ),
    "crisis farewell": (
        E.CRISIS,
        {
            "en": [
                "thank you for always reminding me about my pills, I won't need them anymore",
                "please someone look after my dog",
                "thanks for all the reminders, I won't be needing the tablets after tonight",
                "could you make sure someone feeds my cat when I'm gone",
                "you've been so kind reminding me every day. I won't need my pills anymore",
            ],
            "de": [
                "Danke, dass du mich immer an die Tabletten erinnert hast, "
                "ich werde sie nicht mehr brauchen",
                "Bitte kümmert euch um meinen Hund",
                "Die Tabletten brauche ich bald nicht mehr, danke für die Erinnerungen",
                "Kann jemand nach meiner Katze schauen, wenn ich nicht mehr da bin",
                "Danke für deine Geduld mit meinen Pillen. Ich brauche sie nicht mehr.",
            ],
            "es": [
                "gracias por recordarme siempre las pastillas, ya no las voy a necesitar",
                "por favor que alguien cuide de mi perro",
                "ya no me harán falta las pastillas, gracias por todo este tiempo",
                "cuiden a mi gato cuando yo no esté",
                "gracias por acordarte siempre de mis pastillas, pronto no las necesitaré",
            ],
            "ru": [
                "спасибо, что всегда напоминал про таблетки, они мне больше не понадобятся",
                "пожалуйста, позаботьтесь о моей собаке",
                "таблетки мне больше не нужны, спасибо за напоминания",
                "присмотрите за моим котом, когда меня не будет",
                "спасибо за заботу о моих лекарствах, больше они мне не понадобятся",
            ],
        },
    ),
    "seizure as crisis": (
        E.SEIZURE,
        {
            "es": [
                "ya van dos crisis seguidas",
                "tuvo otra crisis hace un rato y ahora otra",
                "le está dando una crisis, tiene los ojos perdidos",
                "crisis tras crisis desde la mañana",
                "lleva tres crisis esta tarde",
            ],
        },
    ),
    # A third blind batch (tests/data/emergency_messages_intl.yaml) missed these: own wordings.
    "double dose by mistake": (
        E.OVERDOSE,
        {
            "en": [
                "accidentally gave him a double dose",
                "she forgot she had already taken them and took them again, now very drowsy",
                "by mistake I took the evening pill twice, all week",
                "he took 12 sleeping tablets",
                "I took my dose twice by accident",
            ],
            "de": [
                "aus Versehen hab ich die Abendtablette die ganze Woche zweimal genommen",
                "Oma vergisst, dass sie die Tabletten schon genommen hat, und nimmt sie nochmal",
                "hab ihm irrtümlich die doppelte Menge gegeben",
                "er hat 12 Schlaftabletten geschluckt",
                "sie hat die Dosis doppelt genommen",
            ],
            "es": [
                "se le olvida que ya tomó la pastilla y se la vuelve a tomar",
                "mi madre olvidó que ya se había tomado las pastillas y está muy dormida",
                "por error le di la dosis doble",
                "se tomó 12 pastillas para dormir",
                "me equivoqué y tomé la dosis de la noche dos veces",
            ],
            "ru": [
                "по ошибке пила таблетки два раза в день",
                "папа случайно выпил снотворное дважды",
                "перепутала и дала ему двойную дозу",
                "она забыла что уже приняла таблетки и приняла ещё раз",
                "выпил 12 таблеток снотворного",
            ],
        },
    ),
    "jerking then confused": (
        E.SEIZURE,
        {
            "en": [
                "he twitched strangely and then was confused and wet himself",
                "grandma was jerking and now she doesn't recognise me",
                "her arm was shaking oddly and afterwards she was totally out of it",
                "dad jerked violently for a minute",
                "she was twitching all over, then dazed",
            ],
            "de": [
                "Opa hat komisch gezuckt und war danach total verwirrt",
                "sie hat gezittert und eingenässt",
                "er zuckte heftig, jetzt ist er ganz verwirrt",
                "mein Mann hat plötzlich stark gezuckt",
                "sie hat am ganzen Arm gezuckt und reagiert jetzt nicht",
            ],
            "es": [
                "tuvo unas sacudidas raras y después estaba desorientado",
                "le dieron temblores en la cara y ahora no me reconoce",
                "mi hijo tuvo tirones fuertes en el brazo y se orinó",
                "temblaba mucho y luego estaba confundida",
                "sacudidas incontrolables en las piernas",
            ],
            "ru": [
                "он странно дёргался, а потом ничего не понимал",
                "мама вся тряслась и обмочилась",
                "у папы дёргалась рука и лицо, теперь меня не узнаёт",
                "бабушку трясло, потом она была спутанная",
                "его сильно дёргало, потом он описался",
            ],
        },
    ),
    "voices and people no one else sees": (
        E.HALLUCINATIONS,
        {
            "en": [
                "I hear voices telling me to stop eating",
                "a voice keeps telling him to run away",
                "mum is talking to people in her room but nobody is there",
                "I see shadows moving and someone talks to me from the wardrobe, I'm alone",
                "he argues with men in the corner of the room",
            ],
            "de": [
                "ich hör stimmen, die mir befehlen, nicht mehr zu essen",
                "er hört Stimmen die ihm sagen, er soll weglaufen",
                "ich höre stimmen die sagen ich muss aufpassen",
                "sie hört stimmen welche ihr befehlen die Tür abzuschliessen",
                "Stimmen, die mir sagen, dass ich schlecht bin",
            ],
            "es": [
                "veo figuras que se mueven en el pasillo",
                "alguien me habla pero estoy solo en casa",
                "una voz me susurra desde el rincón",
                "veo sombras que caminan por la pared",
                "me hablan desde el espejo",
            ],
            "ru": [
                "в спальне какие-то мужчины, она с ними разговаривает",
                "мама разговаривает с кем-то, а там никого нет",
                "говорит что в углу дети, но там никого",
                "он спорит с людьми, но в комнате никого",
                "в квартире стоят люди, говорит она, а никого нет",
            ],
        },
    ),
    "pump alarm or refill put off": (
        E.PUMP,
        {
            "en": [
                "the baclofen pump is beeping, screen says reservoir low",
                "pump refill was postponed and now his legs are cramping",
                "refill got cancelled, he is itching all over and has a fever",
                "the pump alarm keeps going off",
                "my ITB pump refill was moved to next month and I'm in withdrawal",
            ],
            "de": [
                "die Pumpe meldet niedrigen Füllstand im Reservoir",
                "der Auffülltermin der Baclofenpumpe wurde verschoben, jetzt Krämpfe",
                "Baclofenpumpe piept seit einer Stunde",
                "Pumpe nicht aufgefüllt, er hat Fieber und juckt überall",
                "die Pumpe zeigt eine Fehlermeldung",
            ],
            "es": [
                "la bomba de baclofeno pita y dice reservorio bajo",
                "le aplazaron la recarga de la bomba y ahora tiene espasmos",
                "cancelaron el relleno de la bomba, tiene fiebre y picor",
                "la bomba intratecal tiene una alarma",
                "se pasó la cita de recarga de la bomba",
            ],
            "ru": [
                "насос с баклофеном пищит, на экране низкий уровень",
                "заправку отложили, и теперь ноги сводит, помпа у него баклофеновая",
                "помпа с баклофеном, заправку пропустили, весь чешется",
                "у него баклофеновая помпа и его ломает",
                "насос баклофена подаёт тревогу",
            ],
        },
    ),
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


def cases(table: dict[str, dict[Emergency, list[str]]]) -> list[tuple[str, Emergency, str]]:
    return [
        (lang, kind, text)
        for lang, kinds in table.items()
        for kind, texts in kinds.items()
        for text in texts
    ]


def test_every_category_has_at_least_three_messages_in_every_language() -> None:
    for language in LANGUAGES:
        assert set(MESSAGES[language]) == set(Emergency)
        assert min(len(texts) for texts in MESSAGES[language].values()) >= 3
        assert len(EVERYDAY[language]) >= 20


@pytest.mark.parametrize(("language", "kind", "text"), cases(MESSAGES))
def test_an_emergency_in_each_language_is_found_in_its_category(
    kb: KnowledgeBase, language: str, kind: Emergency, text: str
) -> None:
    assert kind in kb.emergencies_in(text, language).emergencies


@pytest.mark.parametrize(("language", "kind", "text"), cases(MESSAGES))
def test_an_emergency_is_found_whatever_the_patients_language_setting(
    kb: KnowledgeBase, language: str, kind: Emergency, text: str
) -> None:
    """A German speaker with an English client: the language setting narrows nothing."""
    for setting in ("en", *LANGUAGES):
        assert kind in kb.emergencies_in(text, setting).emergencies


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [(language, text, kind) for language, rows in DENIALS.items() for text, kind in rows],
)
def test_a_clear_denial_in_each_language_is_not_an_emergency(
    kb: KnowledgeBase, language: str, text: str, kind: Emergency
) -> None:
    detection = kb.emergencies_in(text, language)
    assert not detection
    assert detection.denied == (kind,)


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [(language, text, kind) for language, rows in NEGATIVE.items() for text, kind in rows],
)
def test_a_negative_phrase_in_each_language_is_an_emergency(
    kb: KnowledgeBase, language: str, text: str, kind: Emergency
) -> None:
    assert kind in kb.emergencies_in(text, language).emergencies


@pytest.mark.parametrize(
    ("language", "text"),
    [(language, text) for language, texts in EVERYDAY.items() for text in texts],
)
def test_an_everyday_sentence_in_each_language_raises_no_alarm(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert not kb.emergencies_in(text, language)


def test_a_negation_reaches_no_further_than_a_but_in_any_language(kb: KnowledgeBase) -> None:
    assert kb.emergencies_in("kein Fieber, aber ein Krampfanfall")
    assert kb.emergencies_in("no tiene fiebre pero sí convulsiones")
    assert kb.emergencies_in("температуры нет, а судороги есть")
    assert kb.emergencies_in("Приступов не было, но сейчас он не дышит")


def test_accents_umlauts_and_russian_yo_are_optional_on_both_sides(kb: KnowledgeBase) -> None:
    for spelt in (
        "Krämpfe am ganzen Körper",
        "Kraempfe am ganzen Koerper",
        "krampfe am ganzen korper",
    ):
        assert E.SEIZURE in kb.emergencies_in(spelt).emergencies
    for spelt in (
        "Überdosis",
        "ueberdosis",
        "uberdosis",
        "perdió el conocimiento",
        "perdio el conocimiento",
    ):
        assert kb.emergencies_in(spelt)
    assert kb.emergencies_in("отёк Квинке") == kb.emergencies_in("отек квинке")
    assert plain("Straße Niño Ёлка") == "strasse nino елка"


def test_a_number_word_of_the_language_counts_tablets(kb: KnowledgeBase) -> None:
    assert E.OVERDOSE in kb.emergencies_in("zehn Tabletten genommen").emergencies
    assert E.OVERDOSE in kb.emergencies_in("me tomé once pastillas").emergencies
    assert E.OVERDOSE in kb.emergencies_in("выпил двадцать таблеток").emergencies
    assert not kb.emergencies_in("zwei Tabletten genommen")
    assert not kb.emergencies_in("Tomo 5 mg a las once")  # Spanish eleven is no English "once"


@pytest.mark.parametrize(
    "word",
    # Real words a speller without the real-words lists turns into an emergency word: German
    # "Blutdruck" into "Brustdruck", Spanish "sucio" into the English "sucid*", Russian
    # "поделиться" (to share) into "повеситься" (to hang oneself), English "fantasies" into
    # the German "fantasiert".
    [
        "Blutdruck",
        "verhaftet",
        "Abfall",
        "sucio",
        "comía",
        "prisiones",
        "decir",
        "отправился",
        "кроме",
        "поделиться",
        "улучшение",
        "понравилась",
        "fantasies",
        "disparities",
    ],
)
def test_a_real_word_of_one_language_never_becomes_another_languages_emergency(
    kb: KnowledgeBase, word: str
) -> None:
    assert not kb.emergencies_in(f"{word} {word}")


def test_frequent_words_of_each_language_alarm_only_when_they_name_an_emergency(
    kb: KnowledgeBase,
) -> None:
    """The 10,000 commonest words of each language (wordfreq), one message each."""
    emergency_words = {
        "de": {
            "selbstmord",
            "herzinfarkt",
            "schlaganfall",
            "suizid",
            "koma",
            "anfall",
            "ersticken",
            "erstickt",
            "vergiftet",
            "ohnmacht",
            "bewusstlos",
            "ohnmächtig",
            "vergiftung",
            "zusammengebrochen",
            "überdosis",
            "kollaps",
            "vergiften",
            "blackout",
        },
        "es": {
            "tía",
            "suicidio",
            "coma",
            "veneno",
            "inconsciente",
            "suicida",
            "colapso",
            "infarto",
            "tia",
            "suicidarse",
            "kms",
            "matarme",
            "ahogado",
            "sobredosis",
            "asfixia",
            "envenenamiento",
            "convulsiones",
            "ahogar",
        },
        "ru": {
            "самоубийства",
            "самоубийство",
            "приступ",
            "отравления",
            "самоубийством",
            "отравление",
            "приступа",
            "обморок",
            "коме",
            "инфаркт",
            "инсульт",
            "комы",
            "инсульта",
            "приступы",
            "инфаркта",
        },
    }
    for language in LANGUAGES:
        frequencies = get_frequency_dict(language, wordlist="large")
        common = sorted(frequencies, key=frequencies.__getitem__, reverse=True)[:10_000]
        alarmed = {word for word in common if plain(word).isalpha() and kb.emergencies_in(word)}
        assert alarmed <= emergency_words[language], sorted(alarmed - emergency_words[language])


def test_the_real_words_lists_are_up_to_date_with_the_phrases() -> None:
    """Fails after a phrase file changes: run `make real-words` and commit the lists."""
    for language, at_risk in emergency_words_at_risk().items():
        path = KNOWLEDGE_FOLDER / EMERGENCY_FOLDER / REAL_WORDS.format(language=language)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert [line for line in lines if line and not line.startswith("#")] == at_risk


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(KNOWLEDGE_FOLDER / EMERGENCY_FOLDER, tmp_path / EMERGENCY_FOLDER)
    return tmp_path


def break_file(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / EMERGENCY_FOLDER / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_files_load_every_language(folder: Path) -> None:
    assert set(load_lexicons(folder)) == {"en", *LANGUAGES}


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("de.yaml", "  pump:\n", "  pumpe:\n", r"de\.yaml: phrases\.pumpe: Input should be"),
        (
            "es.yaml",
            "    - sobredosi*",
            "    - Sobredosis",
            r"es\.yaml: phrases\.overdose\[0\]: .*lower case",
        ),
        (
            "ru.yaml",
            "    - нечем дышать",
            "    - ~ нечем дышать",
            r"ru\.yaml: phrases\.breathing\[\d+\]: .*start and end",
        ),
        ("ru.yaml", "language: ru", "language: uk", r"ru\.yaml: language: must be 'ru'"),
        (
            "de.yaml",
            "also_written: {ä: ae,",
            "also_written: {äö: ae,",
            r"de\.yaml: .*also_written: each key is one letter",
        ),
        ("es.yaml", '  crisis: "988', '  crisi: "988', r"es\.yaml: sources"),
    ],
)
def test_a_malformed_language_file_stops_the_bot_naming_file_and_field(
    folder: Path, name: str, old: str, new: str, message: str
) -> None:
    break_file(folder, name, old, new)
    with pytest.raises(KnowledgeError, match=message):
        load_lexicons(folder)


def test_a_missing_real_words_list_stops_the_bot_naming_it(folder: Path) -> None:
    (folder / EMERGENCY_FOLDER / REAL_WORDS.format(language="ru")).unlink()
    with pytest.raises(KnowledgeError, match=r"real_words_ru\.txt: file not found"):
        load_lexicons(folder)


@pytest.mark.parametrize(
    ("kind", "language", "text"),
    [
        (kind, language, text)
        for kind, rows in IN_OTHER_WORDS.items()
        for language, texts in rows.items()
        for text in texts
    ],
)
def test_an_emergency_said_in_other_words_is_found_in_its_category(
    kb: KnowledgeBase, kind: Emergency, language: str, text: str
) -> None:
    assert kind in kb.emergencies_in(text, language).emergencies


def test_every_gap_has_at_least_four_examples_in_each_language() -> None:
    for rows in (*IN_OTHER_WORDS.values(), NOT_NOW, HAPPENING_NOW, NOT_EMERGENCIES):
        assert set(rows) == {"en", *LANGUAGES}
        assert min(len(texts) for texts in rows.values()) >= 4


@pytest.mark.parametrize(
    ("language", "text"), [(lang, text) for lang, texts in NOT_NOW.items() for text in texts]
)
def test_an_emergency_told_as_over_or_asked_in_general_is_denied(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    detection = kb.emergencies_in(text, language)
    assert not detection
    assert detection.denied


@pytest.mark.parametrize(
    ("language", "text"),
    [(lang, text) for lang, texts in HAPPENING_NOW.items() for text in texts],
)
def test_a_past_event_or_a_question_never_hides_one_happening_now(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert kb.emergencies_in(text, language)


def test_a_crisis_told_as_past_still_gets_the_crisis_reply(kb: KnowledgeBase) -> None:
    for text in (
        "I tried to kill myself last year, I'm fine now",
        "Letztes Jahr wollte ich mich umbringen, jetzt geht es mir gut",
        "El año pasado quise suicidarme, ahora estoy bien",
        "В прошлом году хотел покончить с собой, сейчас всё нормально",
    ):
        assert E.CRISIS in kb.emergencies_in(text).emergencies


@pytest.mark.parametrize(
    ("language", "text"),
    [(lang, text) for lang, texts in NOT_EMERGENCIES.items() for text in texts],
)
def test_an_idiom_or_a_reminder_no_longer_needed_after_a_course_raises_no_alarm(
    kb: KnowledgeBase, language: str, text: str
) -> None:
    assert not kb.emergencies_in(text, language)


@pytest.mark.parametrize(
    ("kind", "language", "text"),
    [
        (kind, language, text)
        for kind, (_, rows) in MANY_WAYS.items()
        for language, texts in rows.items()
        for text in texts
    ],
)
def test_each_kind_said_in_many_ways_is_found_in_its_category(
    kb: KnowledgeBase, kind: str, language: str, text: str
) -> None:
    category = MANY_WAYS[kind][0]
    assert category in kb.emergencies_in(text, language).emergencies


def test_every_kind_has_at_least_five_wordings_in_each_of_its_languages() -> None:
    for kind, (_, rows) in MANY_WAYS.items():
        languages = {"es"} if kind == "seizure as crisis" else {"en", *LANGUAGES}
        assert set(rows) == languages, kind
        assert min(len(texts) for texts in rows.values()) >= 5, kind


def test_a_seizure_called_crisis_in_spanish_gets_the_seizure_reply(kb: KnowledgeBase) -> None:
    """ "Crisis" is also what Spanish calls a fit: it reaches the seizure reply, while a
    "crisis de ansiedad" or an economic crisis stays no emergency."""
    assert E.SEIZURE in kb.emergencies_in("ya van dos crisis seguidas", "es").emergencies
    assert not kb.emergencies_in("Tuve una crisis de ansiedad en el trabajo", "es")
    assert not kb.emergencies_in("Con la crisis económica todo está más caro", "es")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("muzh ne prosypaetsya, tryasu ego a on ne reagiruet", E.UNRESPONSIVE),
        ("u papy rot perekosilo, chto delat", E.STROKE),
        ("u mamy sudorogi uzhe 5 minut", E.SEIZURE),
        ("on ne dyshit", E.BREATHING),  # a dropped soft sign ("dyshat") is not restored
    ],
)
def test_russian_typed_in_latin_letters_is_read_as_russian(
    kb: KnowledgeBase, text: str, kind: E
) -> None:
    assert kind in kb.emergencies_in(text).emergencies


def test_latin_words_read_as_russian_are_spelt_out_not_repaired_into_other_words(
    kb: KnowledgeBase,
) -> None:
    """ "perdon" spelt in Cyrillic is one letter from "пердоз" (an overdose typo): a Spanish
    apology must not become one."""
    assert transliterated("prosypaetsya", kb.emergencies["ru"].latin_letters) == "просыпается"
    assert transliterated("nevnyatnaya", kb.emergencies["ru"].latin_letters) == "невнятная"
    assert not kb.emergencies_in("perdon la molestia, a que hora era la pastilla?")
    assert not kb.emergencies_in("my son is on his way home, no rush")
