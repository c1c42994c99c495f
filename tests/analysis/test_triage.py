"""Comment triage: the API's shape, each flag against its innocent look-alikes, Spanish."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analysis import sentiment
from analysis.flags import is_hostile, is_safety, needs_reply
from analysis.sentiment_models.linear import ModelFileError
from analysis.triage import FLAGS, STANCES, Triage, rule_triage, triage
from analysis.triage_eval import load, score

# Known misreads: the learned stance of rounds 19 to 30, fitted on the threat-rich files
# too and better out of file and on the blind files, reads these our own cue examples otherwise
# (docs/sentiment.md, "Round 19"). Strict: a fix shows as a pass to take the
# mark off.
MISREAD_SINCE_ROUND_19 = pytest.mark.xfail(
    strict=True, reason="learned stance since rounds 19 to 30 (docs/sentiment.md)"
)

DATA = Path(__file__).resolve().parents[1] / "data"


def test_triage_api_shape() -> None:
    [result] = triage(["How do I apply?"])
    assert isinstance(result, Triage)
    assert result.stance in STANCES
    assert -1.0 <= result.score <= 1.0
    assert isinstance(result.flags, frozenset) and result.flags <= FLAGS
    assert result.lang == "en"
    assert triage([]) == []
    with pytest.raises(TypeError):
        triage("a bare string")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "stance", "flags", "lang"),
    [
        # The comments the issue reports as misread.
        (
            "Officers helped my mom after her accident. Truly kind people.",
            "supportive",
            set(),
            "en",
        ),
        ("Nobody trusts you guys anymore, good luck hiring.", "critical", {"critical"}, "en"),
        (
            "Enjoy your last shift, officer. We'll be watching.",
            "critical",
            {"critical", "hostile"},
            "en",
        ),
        (
            "Our block captain meetings got so much better with the new beat officers. Thank you!",
            "supportive",
            set(),
            "en",
        ),
        ("¿Necesito ser ciudadano para aplicar?", "neutral", {"needs_reply"}, "es"),
        ("DO YOU NEED A PERFECT DRIVING RECORD?", "neutral", {"needs_reply"}, "en"),
    ],
)
def test_issue_examples(text: str, stance: str, flags: set, lang: str) -> None:
    [result] = triage([text])
    assert (result.stance, set(result.flags), result.lang) == (stance, flags, lang)


def test_issue_example_of_locating_an_officer() -> None:
    # The issue's point: flagged safety, never a lead. Its stance is a known misread of the
    # learned layer (critical where the rules say neutral; docs/sentiment.md, step 4), so
    # only the rules' stance is held to "neutral" here.
    text = "Where was this photo taken? Looks like Riverside Park"
    [result] = triage([text])
    assert (set(result.flags) - {"critical"}, result.lang) == ({"safety"}, "en")
    assert result.stance != "supportive"
    assert rule_triage([text])[0].stance == "neutral"


def test_other_languages_get_a_low_confidence_lean() -> None:
    # Read by the multilingual Spanish blend, tempered: the lean counts, the confidence is low.
    results = triage(
        [
            "Merci beaucoup pour votre travail",
            "A polícia daqui é uma vergonha, péssimo serviço",
            "Schrecklich, die Polizei hier ist eine Schande",
        ]
    )
    assert [r.lang for r in results] == ["fr", "pt", "de"]
    assert [r.stance for r in results] == ["supportive", "critical", "critical"]
    assert all(abs(r.score) < 0.5 for r in results)


def test_other_languages_without_a_lean_are_neutral_and_unsure() -> None:
    p = np.array([[0.36, 0.30, 0.34], [0.7, 0.2, 0.1]])
    out = sentiment.other_language_probabilities(p)
    np.testing.assert_allclose(out[0], sentiment.UNSURE)
    assert out[1].argmax() == 0 and out[1].max() < 0.6


@pytest.mark.parametrize(
    "text",
    [
        "How do I apply",
        "WHAT IS THE STARTING PAY",
        "my son is 19 is that old enough",
        "Interested",
        "cuanto pagan",
        "Me interesa",
        "¿Aceptan personas con tatuajes?",
        "@PDRecruiting is the deadline still the 30th",
        "my daughter wants to know if there's an explorer post for teens",
        "Need the link to the application please",
        "Sending a DM about the lateral program, please check your inbox",
        "Mi esposo quiere aplicar, a quién le puede escribir",
        "Looking to transfer from county, who's the contact",
        "Ocupo información sobre la academia",
        "¿Cuánto tiempo dura el proceso?",
        "what about people with ADHD?",
        "Is there childcare during the academy?",
        "How competitive is it to get in",
        "¿Se puede trabajar medio tiempo?",
    ],
)
def test_needs_reply_leads(text: str) -> None:
    assert needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "What a great event!",
        "Can't wait to start the academy!",
        "Will be there Saturday",
        "Qué bueno que están contratando",
        "Where was this photo taken?",  # locating an officer is not a lead
        "Check out my page, DM me for crypto tips",  # spam
        "Lol who would want this job?",
        "Would 100% do it again. Best career move",
        "Don't do it. Worst job I ever had, left after 2 years",
        "Great class of recruits!",
        "The class was great, thanks",
    ],
)
def test_needs_reply_look_alikes(text: str) -> None:
    assert not needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Enjoy your last shift, officer. We'll be watching.",
        "Would be a real shame if something happened to your patrol car",
        "I know where Officer Daniels lives. Maybe I'll pay him a visit",
        "Sleep with one eye open",
        "Ojalá que te maten",
        "Malditos cerdos",
        "Te estamos vigilando",
        "Bet you won't be smiling when someone finds you off duty",
        "Keep your family close, officer",
        "It would be terrible if your house caught fire one night",
        "That sergeant is a fat lazy slob",
        "fuk 12",
        "Un día de estos les va a tocar",
        "Your kind should be hunted",
        "Just wait till we catch you slipping",
        "I'd love to see your house burn",
        "Hope your patrol car breaks down in the bad part of town",
        "you inbred hick cops",
        "Perros asquerosos",
        "Somebody should burn the station down",
        "Ojalá te mueras",
        "eat a bullet pig",
    ],
)
def test_hostile_threats(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our block captain meetings got so much better with the new beat officers. Thank you!",
        "You killed it at the shooting range 🔥",
        "I'm dead serious, best decision I ever made",
        "this is fucking awesome, proud of my brother",
        "We beat the fire department at softball",
        "last shift before vacation for me, see y'all in 2 weeks",
        "We'll be watching the parade from the library steps",
        "See you soon at the open house!",
        "Congrats on your last shift Sgt Owens, enjoy retirement!",
        "Defund the police",
        "This department has a terrible reputation",
        "Le ganamos a los bomberos en el partido",
        "See you at home games this season!",
        "Keep your family close this holiday season, stay safe officers",
        "I hope someone from my class gets to shoot at the range",
        "I'm such an idiot, I missed the deadline",
        "Cuídate mucho, gracias por todo",
        "You all are killing it with these videos 👏",
        "Recruiters are getting hunted for talent these days",
        "Hope your car gets fixed soon, officer!",
        "I'd love to see you all at the fair",
        "Can't wait to see your team crush it at the games",
        "The firefighters burn the house down on purpose at training, cool to watch",
        "Went to the cancer walk with the officers, such a good day",
    ],
)
def test_hostile_look_alikes(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "Where was this photo taken? Looks like Riverside Park",
        "What's the name of the officer on the left?",
        "His kids go to Lincoln Elementary. Just saying.",
        "You can read his plate in the second pic",
        "That's Officer Moore, he lives on Maple Street",
        "I know where he lives",
        "¿Dónde fue tomada esta foto?",
        "Sé dónde vive ese oficial",
        "What neighborhood does Deputy Harris live in",
        "Which precinct does the blonde officer work out of? I want to know her schedule",
        "¿En qué calle es esa casa de la foto?",
        "Sus hijos van a la escuela Lincoln, lo vi",
    ],
)
def test_safety(text: str) -> None:
    assert is_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        "Great photo! Riverside Park looks beautiful in the fall",
        "Where is the hiring event this weekend?",
        "My kids' school had an officer visit today and they loved it",
        "License plate readers are an invasion of privacy",
        "What's the name of the recruiter I should contact?",
        "Officer Diaz lives for this job",
        "I know where I want to work after college - here!",
        "Sé donde queda la estación",
        "Where do recruits live during the academy?",
        "I know their hours are long, thank you for your service",
        "What are the hours for the open house",
    ],
)
def test_safety_look_alikes(text: str) -> None:
    assert not is_safety(text)


def test_dev_set_figures_hold() -> None:
    # The part of the labelled set the rules were tuned on: a regression guard.
    figures, _ = score(load(DATA / "comments_dev.csv"))
    assert figures.stance_macro_recall >= 0.85
    assert figures.per_label["needs_reply"][1] >= 0.95
    assert figures.per_label["hostile"][1] >= 0.9
    assert figures.per_label["safety"][1] >= 0.9
    assert figures.supportive_flagged_hostile <= 0.01


def test_missing_model_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentiment, "_MODEL_FILES", ("default.npz", "no_such_model.npz"))
    sentiment.default_model.cache_clear()
    try:
        with pytest.raises(ModelFileError, match="no_such_model.npz.*missing"):
            sentiment.default_model()
    finally:
        monkeypatch.undo()
        sentiment.default_model.cache_clear()


def test_corrupt_model_file_is_named(tmp_path: Path) -> None:
    from analysis.sentiment_models.linear import LinearSentimentModel

    broken = tmp_path / "default_es.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="default_es.npz"):
        LinearSentimentModel.load(broken)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Kudos to the academy staff", "supportive"),
        ("You guys killed it at the shooting range 🔥", "supportive"),
        ("Me encanta ver oficiales en la feria", "supportive"),
        ("Great job, another lawsuit 🙄", "critical"),
        ("Why are you hiring when nobody answers the phone?", "critical"),
        ("Pura mentira, no cambia nada", "critical"),
        ("Ok", "neutral"),
        ("Shared", "neutral"),
    ],
)
def test_stance_cues(text: str, stance: str) -> None:
    assert triage([text])[0].stance == stance


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # Praise the model reads as violence, and praise without a stock word.
        ("Crushed it at the academy graduation", "supportive"),
        ("That recruitment reel is fire", "supportive"),
        ("This is how it's done, more of these please", "supportive"),
        ("Honestly this video sold me", "supportive"),
        # Demands, process complaints, sarcasm by contrast, waits counted in months.
        ("Disband the department", "critical"),
        ("Fire the whole command staff", "critical"),
        ("Sent my application in March, never heard back. Total black hole", "critical"),
        ("'Serving with integrity' says the agency with three open investigations", "critical"),
        ("Good luck recruiting after last summer", "critical"),
        ("Been waiting six months for my polygraph date", "critical"),
        ("Llevo dos meses esperando y nadie me contesta", "critical"),
        # "ACAB" alone is criticism (not hostile); the word inside "acaba" is not.
        ("ACAB", "critical"),
        ("Mi primo acaba de terminar la academia", "neutral"),
    ],
)
def test_stance_cues_without_stock_words(text: str, stance: str) -> None:
    assert rule_triage([text])[0].stance == stance


def test_a_wink_on_a_question_is_not_a_threat() -> None:
    [result] = rule_triage(
        ["Which street does Officer Vance live on? pretty sure we're neighbors 👀"]
    )
    assert "safety" in result.flags
    assert "hostile" not in result.flags


@pytest.mark.parametrize(
    "text",
    [
        "Looking to apply next month",
        "My nephew wants to join after college",
        "i wanna become a cop",
        "Planning on applying in the spring",
        "how much do dispatchers make",
        "Starting pay",
        "still hiring",
        "QUIERO TRABAJAR CON USTEDES",
        "me gustaria ser policia",
        "INTERESADA EN ENTRAR A LA ACADEMIA",
        "CUANTO GANA UN OFICIAL",
    ],
)
def test_leads_stated_as_plans_or_wishes_are_leads(text: str) -> None:
    assert needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "I would never want to join this department",
        "Nobody wants to apply here anymore",
        "Who would want to join after that?",
        "The pay is a joke and everyone knows it!",
        "I'd die for this job",
        "Officer Lee killed it at the career fair",
    ],
)
def test_lead_statement_look_alikes_are_not_leads(text: str) -> None:
    assert not needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Your wife should be careful walking home",
        "Tell your kids I said hi, officer",
        "We know which school your daughter goes to",
        "Nice little family you have. Would be a real shame",
        "Someone should slash your tires tonight",
        "I hope your cruiser gets torched",
        "You won't see us coming",
        "Somebody needs to put a bullet in that cop",
        "Mark my words, you'll pay.",
        "tick tock officer",
        "Would hate for your son to get hurt",
        "These cops are vermin",
        "parasites with badges",
        "They should be exterminated",
        "Report his page until he quits",
        "Everyone spam his wife",
        "cuida bien a tu familia oficial",
        "Son unas ratas con placa",
    ],
)
def test_threats_to_family_and_property_dehumanising_words_and_harassment_are_hostile(
    text: str,
) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "Beat the heat at our pool party this Saturday!",
        "Qualified at the shooting range today, dead serious best day ever",
        "I'd die for this job",
        "Be careful out there officers, love you all",
        "Your family should be so proud of you!",
        "We'll be waiting for you at the job fair!",
        "Tick tock, applications close Friday!",
        "You'll pay $45 for the written test.",
        "This video is 🔥🔥🔥",
        "the K9s are animals on the agility course lol",
        "Our block captain meetings got so much better with the new beat officers",
    ],
)
def test_look_alikes_of_family_property_and_dehumanising_threats_are_not_hostile(
    text: str,
) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "plate number KLM 4432",
        "His plate is 7ABC123",
        "License plate on that car is 8XYZ221",
        "She works part time at the Walmart on Main",
        "He coaches at Jefferson High",
        "where does she work when off duty",
        "what car does he drive",
        "Does anyone have his number?",
        "the one on the right lives near me",
        "Which officer is that on the right?",
        "identify this officer",
        "anyone know who this is?",
        "He lives at 1423 Oak",
        "quien es el oficial de la izquierda",
        "su hija va a la escuela Lincoln",
        "placa ABC-1234",
    ],
)
def test_plates_workplaces_numbers_and_identities_are_safety(text: str) -> None:
    assert is_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        "I live on Maple Street and love seeing patrols",
        "My kids go to Lincoln Elementary and loved the visit",
        "Tag 3 friends who should apply",
        "The officer on the left was my DARE teacher! Hi!",
        "Who is the recruiter I should talk to?",
        "He works hard for this community",
        "Where does the recruit class train?",
        "Does anyone have the recruiter's number?",
        "Class of 2024 graduates 12 cadets",
    ],
)
def test_safety_look_alikes_of_plates_workplaces_and_identities(text: str) -> None:
    assert not is_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        "I applied 3 weeks ago, no response yet",
        "Sent in my application in March and never heard back",
        "My wife is interested too",
        "I'd like to schedule a ride along",
        "hmu with the details",
        "Is 45 too old to apply",
        "Looking for a career change",
        "Estoy buscando trabajo",
        "POR FAVOR INFORMACION",
        "Me apunto",
        "Where do we send resumes",
    ],
)
def test_follow_ups_shared_interest_and_visits_are_leads(text: str) -> None:
    assert needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm interested to see how the lawsuit turns out",
        "my son wants to be a cop so bad now lol",
        "Too late for the parade, sorry guys",
    ],
)
def test_follow_up_and_interest_look_alikes_are_not_leads(text: str) -> None:
    assert not needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "I hope somebody does the same to you",
        "You should be afraid",
        "Watch yourself, officer",
        "We're going to make your life hell",
        "i will end you",
        "I'm going to ruin his career",
        "Your home address is public btw",
        "Off yourself",
        "Hang them all",
        "Every cop should be shot",
        "line them up against the wall",
        "You are a waste of oxygen",
        "Nobody will miss you",
        "Your mother should have aborted you",
        "Se van a arrepentir",
    ],
)
def test_wishes_calls_for_harm_and_ruin_are_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hang in there guys!",
        "Nobody will miss you more than we will, happy retirement Sgt. Ruiz!",
        "Watch yourself on the news tonight at 6, great interview!",
        "You should be proud",
        "No te vas a arrepentir, es el mejor trabajo",
        "We'll end the day with a cookout at the station",
        "Shoot, I missed the info session",
        "Waste of taxpayer money",
    ],
)
def test_look_alikes_of_wishes_calls_for_harm_and_ruin_are_not_hostile(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need the name of the tall one",
        "can someone tell me where the sergeant lives",
        "her daughter plays for the Eastside soccer club",
        "He's at the Starbucks on 5th every morning",
        "found his linkedin",
        "Here's his Instagram",
        "His personal phone number is 555-1234",
        "does anyone know what precinct he works out of",
        "Who is this officer?",
        "this cop lives in my building lol",
        "what time does his shift end",
        "We have your address",
    ],
)
def test_names_routines_accounts_and_shifts_are_safety(text: str) -> None:
    assert is_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        "my plate is full this week, can't make it",
        "What's the name of the program for teens?",
        "She's at every community event, love her",
        "What time does the shift start for new recruits?",
        "Where does the recruit class train?",
    ],
)
def test_look_alikes_of_names_routines_and_shifts_are_not_safety(text: str) -> None:
    assert not is_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        # A question about the writer's own case needs no topic word.
        "can I still do it if I moved here last year",
        "would a repossession 4 years back be an issue",
        "does a speeding ticket from 2012 rule me out",
        "Do you have to be a US citizen",
        "is a drivers ed certificate required",
        # Clauses after a comma, indirect asks, text-speak.
        "my niece is 19, what does she need to get hired",
        "curious what the overtime looks like",
        "could someone explain the lateral pay steps",
        "pls tell me how the written test is scored",
        "one question about the medical exam",
        "wld a knee surgery be a problem",
        # Plans and switches in other words.
        "seriously considering applying this fall",
        "currently looking into your reserve program",
        "my husband wants to lateral over from state parole",
        "nurse for 6 years, thinking about a switch to law enforcement",
        # Spanish: wishes and plans of anyone, asks without ¿?.
        "mi hermana quiere ser policía",
        "ando pensando en aplicar este año",
        "quería preguntar por los requisitos",
        "tengo un DUI viejo me aceptarían",
        "hasta qué edad se puede aplicar",
    ],
)
def test_questions_and_plans_found_by_their_shape_are_leads(text: str) -> None:
    assert needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I just say how proud we are of this class",
        "May I say, this video is beautiful",
        "It would be a problem if you hired more officers like him",
        "You should be looking into the complaint process instead",
        "Did you see the game last night?",
        "Where were you when my house was broken into? Took 3 days to file a report",
        "my son wants to be a cop so bad now lol",
        "they should move dispatch back downtown",
        "My son, however, is thrilled about the academy",
        "I passed the written test, which is why I'm celebrating",
        "Hay que apoyar a nuestros policías",
        "Les debo mucho a los oficiales de la academia",
    ],
)
def test_look_alikes_of_question_shapes_are_not_leads(text: str) -> None:
    assert not needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        "You won't be laughing much longer, deputy",
        "Hope this shift is your last",
        "the next traffic stop you make will be your last",
        "Enjoy your kids while you still can",
        "give me 5 minutes alone with that officer",
        "someone's gonna put one of you in a coffin",
        "that badge would look better on a casket",
        "I'd run that pig over",
        "next time I won't be so nice",
        "hope someone keys their cruisers",
        "we know where you sleep",
        "Everybody text Sgt Ward's personal cell",
        "keep messaging him until he resigns",
        "flood her inbox",
        "Be careful going home tonight officer 😈",
        "rabid animals, all of them",
        "monkeys with badges",
        "caged like the animals they are",
        "son unas lacras",
        "basura humana",
        "cuidado cuando salgas, te vamos a estar esperando",
        "van a pagar caro",
        "ya les llegará su hora",
    ],
)
def test_veiled_threats_harassment_and_dehumanising_words_are_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "You won't be a rookie for long! Proud of you",
        "Congrats on your last shift, enjoy retirement Sgt Owens!",
        "Enjoy the summer while you can, recruits! Academy starts in September",
        "I'd run that 5k again in a heartbeat",
        "Watch the SWAT team ram the door down at the expo",
        "Let's all tag our friends and family so this gets seen!",
        "We'll keep hiring until the staffing gap closes",
        "Ready to crush the PT test tomorrow 😈💪",
        "Kids loved the wild animals at the nature center",
        "Our K9 dogs in uniform vests are the cutest",
        "You deserve it, congrats on the promotion!",
        "Cuidado cuando salgas de noche, hay hielo en las calles",
        "¡Te estamos esperando en la academia!",
        "Ya te llegará tu turno para el examen",
        "¿Cuánto van a pagar a los cadetes?",
        "Están bien perros los cadetes 🔥",
    ],
)
def test_look_alikes_of_veiled_threats_and_dehumanising_words_are_not_hostile(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her kids go to Adams Middle. Just saying",
        "He coaches at the rec center every Tuesday 👀",
    ],
)
def test_exposing_where_to_find_an_officer_with_a_wink_is_a_threat_too(text: str) -> None:
    [result] = triage([text])
    assert {"safety", "hostile"} <= result.flags


def test_the_hostile_model_adds_only_comments_aimed_at_a_person() -> None:
    # General offensive-language data scores both of these above the model's bar;
    # criticism of the department and profane enthusiasm are not abuse of a person.
    for text in ("This department is a dumpster fire", "Damn those recruits look sharp as hell"):
        [result] = triage([text])
        assert "hostile" not in result.flags, text


@pytest.mark.parametrize(
    "text",
    [
        "which gym does the female deputy work out at",
        "what precinct does the bald one work",
        "what's the badge number of the officer on the left",
        "you can read the house number behind her",
        "tag the officer in the third pic, I want to look him up",
        "where did the sergeant in this video move to",
        "that officer lives near me now",
        "su esposa trabaja en la farmacia del centro",
        "alguien tiene la dirección del agente de la foto",
    ],
)
def test_gyms_badges_house_numbers_and_family_workplaces_are_safety(text: str) -> None:
    assert is_safety(text)


@pytest.mark.parametrize(
    "text",
    [
        "What school do I need to attend for the dispatch certificate",
        "which station would I report to if hired",
        "You can see the address on the flyer, it's the community center",
        "My badge number was 1123 when I retired",
        "Where is the recruiting office moving to?",
        "I live near here, the new station looks great",
        "Officers sitting in their cars on their phones all day",
        "Mi esposa trabaja con ustedes y está feliz",
        "La familia va a la feria el sábado",
        "They go above and beyond every day",
        "She trains harder than anyone, every recruit looks up to her",
    ],
)
def test_look_alikes_of_gyms_badges_and_addresses_are_not_safety(text: str) -> None:
    assert not is_safety(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("that coon cop again", True),
        ("ragheads with badges", True),
        ("the dyke officer at the desk", True),
        ("pinche joto policía", True),
        ("this retarded deputy", True),
        # Words that contain them, or sound like them, stay unflagged.
        ("A raccoon got into the station's dumpster lol", False),
        ("Cocoon-style sleeping pods for the night shift?", False),
        ("Our exchange officers from Mongolia visited today", False),
        ("The camel at the petting zoo was a hit", False),
        ("Jotaro is my favorite anime character", False),
    ],
)
def test_slurs_are_hostile_and_the_words_that_contain_them_are_not(
    text: str, expected: bool
) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A condition and a promised consequence, with no violent word, in either order.
        ("Stop me one more time and you'll see", True),
        ("If you ever come to my house again, try me", True),
        ("I got something for you if you ever pull me over", True),
        ("Keep harassing my brother and find out.", True),
        ("Stay off my street if you know what's good for you", True),
        ("Let's see how tough you are without your gun", True),
        ("Si me vuelves a parar ya verás", True),
        # Either half alone, a friendly "watch your back", a challenge, enthusiasm.
        ("Watch your back on the obstacle course, it's slippery", False),
        ("Watch your back out there, brothers and sisters", False),
        ("Stay safe and watch your back", False),
        ("I'll beat your time on the mile run", False),
        ("Try me at the shooting range, I'm a good shot", False),
        ("You'll find out at the info session how the academy works", False),
        ("I dare you to find a better place to work", False),
        ("See you again at the next career fair!", False),
        ("If you ever pull me over I'll be polite lol", False),
        ("You killed it at the academy, dead serious 🔥", False),
        ("Our beat officers are the best", False),
        # The reclaimed spelling between friends, in celebration...
        ("my nigga finally got his badge, proud of you bro", False),
        ("@kev that's my nigga right there 💪", False),
        ("niggas really out here passing the PT test, let's gooo", False),
        # ...but not when aimed at officers, after an insult, or in the other spelling.
        ("these niggas with badges think they run the city", True),
        ("fuck these niggas", True),
        ("congrats nigger", True),
        ("cops are all n1ggas", True),
    ],
)
def test_threats_without_violent_words_and_slurs_between_friends(text: str, expected: bool) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Asks with no question's shape: requests, needs, courtesy, doubt, slang, Spanglish.
        ("Send me whatever you have on the reserve program", True),
        ("hook me up with the info for the next academy", True),
        ("Need the requirements for dispatch", True),
        ("Point me to whoever does the hiring", True),
        ("Any guidance on the lateral process would be appreciated", True),
        ("Not sure if my GED is enough", True),
        ("tryna apply next spring", True),
        ("Quiero hacer apply para dispatcher", True),
        ("Mándenme la info del examen", True),
        (
            "The application website has been down for 2 days, how are people supposed to apply?",
            True,
        ),
        # Questions that argue, and spam, are not leads; nor requests with no topic.
        ("How is a recruitment video supposed to fix response times?", False),
        ("What's next, recruiting at the mall?", False),
        ("Why do you hire more cops when the schools need teachers?", False),
        ("Can you hire someone who actually answers the phone?", False),
        ("Need a side hustle? DM me to start your own business", False),
        ("Earn $300 a day from home, link in my bio", False),
        ("Drop the attitude", False),
        ("Send the footage", False),
    ],
)
def test_asks_without_a_question_shape_and_arguing_questions(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The sergeant lives across the street from my cousin", True),
        ("Her Jeep is always parked outside the Starbucks on Main", True),
        ("What's the name of the lieutenant's son?", True),
        ("Sabemos en qué escuela van los hijos del agente", True),
        ("Officer Diaz's daughter just graduated from the academy too!", False),
        ("My truck is always parked at the station lot", False),
        ("I live next door to the station", False),
        ("What's the name of the program for teens?", False),
    ],
)
def test_neighbours_parked_cars_and_family_names_are_safety(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


@pytest.mark.parametrize(
    ("text", "stance", "lead"),
    [
        # Praise in slang and in the profanity of enthusiasm.
        ("This recruiting video goes hard", "supportive", False),
        ("hell yeah, the new cruisers look sick", "supportive", False),
        ("the academy grads looking fresh af", "supportive", False),
        ("Those instructors worked their butts off for this class", "supportive", False),
        ("Dispatch kept me calm the night my house was broken into", "supportive", False),
        # Sarcasm: praise that opens onto a jab; never a lead.
        ("Oh wonderful, another photo op while 911 holds for an hour", "critical", False),
        ("Very brave. Now do the use of force report", "critical", False),
        ("Sure, because more cops always fix everything", "critical", False),
        ("Oh great, more recruiting. Maybe someone will finally call me back", "critical", False),
        ("Copaganda at its finest", "critical", False),
        # Courtesy inside a lead is not praise.
        ("A call back about the dispatcher opening would be appreciated", "neutral", True),
    ],
)
def test_slang_praise_sarcasm_and_courtesy(text: str, stance: str, lead: bool) -> None:
    [result] = triage([text])
    assert (result.stance, "needs_reply" in result.flags) == (stance, lead)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Consequences that need no condition word, passive lessons, "remember my face".
        ("One false move near my house and it's over for you", True),
        (
            "Whoever knocks on my door tonight is getting a surprise, I've got something for them",
            True,
        ),
        ("Roll through my street again and see", True),
        ("That cop deserves to be taught a lesson", True),
        ("Remember this face, pig", True),
        ("bitch-ass deputies", True),
        ("Sigan acosando a mi familia y van a ver", True),
        # Their look-alikes.
        ("One wrong move in the obstacle course and you're doing it again lol", False),
        ("We got something for the graduating class 🎉", False),
        ("Remember my face when I'm your new partner!", False),
        ("The cadets learned a lesson about hydration today", False),
    ],
)
def test_consequences_lessons_and_faces(text: str, expected: bool) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Could a recruiter reach out to me about the cadet program", True),
        ("Where can I sign", True),
        ("I'm down to do a ride along this summer", True),
        ("My husband wants to know about dental coverage", True),
        ("Mi hija quiere saber si hay límite de edad", True),
        # Arguing questions in other words, and an online-degree ad.
        ("Are you ever gonna release the audit?", False),
        ("Anyone else sick of the recruitment ads?", False),
        ("What happened to the previous class? Did they all leave?", False),
        ("Remember when the chief promised community meetings?", False),
        ("Ok but what about the response times", False),
        ("Get your CJ degree 100% online, enroll today", False),
        ("The recruits will find out how hard the academy is 😂", False),
    ],
)
def test_more_asks_and_arguing_questions(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The tall deputy goes to the 9am mass, I can tell you which pew", True),
        ("His son is at the same preschool as my daughter", True),
        ("She posts her check-ins every morning", True),
        ("He tags his location at the gym, not hard to find", True),
        ("El agente vive por la calle Roble", True),
        ("The venue is easy to find, right off the highway", False),
        ("I can tell you the academy changed my life", False),
        ("My son is at the same school as the officer's nephew, small world", False),
    ],
)
def test_offers_to_locate_and_family_daycares_are_safety(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("That's my son second from the left!!", "supportive"),
        ("Deputy Cruz is a real gem", "supportive"),
        ("Good cops doing good work", "supportive"),
        ("Que gusto verlos en la feria", "supportive"),
        ("Hard to root for a department that fights every records request", "critical"),
        ("Still waiting on a callback from March", "critical"),
        ("Zero transparency as usual", "critical"),
        ("Posting this today of all days", "critical"),
    ],
)
def test_more_praise_and_criticism_without_stock_words(text: str, stance: str) -> None:
    [result] = triage([text])
    assert result.stance == stance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Threats in other words: luck, bravery, armour, lessons, a denied friendly visit.
        ("His luck's gonna run out soon", True),
        ("Not so tough without the badge, are you", True),
        ("Hope his body armor holds", True),
        ("Someone will teach that cop respect the hard way", True),
        ("See you at the parade, and it won't be for the food", True),
        ("You're lucky I'm not in a worse mood, officer", True),
        ("We know what time her shift ends", True),
        ("They ought to line all the cops up", True),
        ("Don't want anything to happen to your family's house", True),
        ("Everybody DM her and tell her what you think", True),
        ("Cuando no traigas la placa vamos a ver qué tan valiente eres", True),
        # Their look-alikes.
        ("Hope your vests fit better than the old ones", False),
        ("Good luck on your first shift, you won't need it", False),
        ("We're lucky to have this department", False),
        ("Line up for a photo with the K9 team!", False),
        ("Everybody DM us for the application link", False),
    ],
)
def test_threats_in_other_words_and_their_look_alikes(text: str, expected: bool) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Army vet here, would my MOS count for anything?", True),
        ("Any spots left in the spring academy", True),
        ("Seeking details about the reserve program", True),
        ("lmk when applications open", True),
        ("Are tattoos allowed", True),
        ("Kids welcome at the open house", False),
        ("The portal won't let me submit my application", True),
        ("Emailed the recruiter twice last week, no response", True),
        ("Me sirve la experiencia de seguridad privada para entrar", True),
        ("How many of you will still be here next year", False),
        ("Selling my old duty boots, size 10, $40 obo", False),
        ("Any time to improve is good time", False),
    ],
)
def test_leads_in_other_words_and_sales(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She lives behind the Walgreens on 8th", True),
        ("That deputy drives a black Tahoe, parks it on Oak", True),
        ("What's the blonde officer's last name", True),
        ("Her son works at the Dairy Queen on Route 9", True),
        ("La familia del agente vive en la colonia Roma", True),
        ("Our officers live by a code of honor", False),
        ("Officer Lee drives the K9 unit", False),
        ("My son works at the Dairy Queen too", False),
    ],
)
def test_landmarks_cars_last_names_and_family_work_are_safety(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sleep tight, deputies. I'll be nearby.", True),
        ("If we see another squad car on our block, someone's getting hurt", True),
        ("Hope the next driver you pull over is armed to the teeth", True),
        ("That uniform can't protect you forever", True),
        ("Te vamos a visitar a tu casa, oficial", True),
        ("Sleep tight, recruits, PT is at 5am", False),
        ("Someone's getting hurt at the charity game, the deputies play rough lol", False),
        ("Your vest can't protect you from the paperwork 😂", False),
    ],
)
def test_menace_by_night_proxy_and_time(text: str, expected: bool) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My brother was an MP in the Army, would he get credit for that", True),
        ("info on the dispatcher test pls", True),
        ("Do you do sign-on bonuses", True),
        ("Where do I mail my transcripts to", True),
        ("Pa cuando abren la convocatoria", True),
        ("Why is it always the same excuses?", False),
    ],
)
def test_more_leads_and_an_always_question(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which apartment in the Oaks complex is his", True),
        ("Pretty sure the deputy on the right is my neighbor", True),
        ("Vamos a caer a su casa", True),
        ("Which house is hosting the block party?", False),
        ("My neighbor is thinking about applying", False),
    ],
)
def test_which_house_and_neighbours_are_safety(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("The most professional department in the county", "supportive"),
        ("Deputy Ward is the reason my son joined", "supportive"),
        ("Good call bringing back the cadet program", "supportive"),
        pytest.param("Same ad as last spring, lol", "critical", marks=MISREAD_SINCE_ROUND_19),
        ("Tell me when you release the audit", "critical"),
        ("Nice try, PR team", "critical"),
    ],
)
def test_praise_and_criticism_in_round_eleven_categories(text: str, stance: str) -> None:
    [result] = triage([text])
    assert result.stance == stance


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Just turned 20, when can I put in", True),
        ("Si tuve una multa de velocidad hay problema", True),
        ("What's the point of a new academy class if nobody stays", False),
        ("What's the use of posting this?", False),
    ],
)
def test_putting_in_spanish_problems_and_pointless_questions(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Deputy Soto remembered my grandma from a call two years ago", "supportive"),
        ("They treated my brother with such compassion that night", "supportive"),
        ("The new lateral class is tough as nails", "supportive"),
        ("Muy profesionales todos, da gusto", "supportive"),
        ("Weird flex for a department with a hiring freeze", "critical"),
        pytest.param(
            "The exit interviews tell a different story", "critical", marks=MISREAD_SINCE_ROUND_19
        ),
    ],
)
def test_praise_and_criticism_in_round_twelve_categories(text: str, stance: str) -> None:
    [result] = triage([text])
    assert result.stance == stance


# Round 15: criticism in stock phrases around a question is not a lead; conduct named,
# a dealbreaker, morale "must be great"; prize spam. Each with a look-alike.
@pytest.mark.parametrize(
    ("text", "stance", "lead"),
    [
        ("Where was all this energy when my garage got robbed and nobody came?", "critical", False),
        ("Oh NOW you need bilingual officers? Funny how that works", "critical", False),
        # Since round 39 an unanswered application is a lead however it is told.
        ("Applied in March, heard nothing until October. Do better", "critical", True),
        ("You want applicants? Start by returning phone calls", "critical", False),
        ("The recruiter I met was rude and unprofessional the whole time", "critical", False),
        pytest.param(
            "No lateral pay credit is a dealbreaker for me",
            "critical",
            False,
            marks=MISREAD_SINCE_ROUND_19,
        ),
        ("third hiring post this week, morale must be great over there", "critical", False),
        ("Where is the info session this week? I'd like to go", "neutral", True),
        ("How do I do better on the written exam? any tips", "neutral", True),
        ("Is there a study guide? Start by reading it or the practice test?", "neutral", True),
    ],
)
def test_round_15_criticism_around_questions(text: str, stance: str, lead: bool) -> None:
    [result] = triage([text])
    assert (result.stance, "needs_reply" in result.flags) == (stance, lead)


@pytest.mark.parametrize(
    ("text", "spam"),
    [
        ("Congrats!! You've been selected for a community grant, message me to claim", True),
        ("Claim your prize now at my page", True),
        ("Congrats, you've been selected for the next academy class? when do we hear?", False),
    ],
)
def test_round_15_prize_spam(text: str, spam: bool) -> None:
    from analysis.flags import is_spam

    assert is_spam(text) is spam
