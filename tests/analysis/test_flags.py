"""Flags on ingested comments: which ones a person should look at, and why."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis import flags
from analysis.flags import (
    FLAGS,
    HOSTILE,
    NEEDS_REPLY,
    NEGATIVE,
    assess,
    flag_comment,
    is_hostile,
    is_safety,
    needs_reply,
)
from analysis.sentiment import Sentiment
from analysis.triage import triage
from analysis.triage_eval import load

NEUTRAL = Sentiment("neutral", 0.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Recruitment leads: applying, requirements, pay, benefits, age, tests, events.
        ("How do I apply?", True),
        ("What is the starting salary for a police officer?", True),
        ("Is there an age limit for applying?", True),
        ("My son is 17, can he start the process now?", True),
        ("Do you accept applicants with out of state experience?", True),
        ("Where is the career fair being held?", True),
        ("What time does the event start on Saturday?", True),
        ("Does the department offer tuition reimbursement?", True),
        ("Asking for a friend: do tattoos disqualify you?", True),
        ("Are you hiring laterals? I have 6 years with the county", True),
        ("Salary?", True),
        ("I'm interested in the academy, please send info", True),
        ("hi, is the info session online or in person", True),
        ("What’s the pension like after 20 years?", True),
        # A question mark alone is not enough.
        ("Why?", False),
        ("Did you see the game last night?", False),
        ("Really??", False),
        # Statements about the topics are not questions.
        ("The application deadline is listed on the website", False),
        ("My brother did the ride along program last year", False),
        ("Great job at the career fair!", False),
        # Rhetorical jabs are not leads.
        ("Lol who would want this job?", False),
        ("You shot an unarmed man last year and now you want recruits?", False),
        ("Are you kidding? Who would apply to this department?", False),
        ("How much do they pay you pigs to lie?", False),
    ],
)
def test_needs_reply(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Abuse aimed at officers.
        ("Pigs", True),
        ("Oink oink", True),
        ("F*ck the police", True),
        ("fuck you and your recruitment ads", True),
        ("scumbag cops, all of you", True),
        ("you clowns can't even answer a phone", True),
        ("Thugs in blue", True),
        ("what an asshole", True),
        # Threats, including wishes and calls to violence.
        ("I hope you all get shot", True),
        ("someone should kill them all", True),
        ("watch your back", True),
        ("you're next.", True),
        # Light obfuscation.
        ("p!gs", True),
        ("P1GS", True),
        ("a$$hole", True),
        ("f.u.c.k the police", True),
        # Ordinary comments with look-alike words stay unflagged.
        ("Guinea pigs for the new equipment lol", False),
        ("Pig roast fundraiser was great", False),
        ("Pigskin party at the station Sunday", False),
        ("I felt like an idiot on the agility test", False),
        ("I will shoot my shot and apply", False),
        ("Going to get my application in tonight", False),
        ("We will beat the fire department at softball", False),
        ("Shoot, I missed the deadline", False),
        ("Skills test was hard but fair", False),
        ("@user $5 parking at the fair", False),
        ("You are next in line for the interview", False),
        ("Great job at the shooting range qualification!", False),
        # "Hurt" asks about an application unless someone means to hurt.
        ("does a bad credit score hurt you on the background check", False),
        ("will a DUI from 10 years ago hurt your chances", False),
        ("a misdemeanor wont hurt you if its old", False),
        ("I will hurt you", True),
        ("someone should hurt that cop", True),
        # Sharp criticism is negative, not hostile: it stays part of the conversation.
        ("This department has a terrible reputation", False),
        ("Defund the police", False),
        # A slogan alone is criticism (so the issue's authors label "ACAB" in dev9 and
        # heldout4); with a threat it is hostile for the threat.
        ("ACAB", False),
        ("1312", False),
        ("ACAB, every last one of you should burn", True),
    ],
)
def test_hostile(text: str, expected: bool) -> None:
    assert is_hostile(text) is expected


@pytest.mark.parametrize(
    ("text", "sentiment", "expected"),
    [
        ("How do I apply?", NEUTRAL, {NEEDS_REPLY}),
        ("Pigs", Sentiment("negative", -0.8), {HOSTILE, NEGATIVE}),
        (
            "I applied three times and never heard back, how do I check my status?",
            Sentiment("negative", -0.4),
            {NEEDS_REPLY, NEGATIVE},
        ),
        ("Waste of taxpayer money", Sentiment("negative", -0.6), {NEGATIVE}),
        ("Congrats to the new recruits!", Sentiment("positive", 0.9), set()),
        ("Congrats to the new recruits!", NEUTRAL, set()),
    ],
)
def test_flag_comment_combines_the_flags(text: str, sentiment: Sentiment, expected: set) -> None:
    flags = flag_comment(text, sentiment)
    assert isinstance(flags, frozenset)
    assert flags == expected
    assert flags <= FLAGS


# Threats by implication (each category, in wordings of our own), and their kind twins.
@pytest.mark.parametrize(
    "text",
    [
        # A grudge held.
        "We haven't forgotten you, Officer Banks",
        "Let Sgt. Ruiz know we still remember. Tell him we haven't forgotten him",
        "tell Delgado the block remembers",
        "Nothing is forgotten, sergeant",
        "They forgot about us. We haven't forgotten, and we never will",
        "No te hemos olvidado, oficial",
        "Acá nada se olvida, cadetes",
        "La gente no olvida las caras",
        "We remember you, deputy. All of us.",
        "Your name's on my list now, officer",
        # Harm wished in other words.
        "Hope a couple of these rookies don't come home",
        "Praying at least one of them never makes it home",
        "hope some of them get hurt on the first call",
        "Ojalá uno de ellos no regrese a casa",
        "Hope karma finds each one of you",
        "hope your first week is your worst nightmare",
        # A warning that patience runs out.
        "Not everyone out there will be as nice as your instructors",
        "Heads up rookies, not everybody on this street is gonna be so patient",
        "They won't be so polite next time",
        "No todos van a ser tan pacientes contigo, novato",
        "Careful who you pull over around here",
        # A devil at "my block".
        "Wait till they roll through our hood 😈",
        "new class, same streets 🔪",
        # A crowd sent after one person.
        "Y'all pile on the recruiter till she deletes her account",
        "Everybody go blow up Officer Diaz's page and tell her she's a fraud",
        "Everyone go reply on Lt. Shaw's posts. Keep it going until he logs off for good",
        "Make his life miserable until he quits",
        "We should all show up at his house and let him know how we feel",
        "Vamos todos a su casa a hablar con él",
        "Hay que hacerle la vida imposible al reclutador",
        "Report his page till it's gone",
        # People denied to be people.
        "They're not even human, just animals with badges",
        "Cops aren't people, they're tools",
        "lap dogs with pensions, every one of them",
        "Esos no son personas, son perros del gobierno",
        "Vermin, every last one of them",
        "not even human, any of them",
        # Publishing personal details.
        "Got her cell number and her address, dropping it in the group chat",
        "Someone leak the chief's home address already",
        "Let's publish all their home addresses and see how they like it",
        "Publiquen las direcciones de esos cadetes",
        "The whole city should know where that sergeant lives",
        "Spread her face everywhere so she can't hide",
        "Ya todos saben dónde vive",
        # "I know where you live", without cake.
        "I know where you live, officer",
        "sé dónde vive el oficial",
    ],
)
def test_implied_threats_are_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "we'll never forget your service",
        "We'll never forget you, Officer Lee. Rest in peace",
        "I haven't forgotten what you did for my family, thank you",
        "Tell Marcus we said hi!",
        "I remember you from the career fair!",
        "We all remember him fondly",
        "Your name is on the list for Saturday's info session",
        "Be careful who you trust online",
        "Everyone should know where the career fair is",
        "Share her photo everywhere, she's an inspiration",
        "The recruits are animals, every one of them 💪",
        "These dogs are beasts, all of them",
        "Report the account till it's gone, it's a scam page",
        "Please spam him with birthday wishes, it would make him smile",
        "I won't forget to bring my DD-214",
        "hope they all make it home safe",
        "Hope no one gets hurt at the academy",
        "hope you don't get hurt on the course",
        "hope you don't get home too late after graduation",
        "careful, rookies, the obstacle course is brutal 😂",
        "Careful rookies, not everyone is as nice as you guys 💙",
        "Can't wait for the new officers to meet our neighborhood",
        "everyone go comment and tell her congrats!",
        "let's all flood her inbox with thank-you notes",
        "Everyone should call the mayor's office and demand body cams",
        "We should all go to Marcus's house for the party!",
        "Let's all go to the career fair at her school",
        "go tell him what a hero he is",
        "these dogs are the real heroes (K9)",
        "these recruits are animals in the gym",
        "these recruits are machines, they aren't human 💪",
        "They aren't people who give up",
        "Not all cops are bad",
        "No son personas malas, hacen su trabajo",
        "post the address of the career fair",
        "Share your address and we'll mail you a shirt",
        "Compartan la dirección del evento por favor",
        "I know where you live... bringing cake",
        "I know where you live Marcus, see you saturday with a cake 🎂 congrats",
        "Sé dónde vives primo, llevo el pastel el domingo 🎂",
        "Cuídense la espalda allá afuera, muchachos, los queremos",
        "I want to find her on Instagram, I think we went to school together",
        "I know where the academy is but where do we park",
        "killed it",
        "dead serious about applying",
        "We will beat the fire department at softball",
        "Great job at the shooting range qualification!",
        "This post is fire 🔥",
    ],
)
def test_implied_threats_spare_kind_twins(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An officer's routine: place and time.
        ("He's the one who gets coffee at the Dunkin on 5th every morning", True),
        ("She runs at the park on Maple Street at 5:30am", True),
        ("La oficial que entrena en el parque a las 6", True),
        ("El sargento vive por la calle Juárez, y sale temprano", True),
        # Publishing personal details.
        ("Someone should post all of the new deputies' home addresses", True),
        ("Found her Instagram and her address, posting both tonight", True),
        ("Voy a subir sus datos personales mañana", True),
        # Thanks, laughter or praise beside it do not make it safe.
        ("i know where you live lol", True),
        ("I know where he lives. Thanks for nothing.", True),
        ("Sé dónde vive el oficial, gracias por la info jaja", True),
        # Look-alikes.
        ("The recruits run at the track every morning at 5am", False),
        ("I work out at Planet Fitness at 6am too, see you there", False),
        ("He runs the academy at 6am every morning", False),
        ("Mi hermana vive cerca, en la colonia Centro, y quiere aplicar", False),
        ("post the address of the career fair", False),
        ("Compartan la dirección del evento por favor", False),
        ("I know where you live... and I'm bringing cake 🎂 congrats!!", False),
        ("No sé dónde vive mi primo", False),
    ],
)
def test_safety_routine_and_publishing(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


# Round 15: veiled threats that a polite word does not soften, warnings to one person,
# grudges, meeting officers off duty, and an officer's account or home exposed.
@pytest.mark.parametrize(
    "text",
    [
        "Not a threat, but the tall one should think twice before coming back here",
        "consider this your last warning, Deputy Cole",
        "If he stops my nephew again he won't be walking out of that house. God bless",
        "Keep it up and you'll be leaving in an ambulance, respectfully",
        "Be a real shame if something happened to that nice cruiser. Have a great day",
        "Sería una pena que a ese sargento le pasara algo",
        "Something bad might happen to one of them, who knows",
        "If I were the officer on the right, I'd watch my back",
        "I'd sleep with one eye open if I were that rookie",
        "Praying every one of you gets exactly what you deserve 🙏",
        "they got it coming, all of them",
        "Que les llegue lo que se merecen a todos esos 🙏",
        "somebody needs to teach those recruits a lesson",
        "Hay que darle una buena lección a ese oficial",
        "Thanks for sharing their names, makes it so much easier for us",
        "the redhead on the end better watch herself",
        "tell Ortiz to watch his back",
        "Some of us have really long memories, Sgt Pike",
        "Aquí nadie olvida. Que se cuide el gordito de la foto",
        "Would love to bump into the sergeant in the first pic off duty 😏",
        "can't wait to see these guys when they're off-duty, no badge to hide behind",
        "Remember what happened to the last guy who patrolled here? just saying 👀",
        "Мы знаем, где он живет.",
        "puros mojados con placa, que asco",
    ],
)
def test_round_15_threats_are_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "It's not a threat to anyone, it's a job fair lol",
        "You won't walk out of the academy the same person. It changes you",
        "Walked out of the fitness test on a stretcher of pride haha",
        "It would be a shame if you missed the info session!",
        "Something good will happen to the cadets who stick with it",
        "If I were you I'd apply today",
        "Hope you all get exactly what you deserve: a raise and some respect",
        "They deserve a medal, every one of them",
        "Que les llegue lo que se merecen: un aumento 🙏",
        "The academy will teach them a lesson in patience 😂",
        "thanks for posting their names, makes it easier to congratulate them",
        "better watch out for potholes on 5th if you're driving to the fair",
        "Watch your back during the deadlift, lift with your legs",
        "We have long memories of Officer Sam's kindness ❤",
        "Que se cuiden mucho y regresen a casa con bien ❤",
        "Hope I run into you off duty so I can buy you a coffee!",
        "Love seeing the officers off duty coaching little league",
        "Remember what happened at last year's fair? The line went around the block!",
        "Спасибо за вашу службу!",
        "Dejé la ropa afuera y quedó toda mojada",
    ],
)
def test_round_15_look_alikes_are_not_hostile(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Found the rookie in the 2nd pic on instagram lol", True),
        ("found that sergeant on facebook, posting his page tonight", True),
        ("Se llama Ana Ruiz y vive en la colonia Centro", True),
        ("his name is Mike Lane and he lives off Route 9", True),
        ("found the info session link on facebook, thanks!", False),
        ("Found my old coach in the 2nd pic!! so proud", False),
        ("Se llama Academia de Policía y está en la calle 5", False),
    ],
)
def test_safety_accounts_and_names_with_homes(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


# Round 16: business to settle, slang for shooting, "the only good cop", harm by their own
# hand, "when we stop being nice", run out of town, the same harm wished back, every face
# screenshotted, a relative's car known, "we'll be waiting", an academy's closing time known.
@pytest.mark.parametrize(
    "text",
    [
        "Which station is the short one at? I've got unfinished business with him",
        "Tengo un asunto pendiente con ese de lentes",
        "that rookie on the end is gonna get clapped first",
        "All of them deserve what's coming to them",
        "only good cops are dead ones",
        "hope the whole class gets PTSD",
        "Keep it up and see what happens when the block stops being patient",
        "Once this community stops being nice y'all are done",
        "Sgt Moss should be run out of this town",
        "Ojalá les hagan lo mismo que le hicieron a mi primo",
        "screenshotted every face in this post 👍",
        "I know your sister's car, officer. Drive safe.",
        "A los nuevos los vamos a estar esperando",
        "Cuidado con lo que piden",
        "people like you don't belong here. Watch yourself",
        "We know what time the cadets get out on Fridays",
        "se los lleve la chingada a todos",
        "b**ner cops everywhere now",
    ],
)
def test_round_16_threats_are_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have some business with the recruiter about my background check, who do I call?",
        "The graduates got clapped for at the ceremony, so loud!",
        "They deserve every bit of praise coming their way",
        "The only good reason not to apply is if you hate helping people",
        "Went to the PTSD awareness talk, really helpful",
        "You'll see what happens when you stop skipping leg day 😂",
        "He was run out of breath on the mile haha",
        "screenshotted every photo to show my grandma, so proud",
        "I know your mom's car! She always waves at me lol",
        "Los vamos a estar esperando en la feria el sábado 🎉",
        "Careful what you wish for, the academy is tough haha",
        "We know when the academy lets out, we'll be there with signs 🎉",
        "banner day for the department",
    ],
)
def test_round_16_look_alikes_are_not_hostile(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deputy Lamb's schedule is Tue-Sat nights, fyi 😉", True),
        ("her shifts are mon wed fri 7 to 3", True),
        ("screenshotted all their faces and names", True),
        ("The academy's schedule is on the website", False),
        ("My schedule is Mon-Fri so can I do the Saturday session?", False),
    ],
)
def test_safety_schedules_and_screenshots(text: str, expected: bool) -> None:
    assert is_safety(text) is expected


# Round 17: recruits as "more targets", the same done to them, a polite wish they not come
# home, a grudge with "see you around", and menace after a question ("me and the boys wanna
# say hi", "pregunto por nada 😏", "Interesting.").
@pytest.mark.parametrize(
    "text",
    [
        "Hiring again? Great, more targets",
        "Somebody should do to him exactly what he did to my cousin",
        "Con todo respeto, espero que uno de ustedes no regrese a su casa",
        "Officer Webb, I remember you. See you around",
        "Mwen konnen kote li rete",
    ],
)
def test_round_17_threats_are_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        "More targets at the range this year, the new lanes are great",
        "Somebody should do for him what he did for my family, what a guy",
        "Espero que todos regresen a casa con bien",
        "I remember you from the career fair! See you around, officer 😊 thanks",
    ],
)
def test_round_17_look_alikes_are_not_hostile(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    ("text", "menace"),
    [
        ("Which gym does she go to? Me and the boys wanna say hi", True),
        ("¿Dónde estaciona el oficial? pregunto por nada 😏", True),
        ("Isn't that his wife at the bakery? Interesting.", True),
        ("Which gym does she go to? I want to join her bootcamp class", False),
        ("Where does he coach? my son wants to sign up", False),
    ],
)
def test_menace_after_asking(text: str, menace: bool) -> None:
    from analysis.flags import menaces

    assert menaces(text) is menace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INTERESADA!! MANDEN INFO", True),
        ("send me info", True),
        ("the application page won't load on my phone", True),
        ("signed up but never got the confirmation email", True),
        ("is the open house still on with the snow", True),
        ("q hora empieza la sesion", True),
        ("If the pay is so great why the bonus?", False),
        ("Do you guys even read these? lol", False),
        ("A recruiting party this week? Read the room.", False),
        ("the link in my bio 💰 dm me", False),
    ],
)
def test_round_17_leads(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("missed the live, is there a replay?", True),
        ("will the Q&A be recorded? I work nights", True),
        ("¿la sesión va a tener traducción?", True),
        ("is it free to attend", True),
        ("that panel of judges on TV was a joke lol", False),
    ],
)
def test_round_18_event_questions_are_leads(text: str, expected: bool) -> None:
    assert needs_reply(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        # Trash talk before a game.
        "we're coming for you at the charity basketball game, no mercy 😤🏀",
        "You still owe me a rematch on the trout count, Officer. I'm coming for you Saturday 🎣",
        "Y'all gonna get your butts whooped in the deputies vs teachers softball game",
        # A warning to criminals.
        "Criminals better watch out, my cousin just graduated and she does NOT play",
        "Los delincuentes mejor que se cuiden, ya viene mi prima con placa 😎",
        # A thing that "will kill you".
        "Paperwork will kill you before anything else does lol - signed, 22 years, retired",
        "The station coffee is what's actually trying to kill him ☕💀",
        "Dear recruits: the desert will try to kill you, drink your water",
        # Praise, a dog, a brag.
        "we see you officer Her!! 👀🔥 proud of you cuz",
        "I'd sign up tomorrow if y'all let me bring my coon dog on patrol",
        "my brother shot a 248 out of 250 and won't shut up about it",
    ],
)
def test_round_19_look_alikes_are_not_hostile(text: str) -> None:
    assert not is_hostile(text)


@pytest.mark.parametrize(
    "text",
    [
        # The same words without the friendly context stay threats.
        "We're coming for you, Officer Pruitt. Count on it.",
        "we see you 👀 and we know which one is yours",
        "You better watch out, rookie",
        "I'm gonna kill you when you're off duty",
        "Somebody tell that dispatcher to shut up",
        "Bunch of c00ns in that church",
        "Los policías mejor que se cuiden, aquí nadie olvida",
    ],
)
def test_round_19_threats_stay_hostile(text: str) -> None:
    assert is_hostile(text)


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("kill yourselves", True),
        ("hope y'all kill yourselves", True),
        ("you should all just off yourselves", True),
        ("Go hang yourself, Officer Briggs", True),
        ("kys rookie", True),
        # Look-alikes: care, effort and slang in the same words.
        ("Don't kill yourself studying for the written, it's easier than it looks", False),
        ("Do not kill yourselves in this heat, hydrate!", False),
        ("dont kill yourself over the push-ups, pace it", False),
        ("Shoot yourself a reminder for the info session Thursday", False),
        ("I almost killed myself laughing at the blooper reel", False),
        ("mátense, nadie los quiere aquí", True),
        ("Suicídense todos, cerdos", True),
        ("suicida-te, porco", True),
        ("No se maten estudiando, el examen escrito es fácil", False),
        ("Esos muchachos se matan trabajando por la comunidad", False),
        ("mátense de risa con el video de la academia jaja", False),
        ("Mátense de la risa con el video de la academia", False),
        ("mátense, de risa jaja", False),
        ("Mátense estudiando para el examen y pasan seguro", False),
        ("Esse calor mata-te, bebam água no treino", False),
        ("O treino da academia mata-te, mas vale a pena", False),
    ],
)
def test_telling_someone_to_kill_themselves(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        (
            "We'll be watching you walk across that stage, Danny. The whole family is driving down",
            False,
        ),
        ("We'll be watching you from the bleachers, rookie!", False),
        ("I'm gonna hunt you down at the career fair and give you a hug, Officer Castillo", False),
        ("We'll be watching you, Officer Castillo.", True),
        ("We'll hunt you down, every last one of you", True),
        ("I'm gonna hunt you down, Officer Castillo, and it won't be for a hug.", True),
    ],
)
def test_round_20_family_and_fans_are_not_threats(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("I'd never threaten anybody, but I wouldn't cry if something happened to him", True),
        ("I wouldn't mind if someone happened to answer my question about the start date", False),
        ("wouldn't cry if they raised the pay lol", False),
        ("Con todo respeto oficial, si vuelve a parar a mi hijo no respondo de lo que pase", True),
        ("No me hago responsable de lo que haga mi hijo en el examen jaja", False),
        ("No respondo de lo que haga mi hijo en el examen jaja", False),
        ("You come on my property again uninvited and you won't be walking off it", True),
        ("he won't be walking off that injury anytime soon. Prayers", False),
        ("He won't be walking off the stage without a hug from mom", False),
        ("DM me his address, let's all give him a visit he won't forget", True),
        ("Bring the K9 to the school, give them a visit they'll never forget!", False),
        ("The ride-along was a visit he won't forget, thank you!", False),
        # "Hurt" with intent, not a question about one's chances.
        ("Is a DUI gonna hurt your chances of getting hired?", False),
        ("Bad credit is going to hurt you on the background check, right?", False),
        ("I'm gonna hurt you, officer", True),
        ("Hope every one of you ends up dead in a ditch", True),
        ("Every cop in this pic deserves to end up in a body bag", True),
        ("Praying none of them ends up in the hospital this summer", False),
        ("Praying none of our officers end up dead", False),
        ("I hope no officer ever ends up dead out there", False),
        ("hope some of them end up in the hospital", True),
        ("If you skip water at the academy you end up in the hospital lol", False),
        ("Another man ends up dead after a traffic stop. Where is the accountability", False),
        ("hoping my son ends up in the academy next year", False),
    ],
)
def test_round_29_threats_and_their_look_alikes(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("Polícia bom é polícia morto. Simples assim.", True),
        ("Policial bom é policial morto", True),
        ("Os únicos policiais bons são os policiais mortos", True),
        ("O único PM bom é o PM morto", True),
        ("Polícia bom é aquele que respeita a comunidade", False),
        ("Bandido bom é bandido morto", False),
        ("El único policía bueno es el policía muerto", True),
        ("El único buen policía es el policía muerto", True),
        ("Los únicos policías buenos son los policías muertos", True),
        ("Un policía bueno es el que escucha a su comunidad", False),
        ("El poli bueno es el que llega muerto de cansancio a casa jaja", False),
        ("Policía bueno es el que no termina muerto 🙏", False),
        ("Tell your new hires to update their life insurance", True),
        ("remind the rookies to up their life insurance before the first shift 🙂", True),
        ("Does the job come with life insurance? Should I update my life insurance?", False),
        ("New hires: update your life insurance beneficiary forms with HR at orientation", False),
        ("Congrats on the wedding! Update your life insurance 😉", False),
        ("Financial tip for rookies: update your life insurance when you get married", False),
        ("Don't forget to pick up your life insurance card at orientation", False),
        ("Another redskin token hire lmao", True),
        ("Remember the Redskins game when the officers came to the tailgate?", False),
        ("Go Redskins!", False),
        ("Former Redskins player just joined the force", False),
        ("Bringing redskin potato salad to the recruiting cookout", False),
        # Harm wished and read with the kindness beside it (as before round 30).
        ("hope he gets shot lol", True),
        ("Praying none of them gets shot 🙏", False),
        ("Praying for every officer that gets shot in the line of duty 🙏", False),
        ("Hope I get a shot at this job 🙏", False),
        ("Wish I could get shot at for $45k a year lol", False),
    ],
)
def test_round_30_threats_slurs_and_their_look_alikes(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Harm wished in any form of the verb, on "every one of" the people in the photo.
        ("Praying every one of these rookies ends up in a ditch on the turnpike 🙏", True),
        ("Wishing every one of you dies slow", True),
        ("She hopes you never make it home", True),
        ("He prays they all get shot", True),
        ("hoping you all die", True),
        ("praying for your demise", True),
        # ...and the opposite wish, or a wish for something else.
        ("I pray that you never get shot out there", False),
        ("Hoping none of them ever gets hurt 🙏", False),
        ("Hope every one of you comes home safe", False),
        ("Wishing you all a safe shift", False),
        ("hope the new recruits all get hired", False),
        ("praying for his family, his death was senseless", False),
        # Harm to no one.
        ("I hope none of you ever end up in a body bag 🙏", False),
        ("No officer should ever go home in a body bag", False),
        ("you're going home in a body bag", True),
        ("you'll never leave except in a body bag", True),
        # The slogan quoted by others and condemned, beside the slogan said.
        ('Anyone chanting "the only good cop is a dead cop" should be ashamed', False),
        ("People who say the only good cop is a dead cop are sick", False),
        ("the only good cop is a dead cop", True),
        ("people say the only good cop is a dead cop and they're right", True),
        ("I say the only good cop is a dead cop, stop crying", True),
        ("'El único policía bueno es el muerto' — qué vergüenza que alguien escriba eso", False),
        ('"I\'ll kill you" is what he yelled at my brother. Disgusting.', False),
        ("'kill all cops' lol", True),
    ],
)
def test_round_31_wishes_of_harm_and_their_look_alikes(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# Found by a review of round 31's rules: innocent comments the first version fired on, and
# threats it let through.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("wishing y'all a slow painful death", True),
        ("Espero que te mueras", True),
        ("Espero que todos ustedes se mueran", True),
        ("Espero que se mueran de risa con el video jaja", False),
        ("Espero que no se mueran de calor en la academia", False),
        ("Espero que todos vocês morram", True),
        ("Espero que vocês morram de rir", False),
        ("J'espère que vous mourrez tous", True),
        ("Espero que te vaya bien en la academia", False),
        # Praise raised hands: "we see you" is praise with them, menace with eyes.
        ("Mountain View's own! We see you Sione 🙌🏽", False),
        ("we see you Deputy Ramos, keep it up 🙌", False),
        ("We see you 👀 officer", True),
        ("Hope they hire me before I die of old age lol", False),
        ("Hope someone calls me before I die lol", False),
        ("Hope you guys are ready to suffer lol", False),
        ("Hope you wore sunscreen you're gonna burn", False),
        ("Wish they paid more before everyone burns out", False),
        ("Praying the officer isn't dead 🙏", False),
        ("Praying that she suffers no more 🙏", False),
        ("I hope the guy who shot him rots in prison", False),
        ("Praying for her suffering to end 🙏", False),
        ("Prayers for his funeral today 🙏", False),
        ("Prayers for her untimely death and her family", False),
        ("Nobody will miss you when you're six feet under", True),
        ("No one is coming to save you when you're in a body bag", True),
        ("Never pull me over again or you'll leave in a body bag", True),
        ("No cop in this town is safe, you'll all go home in a body bag", True),
        ("You'll never retire, you'll leave six feet under", True),
        ("None of you will see your pension, you'll be in a body bag", True),
        ("Stay safe, I don't want any of you going home in a body bag", False),
        ("Praying you all come home safe and not in a body bag", False),
        ('I hate cops. "The only good cop is a dead cop."', True),
        ('"ACAB. The only good cop is a dead cop." Stop deleting my comments', True),
        ('"The only good cop is a dead cop" — they\'re not wrong', True),
        ('"Kill all cops" and nothing wrong with that', True),
        ('Tell Officer Reyes "we know where you live". Stop harassing my family', True),
        ('"I will find you." Stop ignoring my emails, Officer Diaz', True),
        ("I always say the only good cop is a dead cop and I hate all of you", True),
        ("We'll never stop saying the only good cop is a dead cop", True),
    ],
)
def test_round_31_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# Found by a second review of round 31's rules (each read right by the final version).
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("Wishing every one of you gets what you worked so hard for 🎉", False),
        ("Hoping this recruitment video blows up 🔥", False),
        ("Hoping all you new recruits get hit with that overtime money 💰", False),
        ("Hope every one of y'all suffers through PT like I did lol", False),
        ("Praying for your funeral detail today 🙏", False),
        ("Praying for your suffering family 🙏", False),
        ("J'espère que vous mourrez de rire", False),
        ("J'espère que vous crèverez l'écran", False),
        ("espero que se mueran de sueño", False),
        ("Praying every officer who gets shot makes a full recovery 🙏", False),
        ("hope you rot in jail like the people you lock up", True),
        ("J'espère que tu vas crever", True),
        ("Keep it up Officer Diaz. We know where you live.", True),
        ("we haven't forgotten you Officer Diaz, keep it up", True),
        ("We know where you live 🙌", True),
        ("No cop deserves to live, y'all belong in a body bag", True),
        ("Nobody needs to mourn you pigs, six feet under is where you belong", True),
        ("I don't want you pigs alive, I want you in a body bag", True),
        ('"The only good cop is a dead cop." Y\'all are evil', True),
        ('My message to Officer Diaz: "hope you never make it home". Shame on you.', True),
    ],
)
def test_round_31_second_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # A death emoji for every badge, a gun at a pig, a coffin coming soon...
        ("☠️☠️ for every badge in this pic", True),
        ("⚰️ for every one of you in that photo", True),
        ("every cop in this picture ⚰️", True),
        ("🎯 for every recruit in this pic! 100% pass rate at the range", False),
        ("🔫🐖", True),
        ("🪦🪦 coming soon", True),
        # ...not the laughing skull, a bullseye of agreement, a tribute or a piggy bank.
        ("💀💀 for every recruit who survived PT week", False),
        ("🎯 so true, every word", False),
        ("🕯️ for every officer who didn't come home", False),
        ("🐷 bank is ready for that signing bonus lol", False),
        # A face likened to a child molester's, not a suspect caught.
        ("the recruit in the back looks like a chomo fr", True),
        ("major pedo vibes from the guy on the left", True),
        ("Thank you for arresting that pedophile last week", False),
        ("My daughter's coach turned out to be a child predator. Thank you detectives", False),
        # Whores and faces in Spanish, not "de puta madre" nor the fox of a story.
        ("esa cadete es una zorra", True),
        ("el sargento tiene cara de violador", True),
        ("eres un payaso", True),
        ("Este video quedó de puta madre 🔥", False),
        ("Mi hija hizo de zorra en la obra de la escuela 🦊", False),
        # Sent back to their country, not a lead going home for a while.
        ("go back to your own country, nobody wants you in that uniform", True),
        ("Regrésate a tu país", True),
        ("I have to go back to my country for a month, can I still apply?", False),
        ("¿Si regreso a mi país por un tiempo, puedo aplicar después?", False),
        # Harm wished or promised in other words.
        ("praying for your downfall", True),
        ("torch the station with everyone inside", True),
        ("hope the bears get you before we do", True),
        ("hope Metro PD doesn't get you before we do 😉 apply today", False),
        ("your family should start praying for you", True),
        ("Your family must be praying for you every shift 🙏", False),
        ("Tu mamá debería empezar a rezar por ti", True),
        ("Que se mueran todos", True),
        ("Que se mueran de risa con este video jaja", False),
        ("sana mamatay na kayo", True),
        # A printer, a copier or an obstacle course that "tried to kill him" is a joke.
        ("The copier on the second floor. It tried to kill me twice today", False),
        ("That obstacle course nearly killed me lol", False),
        # A farewell is no threat: "enjoy your last shift" at a retirement.
        ("Enjoy your last shift Sarge! Congrats on a well deserved retirement", False),
        ("Disfruta tu último turno, sargento. ¡Felicidades por tu jubilación!", False),
        ("Enjoy your last shift, officer. 😉", True),
        ("Disfruta tu último turno, oficial", True),
        # Rookies coming for a parking spot are a joke; "watch your back" alone is not.
        ("watch your back Sarge, the rookies are coming for your parking spot 😂", False),
        ("watch your back Sarge", True),
        # A slogan said by others, then the police condemned, is no quote condemned.
        ("They say the only good cop is a dead cop. Sick of these cops", True),
        ("people say the only good cop is a dead cop. Cops are disgusting", True),
        ("People who say the only good cop is a dead cop are sick", False),
    ],
)
def test_round_32_threats_insults_and_their_look_alikes(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # A thing that "tried to kill him" sets aside no threat in the next sentence.
        ("Nice new computers. Now someone should kill you all", True),
        ("Tell your instructors I'm going to kill them", True),
        ("The printer won't help you when I murder you", True),
        ("This heat is gonna kill you out there lol, hydrate", False),
        # Only a retirement makes "enjoy your last shift" a farewell.
        ("Congrats on the badge. Enjoy your last shift.", True),
        ("Retired Marine here. Enjoy your last shift, Officer Lee", True),
        (
            "Felicidades por tu jubilación, disfruta tu último día porque no vas a llegar a casa",
            True,
        ),
        ("Enjoy your last shift Sarge! Congrats on 30 years 🎉", False),
        ("Enjoy your last week of academy, cadets! Graduation soon", False),
        ("No vas a llegar a casa a cenar con esos turnos jaja", False),
        # A parking spot is a joke; "your spot" is one only with a laugh.
        ("Watch your back. The boys are coming for your spot at the precinct, bring a vest", True),
        ("Watch your back Chief, this class is coming for your job lol", False),
        # Condemned by the police, the slogan is no one's; the police condemned, it is.
        ("Sick of people saying the only good cop is a dead cop. Thank you for serving", False),
        ('Officers are disgusted by the "kill all cops" graffiti on 5th street', False),
        ("They say the only good cop is a dead cop. Police are a disgrace", True),
        ('"Kill all cops." The whole PD is vile', True),
        # News of an arrest and the film are not an officer called a molester.
        ("Looks like a pedophile got arrested thanks to these guys, great work", False),
        ("Looks like the molester from the news finally got arrested, great job detectives", False),
        ("Bro in the ghillie suit has Predator vibes lmao 😂", False),
        ("Looks like they hired a pedo again", True),
        # A K9, a fox, a tough academy and teasing between cousins.
        ("Luna es una perra muy inteligente, la mejor del equipo K9 🐕", False),
        ("Esa zorra se metió al gallinero y control animal la rescató, gracias oficiales", False),
        ("La academia es una perra pero vale la pena 💪", False),
        ("Eres un payaso jaja te quiero primo, felicidades por graduarte 🎉", False),
        ("Ya deja de hacer cara de pendejo en las fotos primo jaja te amo", False),
        ("Tiene cara de pendeja la cadete", True),
        ("La de la izquierda es una zorra", True),
        # "Que se mueran" the haters, or everyone in the photo.
        ("Que se mueran los haters, tú lo lograste 💙", False),
        ("que se mueran, perros", True),
        # An applicant's question, not "go back to your country".
        (
            "Can lateral officers from Mexico apply or do they have to go back to their "
            "country first?",
            False,
        ),
        (
            "My dad always said go back where you came from and make it better. So I'm applying!",
            False,
        ),
        ("Can I apply if I plan to go back to your country's academy program later?", False),
        ("Go home to your country", True),
        ("Deport him. Send him back to where he came from", True),
        # Jokes about the academy, a blessing, recruiter banter, a live burn, a tribute.
        ("Your family should start praying for you now lol, academy PT is no joke", False),
        (
            "Your mom better start praying for you, you're gonna be doing night shifts 😅",
            False,
        ),
        ("Tu familia debe orar por ti cada día, que Dios te cuide en las calles 🙏", False),
        ("Hope the recruiters get you before we do, the fire dept is hiring too 😂🚒", False),
        (
            "Live burn day: they set fire to the burn tower with the recruits inside in full gear",
            False,
        ),
        (
            "We're gonna burn the grill at the recruit BBQ with all of you inside the tent lol",
            False,
        ),
        ("🪦 for every officer who gave their life. Never forgotten 🙏", False),
        ("🪦 for you, Deputy Cruz. Rest easy brother", False),
        ("⚰️ coming soon for my legs after leg day at the academy", False),
        ("🔫🐷 squirt gun fight at the pig roast was hilarious", False),
        ("🎯 on each of your heads", True),
        ("Can't wait for your downfall", True),
        ("Mamatay na kayong lahat mga baboy", True),
        ("Tomara que vocês morram todos, porcos", True),
    ],
)
def test_round_32_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # The K9, the fox, a hard life and "de puta madre"; whores said otherwise.
        ("¿Cómo se llama la perra de la foto? Está hermosa 😍", False),
        ("Se llama Nieve, ella es una zorra ártica que rescató control animal", False),
        ("Ya me cansé de esta pinche perra vida, quiero aplicar a la academia", False),
        ("Esa foto quedó con una cara de puta madre", False),
        ("Esa policía parece una puta con ese uniforme", True),
        # News of an arrest, an investigator, a face of the accused.
        ("Looks like a pedophile ring got taken down, great work ICAC", False),
        ("Looks like the rapist they caught last week got 20 years. Thank you detectives", False),
        ("They're hiring child predator investigators, I'd love that job", False),
        ("This is the face of a child predator. Thank you detectives for the arrest", False),
        ("Officer on the left is a pedo for sure", True),
        # Visiting officers going home; an applicant's paperwork.
        (
            "Safe travels to the visiting officers from Japan as you go back to your country 🙏",
            False,
        ),
        ("Gracias a los oficiales de Colombia, que regresen a su país con bien 🙏", False),
        ("Lateral applicants must go back to their country to get a police clearance", False),
        ("Go back where you came from and make room for real Americans", True),
        # Farewells in Spanish; sarcasm after "thank you for your service".
        ("Disfruta tu último día de vacaciones antes de la academia 💪", False),
        ("Disfruta tu último turno de noche, ya te toca el de día jaja", False),
        ("Officer Diaz, thank you for your service. Enjoy your last shift 😈", True),
        # Envy and laughter in Spanish, Tagalog and Portuguese.
        ("Que se mueran todos de envidia 😎 lo lograste", False),
        ("Que se mueran todos los haters, tú sigue adelante", False),
        ("Que se muera el oficial Ramírez", True),
        ("Por mí que se mueran todos", True),
        ("Sana mamatay kayo sa inggit haha congrats sa bagong pulis", False),
        ("Sana mamatay na ang mga kriminal sa lugar namin, salamat po", False),
        ("Mamatay ka na, baboy", True),
        ("Tomara que vocês morram de tanto rir com esse vídeo kkkk", False),
        ("Con este tráfico no van a llegar a su casa hasta las 10 jaja", False),
        ("Mi hijo no va a regresar a casa en Navidad porque está en la academia 😢", False),
        # A burn, a bomb squad and a firebomb.
        ("Someone should torch the training academy with all of them inside", True),
        ("Firebomb the academy during graduation with every recruit inside", True),
        ("Bomb squad demo went great with everyone inside the safe zone", False),
        ("Can't wait for your destruction of the fire department at the Guns & Hoses game", False),
        # Emoji: a laugh does not soften them; a hunt, duty weapons or a diet does.
        ("🔫🐷 lmao", True),
        ("🪦🪦 coming soon 🔥", True),
        ("Hog hunting with the deputies this weekend 🐷🔫", False),
        ("Body cams AND new 🔫 for every officer starting July", False),
        ("Academy starts Monday, my sleep schedule 🪦 soon", False),
        ("⚰️ coming soon: my bank account after buying all this academy gear 😂", False),
        ("Don't let Metro get you before we do, apply today!", False),
        ("Karma will get you before we do lol", True),
        ("We know where you live. Rest easy tonight officer 😉", True),
        # Jokes and blessings about praying for a recruit.
        ("Your family better start praying for you, 12-hour nights are brutal", False),
        ("Tu mamá va a tener que rezar por ti todos los días, mijo, cuídate mucho", False),
        ("Your wife should start praying for you. Every shift could be your last.", True),
        # A crew that will "kill you" is no printer; an endorsed quote is the writer's.
        ("Forget the obstacle course my boys will murder you", True),
        ('Cops are so disgusted by "the only good cop is a dead cop". Well, it\'s true.', True),
        ("People are sick of hearing 'kill all cops'? Too bad, I mean it", True),
        ("Watch your back. Coming for your chair, your badge, your everything", True),
        # Teasing and sarcasm in Spanish.
        ("Yo con cara de pendejo esperando los resultados del examen 😂", False),
        ("Eres un payaso jaja, te extrañamos en la estación", False),
        ("Los oficiales se disfrazaron y son payasos de verdad para la fiesta infantil 🎈", False),
        ("La policía no es tu amiga. Tiene cara de violador el de la foto", True),
        ("Tiene cara de violador el de la foto, que orgullo de policía 🙄", True),
        ("Eres un payaso, hermano, no mereces ese uniforme", True),
    ],
)
def test_round_32_second_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Harm wished as a prayer, and its sincere twin.
        ("I'll pray every one of you ends up as broken as the people you arrest", True),
        ("I hope you never end up as broken as I was after my divorce", False),
        ("Praying each of these rookies meets the same fate as the guy they shot", True),
        ("Praying this class meets the same success as last year's 🙏", False),
        # Funerals to come, target practice, a bounty, a push out of the car.
        ("These kids are just signing up to be target practice", True),
        ("I signed up for target practice on Saturday lol", False),
        ("I'd give $100 to whoever puts that sergeant in the hospital", True),
        ("I'd pay $20 to whoever puts together a better recruitment video than this", False),
        ("I'd push her out of the cruiser on the freeway", True),
        ("should've let the river take them all", True),
        # Spanish, French and Somali.
        ("Ese sargento ya tiene los días contados", True),
        ("Esa ley tiene los días contados", False),
        ("En este barrio no te queremos vivo, oficial", True),
        ("J'espère que ce flic se fera renverser", True),
        ("Je sais où habite ce policier", True),
        ("adigoo dhintay ayaan ku arko", False),
        ("waxaan doonayaa inaan ku arko adigoo dhintay", True),
        # Thanks in scare quotes, names "so we can find them", vacancies to be made, a 💣 gift.
        ("Post that deputy's name so I know who to 'thank' 🙂", True),
        ("Post their names so we can find them", True),
        ("Post the names of the graduates so we can find them at the reception!", False),
        ("I'm about to create some vacancies in that department", True),
        ("Got a little surprise for the recruiters at the fair tomorrow 💣", True),
        ("I'll bring something special for the recruiters 💣 best cookies in town", False),
        # The third review: a policy thanked in scare quotes, names for a card, retirements
        # and a budget that make vacancies, a bill or a match in French, a job posting that
        # closes Friday, the academy's last days, volunteers at a taser demo, a bounty for a
        # dunk tank, a nervous recruit pushed out of the car, a scorpion.
        ('Can someone tell me who to "thank" for the new parking rules at the academy? 🙄', False),
        (
            "What are the names of the deputies from the rescue so we can find them and send "
            "a card?",
            False,
        ),
        (
            "I'm about to create some vacancies in our dispatch unit, three of us retire in June!",
            False,
        ),
        ("J'espère que ce projet de loi se fera descendre au Sénat", False),
        ("J'espère que l'équipe des flics se fera écraser au match contre les pompiers 😂", False),
        ("Esa plaza tiene los días contados, ¡apliquen ya!", False),
        ("Tú ya tienes los días contados en la academia, ¡ya casi te gradúas!", False),
        ("Volunteers signed up to be targets for the taser demo at the open house", False),
        ("Paying $25 to whoever jumps in the dunk tank first at Community Day", False),
        ("I had to push her out of the car at the academy gate, she was so nervous 😂", False),
        ("Encontré un alacrán en la patrulla 😱 no lo quiero vivo", False),
        ("Brought something for the recruiters 💣 homemade brownies", False),
        ("🔫🐷 go eat your donuts", True),
        ("J'espère qu'il se fera écraser", True),
        ("On sait où tu habites", True),
        ("Sus días están contados, oficial", True),
        ("Somebody should push him out of a moving car", True),
        ("Post his name so I know who to “thank” personally", True),
    ],
)
def test_round_32_heldout36_and_heldout37_misses(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# Round 33, from heldout36 to heldout39's misses (read in round 32) and the files written
# to be learned from: sexual harassment of an officer or recruit, polite threats, mourning
# said before a death; each beside the look-alikes the rule must leave alone.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # An arrest asked for with a sexual cue, a uniform taken off, "está bien buena".
        ("La morra de la derecha está bien buena, que me espose y me revise toda 🥵🔥", True),
        ("esa policía de la foto está bien buena, que me arreste a mí y la pongo a gozar 🥵", True),
        (
            "damn the recruit in the front row is fine as hell, bet she "
            "looks even better out of that uniform 😍",
            True,
        ),
        (
            "The girl on the left can arrest me anytime 😏 I'd make "
            "her work for it if u know what I mean",
            True,
        ),
        ("the recruit in the 3rd pic can put the cuffs on me any day 😏😏 dm me sweetheart", True),
        ("frisk me daddy", True),
        (
            "the blonde recruit is the only reason im watching "
            "this video lol. turn around sweetheart",
            True,
        ),
        ("Lady cops are a joke. Sweetheart go back to the kitchen", True),
        ("@andrea.kaur you'd arrest me for jaywalking on day one 😂", False),
        (
            "I knew you'd make it out of our friend group with a "
            "badge lol. Don't arrest me at the cabin",
            False,
        ),
        ("that recruiting officer is FINE 😍 I'd let him arrest me lol", False),
        ("Bendición mami, te ves preciosa en ese uniforme", False),
        ("Mi vecino es el de la foto, bien buena gente", False),
        ("La feria de empleo estuvo bien buena, gracias por la info", False),
        (
            "Tell your dad we're all praying for him while he's on "
            "nights, sweetheart. You're brave too.",
            False,
        ),
        # Polite threats.
        (
            "With all due respect officers, people like you tend to "
            "have accidents. Stay safe out there 🙂",
            True,
        ),
        (
            "Thank you for your service. Seriously. Enjoy it while it "
            "lasts, officers, karma is patient and so am I.",
            True,
        ),
        ("You're recruiting? Good. More of you in one room makes it easier.", True),
        (
            "Con todo respeto oficial, cuídese mucho, las calles "
            "de Lowell no perdonan a los traidores",
            True,
        ),
        ("Nice graduation. See you at the funerals.", True),
        (
            "God bless the families of these recruits. They're gonna "
            "need the blessing when the funerals start.",
            True,
        ),
        (
            "Any of y'all come through my block again and you're not leaving the same way you came",
            True,
        ),
        (
            "People like you tend to have accidents when you're "
            "exhausted from overtime. Hire more officers.",
            False,
        ),
        ("All of you in one room makes it easier to ask questions! See you Thursday", False),
        ("See you all at the funeral on Saturday for Officer Reyes. 💙", False),
        (
            "The academy is tough. You won't leave the same way you came in, and that's the point.",
            False,
        ),
        (
            "Las calles de Lowell no perdonan a los conductores distraídos, manejen con cuidado",
            False,
        ),
        ("Enjoy it while it lasts, rookies, academy is the easy part 😂", False),
        # Mourning before a death.
        ("Sending my sympathy to Officer Price's mom in advance. She's proud now.", True),
        (
            "Thoughts and prayers to the families of this class. Figured I'd get mine in early.",
            True,
        ),
        ("RIP in advance to recruit class 42 🪦", True),
        ("Can't wait to see this class on the memorial wall", True),
        ("Hope your kids are proud when they visit you at the cemetery", True),
        ("Ojalá le quede igual de bonito en el velorio 🕯️", True),
        ("cant wait for the next officer down post 😂😂", True),
        ("May nobody in this class ever end up on that memorial wall 🙏", False),
        ("Seeing Reeves' name on the memorial wall at graduation got me choked up", False),
        ("My condolences to your knees in advance 😂", False),
        ("Ojalá pueda ir al velorio del oficial Ramírez, descanse en paz", False),
        ("Hope to see all of you at the memorial wall dedication Saturday", False),
        ("Prayers in advance for a safe first shift, proud of you son", False),
    ],
)
def test_round_33_harassment_polite_threats_and_early_mourning(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# The first review's look-alikes of round 33's rules (family, food, dogs, fallen officers,
# a case closed, an event, the academy's change) and threats in nearby shapes.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("Mami arrestame jaja te extraño 😂 (tu hija Sofi)", False),
        ("Papi take me on a ride along pleaseeee 🚓", False),
        (
            "Turn around sweetheart so Grandma can see the back of the uniform in the next pic!",
            False,
        ),
        ("Papacito te ves bien guapo con el uniforme, tu abuela te manda besos", False),
        ("Ranger looks better without the vest honestly, he's so fluffy 😂", False),
        ("Recruit here 🙋‍♀️ academy PT made me thicc in the legs lol squats for days", False),
        ("she's fine as hell at parallel parking that cruiser, I could never 😂", False),
        ("La info de la reclutadora está muy buena, gracias por explicar todo", False),
        ("La sargento está buenísima en su trabajo, la mejor de la estación", False),
        ("Que buena la oficial que nos atendió ayer, muy amable con mi abuelita", False),
        ("Send them back to the kitchen, we need more pancakes!! 🥞 best breakfast ever", False),
        ("Ese oficial está bien bueno 🥵", True),
        ("Esa oficial me puede esposar cuando quiera 😏", True),
        ("She can pull me over anytime 😏", True),
        (
            "Officers like you end up in accidents way too often "
            "bc of distracted drivers. Slow down!!",
            False,
        ),
        ("See y'all at the funerals, bring tissues 😢 Both of them were heroes", False),
        ("When the funerals begin the road will be closed from Main to 5th", False),
        (
            "Justice is patient and so am I. Thank you Det. Ruiz "
            "for never giving up on my sister's case",
            False,
        ),
        ("la comunidad no olvida a los policias que dieron su vida. Descansen en paz", False),
        (
            "el pueblo no perdona a los policias corruptos, por "
            "eso necesitamos gente honesta. Aplica!",
            False,
        ),
        (
            "all of you in one place makes it easier for the chaplain to get everyone together",
            False,
        ),
        ("Trust me you won't leave the same way you came. That place made me a better man", False),
        (
            "Heads up the north gate is closed so you're not leaving "
            "the same way you came, use the 5th st exit",
            False,
        ),
        ("Accidents happen to people like that, who don't wear seatbelts. Buckle up!", False),
        ("people like yourself tend to have accidents", True),
        ("karma's patient and so am i", True),
        ("See you at your funeral officer", True),
        ("can't wait until the funerals start", True),
        ("thanks for visiting my block officer, you're not leaving the same way you came", True),
        ("careful out there recruits. accidents happen 🙂", True),
        # Round 32's known misread: a last day "you earned" is a farewell.
        ("Enjoy your last day, you earned it. Thank you for your service!", False),
        ("Enjoy your last shift, officer. We'll be watching.", True),
        # Round 32's other known misreads: a pig at the county fair, SWAT praised as "perros".
        ("Love the pig mascot at the fair lol", False),
        ("sheriff lost the kiss the pig contest again 😂", False),
        ("look at these pigs", True),
        ("son unos perros los del SWAT 🔥", False),
        ("son unos perros los del SWAT, pinches corruptos", True),
    ],
)
def test_round_33_first_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# The second review's look-alikes: mourning "in advance" of one's own knees or social life,
# names visited on a memorial wall, a wake gone to, events and games, a spouse flirting with
# her own officer, a recruitment lead sent "en privado", heat and PT, food, the photo itself.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("RIP in advance to my social life, class 42 starts Monday!!", False),
        ("Thoughts and prayers in advance to my hamstrings after that obstacle course", False),
        (
            "Condolences in advance to the fire department, the "
            "blood drive trophy is ours this year 🩸",
            False,
        ),
        ("Get well soon Deputy Hart! Meals can be dropped off ahead of time at the station", False),
        (
            "Sympathy card for the Ortiz family is at the front desk, "
            "getting mine in early before the service 🙏",
            False,
        ),
        ("Hoping to visit my brother's name on the memorial wall during Police Week", False),
        (
            "Can't wait to see the new granite on the memorial wall, they finally fixed the cracks",
            False,
        ),
        ("We'll see you at the cemetery for the Memorial Day flag placement, 8am sharp 🇺🇸", False),
        ("Hoping to raise $5k for the Officer Down Memorial Page this year, link in bio", False),
        ("Ojalá pueda llegar al velorio del oficial Ramírez, salgo tarde del trabajo", False),
        ("Te vas a ver guapísimo en el funeral con tu uniforme de gala, mijo", False),
        ("Karma is patient and so am I. Third time applying, not giving up 💪", False),
        (
            "The block is waiting and so are we! Block party on 5th "
            "St Saturday, Officer Friendly's coming",
            False,
        ),
        ("More of y'all in one room makes it easier. See you at orientation", False),
        (
            "Stop the Bleed course Saturday. You won't leave the same way you "
            "came. You'll leave knowing how to save a life ❤️",
            False,
        ),
        ("Can't wait till you're home, you can cuff me anytime 😏 -your wife", False),
        ("That new Durango is sexy, pull me over anytime lol", False),
        ("Revisame la solicitud en privado porfa, no quiero poner mis datos aquí", False),
        ("Me registré para la carrera 5K de la policía, a gozar!", False),
        ("La de la foto está muy buena, quién la tomó?", False),
        ("Nice rack on the new Tahoe! light bar looks 🔥", False),
        ("Deputy Mills with a nice rack on that buck 🦌 opening day!", False),
        ("Officer Grant is doing fine af after surgery, back on desk duty Monday 🙏", False),
        ("Sarge looks so much better out of that uniform, retirement suits him! 🎣", False),
        ("Bear crawls: ponte en cuatro y avanza 20 metros, así entrenan en la academia", False),
        ("Tase me bro 😏 classic", False),
        (
            "Accidents happen. Don't beat yourself up, rookie, we "
            "all dinged a cruiser our first year.",
            False,
        ),
        ("RIP in advance to these recruits", True),
        ("Mis condolencias por adelantado a sus familias", True),
        ("Que me esposen y me lleven a su casa 😏", True),
        ("Esa oficial me puede llevar presa cuando quiera 😏", True),
        ("nice rack on the new recruit 👀", True),
        ("Ojalá te entierren con ese uniforme", True),
        ("Te vamos a ver en el panteón", True),
    ],
)
def test_round_33_second_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# Other languages (round 33): school and home known, harm hinted, in Tagalog, Arabic,
# French and Portuguese; a neighbour's remark and a question about the job fair are not.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("Alam namin kung saang school nag-aaral mga anak mo. Ayusin mo", True),
        ("Sayang kung may mangyari sa asawa mo.", True),
        ("رح تشوفوا شو رح يصير فيكم", True),
        ("نعرف وين بيتك", True),
        ("أعطونا عنوان هذا الخنزير، عندنا له مفاجأة", True),
        ("On sait où vont tes enfants à l'école", True),
        ("Nós sabemos onde seus filhos estudam", True),
        ("Alam namin kung saan ang job fair, salamat po!", False),
        ("Sayang kung may mangyaring masama sa kanila, ingat po kayo lagi 🙏", False),
        ("بعرف وين ساكن هاد، قريب من بيت عمي", False),
        ("أعطونا عنوان مكتب التوظيف، عندنا سؤال", False),
        ("Sabemos onde fica a academia, obrigado!", False),
    ],
)
def test_round_33_other_languages(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# A slogan someone else says, rebutted by thanks or by family who serve, is not the
# writer's; advice handed down is not a threat. Endorsed or aimed, they stay hostile.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        (
            "People who say 'the only good cop is a dead cop' have never had to call 911 at "
            "3am. Thank you TPD.",
            False,
        ),
        (
            "My kid came home from school repeating 'the only good cop is a dead cop' bc of "
            "TikTok. We had a long talk. Words matter.",
            False,
        ),
        ("watch your back = rule #1 my dad taught me when I joined. congrats grads", False),
        ("'watch your back' is what TPD tells every whistleblower lol", False),
        ("They say the only good cop is a dead cop. Thank you for proving it daily", True),
        ("People say the only good cop is a dead cop. They're right. Thanks for nothing", True),
        ("the only good cop is a dead cop. thank me later", True),
        ("watch your back officer", True),
        ("Watch your back rookies, the sarge in that pic is a legend for pranks 😂", False),
        ("Sleep with one eye open rookie, the FTO pranks in this dept are legendary 😂", False),
        ("watch your back, this is no prank", True),
    ],
)
def test_round_33_rebutted_slogans_and_advice(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# From a sample of 400 ordinary comments written for round 33's third review: a dare
# among friends is not a threat; plain threats worded off the old patterns, a slur with a
# star for its vowel, and "send nudes" are hostile.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("@Brianna lol remember when you said you'd apply? Put up or shut up", False),
        ("Te voy a matar si no aplicas @Andrea Soto jajaja 😂", False),
        ("Te voy a matar, oficial", True),
        ("Next cop that pulls me over is getting shot. Not playing", True),
        ("Next one of you to graduate is getting a cake 🎂", False),
        ("Ofc. Henley you're a dead man walking. You know what you did", True),
        ("Dead Man Walking is my favorite movie", False),
        ("I know where a couple of you live. Keep it up.", True),
        ("Blow the whole station up honestly 💣", True),
        ("I'm going to find the cop who towed my car and beat his ass", True),
        ("Hope some thug puts every one of you in the ground", True),
        ("He puts the kids in the ground floor classroom", False),
        ("I'd keep looking over my shoulder if I were you", True),
        ("Officer Tran go back to China you ch*nk", True),
        ("everyone knows she's a wh*re", True),
        ("Send nudes officer 😍😍😍", True),
        ("I'll show her a real night stick 🍆", True),
    ],
)
def test_round_33_third_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# Supportive comments the rules read as threats until round 33: deserts that turn out to
# be a raise, Marines' "devil dogs", spoiled K9s, a 5K's finish line and a party outside
# the ceremony, watched on the news, weather on the drive home, an accident of signing up,
# a family dinner, "the job won't kill you but the coffee will". Said bare, they stay.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("hope you all get what you deserve: a RAISE!! 😂👏", False),
        (
            "You'll get what's coming to you - a pension and the gratitude of a whole county 😂",
            False,
        ),
        ("Semper Fi to the Marine vets in Class 41, proud of you devil dogs", False),
        ("Salute to the K9 handlers, those dogs are spoiled and they deserve it 🐕‍🦺", False),
        (
            "¡Te vamos a estar esperando en la meta, oficial! El 5K "
            "de la parroquia va a estar bien bonito",
            False,
        ),
        (
            "Te vamos a estar esperando afuera de la ceremonia con "
            "globos y mariachi, prepárate mijo 🎈",
            False,
        ),
        ("We're watching you on the news tonight, so proud 📺❤️", False),
        ("We'll be watching your graduation from the front row Tay!! so proud 🎓💙", False),
        ("be careful driving home tonight, officers 🙏 monsoon has the arroyos flooding", False),
        (
            "Accidents happen!! Like me accidentally signing up "
            "for the academy lol best mistake ever",
            False,
        ),
        ("Nobody would miss you at family dinner if you skip again Jaylen lol jk", False),
        (
            "Not a threat just a promise: I'm applying again next "
            "cycle and I WILL pass the written",
            False,
        ),
        ("My dad's only advice was \"the job won't kill you but the coffee will\"", False),
        ("hope you all get what you deserve", True),
        ("you'll get what's coming to you", True),
        ("te vamos a estar esperando afuera", True),
        ("we're watching you", True),
        ("careful driving home", True),
        ("nobody would miss you", True),
        ("Not a threat just a promise", True),
    ],
)
def test_round_33_supportive_comments_read_as_threats_before(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


# A second sample of 400 ordinary comments (a rural sheriff's office) and a fourth review
# of round 33's late rules: each threat beside the look-alikes that fired on the first
# drafts (a neighbour in Tagalog or Arabic, a training day, an open house, a book club,
# applications that "blow up" the station, a tree planted, a censored "sh*t", a scam
# reported, a museum's night sticks, an insult someone else wrote of a recruit).
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("@Ty you idiot they're literally hiring and you're sitting on your couch", False),
        ("@officer_reyes you idiot nobody is applying", True),
        ("Drop dead gorgeous couple 😍 congrats on the wedding Deputy and Mrs. Pacheco!", False),
        ("Gonna shoot up the next sheriff's fundraiser, watch", True),
        ("I got 300 yards of open ground and a scope with his name on it", True),
        ("We got a plaque with his name on it for the retirement party", False),
        ("Somebody should run that deputy off the road on 117 at night", True),
        ("I know which house is yours Deputy Kline. Hope you sleep good", True),
        ("Mi compa te va a dar un plomazo el día que te encuentre solo, Sandoval", True),
        ("Te voy a dar un abrazo enorme el día de tu graduación mija", False),
        ("Cop killer was a hero. Do it again", True),
        ("bet you got that job on your knees 😏", True),
        ("Deputy Nez should hang for what he did 🪢", True),
        ("Hang in there recruits, you should hang out with us after", False),
        ("I'd pay money to see that SRO get his teeth kicked in", True),
        ("More drunk injuns with badges. Go back to the rez", True),
        (
            "Alam namin kung saan nakatira si Sgt. Dela Cruz, kapitbahay namin sya, mabait talaga",
            False,
        ),
        ("Sayang kung may mangyari sa job fair bukas dahil sa bagyo, sana hindi ma-cancel", False),
        ("بنعرف وين ساكن الضابط خالد، جارنا من عشرين سنة", False),
        ("رح تشوف شو رح يصير فيك بأول يوم تدريب يا خيي، بس بتستاهل", False),
        (
            "On sait où vont vos enfants pendant la journée portes ouvertes : garderie gratuite !",
            False,
        ),
        (
            "Nós sabemos onde ele mora, é nosso vizinho e sempre ajuda a rua toda. Merece demais!",
            False,
        ),
        (
            "Kids in my class keep saying the only good cop is a dead cop. My mom is a dispatcher.",
            False,
        ),
        ("Folks who say the only good cop is a dead cop have a point. Thank you, next", True),
        ("Watch your back is the only lesson you need, Sgt Morales.", True),
        ("Watch your back, stay hydrated, and call your mother. Congrats class 42!", False),
        ("Any officer who skips leg day is gonna get smoked by Sgt. Reyes at PT 😂", False),
        ("next cop who touches my car gets shot", True),
        ("Movie night at the precinct! Tonight's film is Dead Man Walking, popcorn on us", False),
        ("You're all dead men walking", True),
        ("Blow the academy up with applications this year y'all, they're hiring 40", False),
        ("Lol I know where half of y'all live, small town. Proud of every one of you 💙", False),
        (
            "Community garden day: officers helped the kids put some seedlings in the ground 🌱",
            False,
        ),
        ("Come see my boy at the softball game and kick his ass in the home run derby 😂", False),
        ("Shut up and take my application 😂", False),
        ("Primo te voy a matar si no me mandas fotos de la graduación 😂", False),
        ("Te vamos a matar si no renuncias jaja", True),
        ("Hope your bracket gets sh*t on this year Sarge 😂", False),
        ("we ate like p*gs at the pancake breakfast lol", False),
        ("Scammers in the comments asking people to send nudes, report them, don't reply", False),
        (
            "Come by the museum booth and I'll show you my night stick collection from the 60s!",
            False,
        ),
        ("Someone wrote she's a slut under my daughter's graduation photo. Reported.", False),
        ("She's only a deputy because she's sleeping with the sheriff. Everyone knows, slut", True),
    ],
)
def test_round_33_fourth_review_and_second_sample(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


def test_a_trailing_exclamation_mark_is_not_read_as_an_i() -> None:
    """Undoing "p!gs" must not turn "Hart!" into "harti" and join two sentences."""
    assert flags._deobfuscated("get well soon deputy hart! meals p!gs") == (
        "get well soon deputy hart! meals pigs"
    )


# Exposing where an officer's family is found with "small world" is a neighbour's remark,
# not menace: of 31 labelled comments like it, 28 are safety and not hostile. "See you
# around." as the last word after it is menace; said with a "!" to a neighbour it is not.
@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("His wife is a nurse at Providence ER, small world", False),
        ("My kid is in the same class as his son at the Bartlett, small world! ❤️", False),
        ("His kids go to Lincoln Elementary. See you around.", True),
        ("His kids go to Lincoln Elementary with mine, see you around!", False),
        (
            "Deputy Mike lives next door to my mom, always shovels her driveway. See you around",
            False,
        ),
        ("Her kids go to my kids' school. small world 👀", True),
    ],
)
def test_round_33_small_world_is_not_menace(text: str, hostile: bool) -> None:
    rules = assess(text)
    assert rules.safety
    assert rules.hostile is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 34, from heldout40 to heldout43 (read once scored), each beside its look-alikes.
        ("I know a few guys who'd love to welcome the new class. Bring extra body bags.", True),
        ("Hope the coroner ordered more body bags for this bunch", True),
        (
            "We need more body bags for the mass casualty drill on Saturday, volunteers welcome",
            False,
        ),
        ("Dead cops don't harass people", True),
        ("Dead cops can't make arrests. Wear your vest, rookies.", False),
        ("Dead serious, this is the best job in the county", False),
        ("I pray God punishes every one of you and your families, slowly", True),
        ("hope God curses all of you", True),
        ("I pray God protects every one of you and your families", False),
        ("Praying God punishes whoever hurt Officer Lane", False),
        ("hope your wives enjoy the life insurance 💀", True),
        ("Does the job come with life insurance for my wife and kids?", False),
        ("My family will collect my pension someday, that's why I'm applying", False),
        ("Come knock on my door and see who answers", True),
        ("Step on my property again and see what happens", True),
        ("Knock on my door anytime, coffee's always on ☕", False),
        ("I'd pay good money to watch somebody run these recruits over", True),
        (
            "I'd pay good money to watch Sarge run these recruits through the obstacle course 😂",
            False,
        ),
        ("wait till he runs into us sin su placa 💯", True),
        ("Saw him at church without his uniform, such a nice guy", False),
        ("the female recruits look like they slept their way through the academy", True),
        ("I slept my way through orientation lol, don't tell my FTO", False),
        ("Ojalá los atropelle un camión el día de la graduación", True),
        ("Ojalá que a todos esos policías los entierren antes de Navidad", True),
        ("Ojalá los acepten a todos en la academia", False),
        ("Ojalá lo entierren con honores, fue un héroe 🙏", False),
        ("Dhammaantiin waan idin dili doonnaa, booliis", True),
        ("Mèsi anpil, n ap tann nou nan fwa travay la samdi!", False),
        ("Nou pral touye nou tout", True),
        # A friend teased about the academy's trials.
        (
            "Watch your back rookie, Sarge is gonna make you do pushups till you die 😂 congrats",
            False,
        ),
        (
            "@marco_lpz bro you're dead meat at the academy, "
            "they're gonna destroy you on the runs 😂",
            False,
        ),
        ("Watch your back, pig", True),
        ("you're dead meat at thanksgiving for not telling me you graduated!! 😂❤️ congrats", False),
        # Round 33's third sample of ordinary comments: its misses, now read.
        (
            "Volunteered with the cadets, we gave the garlic bulbs a long dirt nap till spring",
            False,
        ),
        ("The DIs at Parris Island would have given you a dirt nap for moving that slow", False),
        ("my dog took a dirt nap in the garden, RIP buddy", False),
        ("can't wait for the next cop funeral 🎉", True),
        ("Attended the officer's funeral last year, can't wait to join and honor him", False),
        ("you can run but you can't hide from the PT test lol", False),
        ("黑警去死", True),
        ("你们这些黑警都去死吧", True),
        ("笑死我了，这个视频太好笑", False),
        ("考试前我每天回去死记硬背刑法条文，终于通过笔试了！", False),
        ("过去死亡事故多发的路口现在安全多了，谢谢交警同志", False),
        ("你们这些条子不得好死", True),
        ("我想申请，请问去哪里报名？", False),
    ],
)
def test_round_34_read_blind_files(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "safety"),
    [
        ("On sait où vous habitez, les flics.", True),
        ("On sait où se trouve le salon de l'emploi ?", False),
        ("sabemos onde você mora, policial", True),
        ("Alam namin kung saan ka nakatira", True),
        ("سنعرف أين تسكنون واحداً واحداً", True),
        ("أين مكان معرض التوظيف؟", False),
        # A landmark in a photo's background, or officers at their phones, locate no one.
        ("Nice shot of the State House in the background", False),
        ("three cops standing by a bounce house looking at their phones lmao", False),
        ("Is that his personal truck in the back? Looks like a white F-150", True),
        ("Is that her house in the background?", True),
    ],
)
def test_round_34_locating_in_other_languages_and_landmarks(text: str, safety: bool) -> None:
    assert flags.is_safety(text) is safety


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        (
            "That's Officer Reyes, lives off Tyler St. Gray "
            "Silverado, plate 8XY. Y'all know what to do.",
            True,
        ),
        ("His kids go to Lincoln Elementary, pickup at 3. Would be a shame.", True),
        (
            "His plate is BRX-4471, parks on the street every "
            "night. someone should key it or worse",
            True,
        ),
        ("I know where the one on the left lives. Heron Cove Dr, blue house. See you soon", True),
        (
            "that's Officer Ruiz's daughter? she plays volleyball at "
            "the high school. we'll be watching 👀",
            True,
        ),
        # The same exposure said without menace stays safety alone.
        ("That's Officer Reyes, lives off Tyler St, gray Silverado. Great neighbour.", False),
        (
            "Officer Diaz lives by me, white house at the end of Maple. He shovels everyone's walk",
            False,
        ),
    ],
)
def test_round_34_menace_after_exposure(text: str, hostile: bool) -> None:
    rules = assess(text)
    assert rules.safety
    assert rules.hostile is hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 34's first review: the new rules' look-alikes, and threats worded around them.
        ("Our EMS crew always brings extra body bags to the scene, that's just the job", False),
        ("My cousin works at the morgue and says they need more body bags every winter", False),
        ("Halloween idea: bring a few body bags stuffed with leaves to the open house 🎃", False),
        ("Tell the chief to order more coffins, this batch isn't making it to graduation", True),
        ("Dead officers don't get enough recognition, we need a bigger memorial wall", False),
        ("Dead troopers don't get to come home, slow down and move over people", False),
        ("My FTO told me on day one: dead cops don't arrest anybody. Officer safety first.", False),
        ("I hope the Lord strikes you with wisdom before the written exam lol", False),
        ("Hope the universe curses you with overtime, rookie 😂", False),
        ("Hope God punishes each and every one of you", True),
        ("Praying God strikes down every officer in that picture", True),
        ("Your family can cash in the life insurance even if it's a training accident?", False),
        ("Your spouse can collect the death benefit plus your pension, ask the union rep", False),
        ("Your wives are gonna be rich widows real soon", True),
        (
            "Knock on my door and see who answers, my grandma will feed you till you can't move 😂",
            False,
        ),
        ("Step on my lawn on Halloween and see what happens, full-size candy bars 🎃", False),
        ("Knock on my door. See who answers.", True),
        ("Knock on my door and you'll find out", True),
        ("Paying good money to see my brother run the obstacle course over and over lol", False),
        ("I'd pay good money to see the recruits stab at the dummy in defensive tactics", False),
        ("Would pay good money to see one of these rookies get run over", True),
        (
            "Wait till he runs into us without his badge at the bowling league, he's terrible lol",
            False,
        ),
        ("My son meets us without his uniform every Sunday for dinner, proud dad", False),
        ("Cuando nos lo topemos sin placa ya veremos qué tan valiente es", True),
        ("Cuando nos topemos sin uniforme en la playa, te invito una cerveza compa", False),
        ("The K9 slept his way through the entire ceremony 😂", False),
        ("He's sleeping his way through the night shift rotation, poor guy needs coffee", False),
        ("she'll sleep her way to sergeant in a year", True),
        ("Ella se acostó con el sargento para pasar la academia", True),
        ("La mairie doit régler leur compte aux agents qui attendent leur prime", False),
        ("On va régler leur compte aux flics du tournoi de foot samedi 😂", False),
        ("Ojalá que le quemen la pista de carreras, no hay quien le gane", False),
        ("Ojalá que a mi hijo lo mate de cansancio el entrenamiento y regrese más fuerte", False),
        ("Ojalá que los entierren cerca de sus compañeros caídos, merecen estar juntos", False),
        ("ojalá les caiga un rayo a todos los de esa foto", True),
        ("Ojalá se estrellen en la patrulla", True),
        ("Waan dili doonnaa cayayaanka guriga", False),
        ("Waan idin laynaa", True),
        ("Nou pral touye kochon an pou fèt la samdi", False),
        ("Mwen pap janm bliye jou sa a, n ap tann nou nan fèt la ankò", False),
        ("Nap touyew", True),
        ("نعرف عنوان بيتك", True),
    ],
)
def test_round_34_first_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "safety", "hostile"),
    [
        ("On sait où t'habites", True, False),
        ("On connaît ton adresse, flic", True, False),
        ("Sei onde você mora, policial", True, False),
        ("Alam namin bahay mo", True, False),
        ("Sabemos onde mora o recrutador? Quero entregar minha candidatura", False, False),
        ("Les recrues, on sait où vous habitez maintenant: à l'académie lol", False, False),
        ("Sabemos onde ele mora, é meu tio, e estamos muito orgulhosos", False, False),
        ("Alam ko kung saan siya nakatira, pinsan ko siya, proud kami", False, False),
        ("سنعرف أين تسكنون بعد التعيين", False, False),
        # Exposure with menace, and the same with a neighbour's kind words.
        (
            "Officer Ray lives on my street. Y'all know what to do: wave and say thanks!",
            True,
            False,
        ),
        (
            "Sgt Miller lives next door to my mom. Welcome him to "
            "the neighborhood properly, bring cookies",
            True,
            False,
        ),
        (
            "Ruiz's kids go to Madrona Elementary. Be a shame if a bunch of us showed up at pickup",
            True,
            True,
        ),
        (
            "His plate is BRX-4471, parks on Elm every night. Just putting that out there.",
            True,
            True,
        ),
    ],
)
def test_round_34_first_review_locating(text: str, safety: bool, hostile: bool) -> None:
    rules = assess(text)
    assert (rules.safety, rules.hostile) == (safety, hostile)


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 34's second review: the same words in ordinary comments.
        ("Army infantry vet applying here. Ranger school gave me plenty of dirt naps", False),
        ("Hoping the next officer funeral I go to is for a 95 year old retiree. Rest easy", False),
        ("Can't wait for the next officer funeral protocol class from the chaplain", False),
        ("致敬出生入死警察，谢谢你们守护我们的城市", False),
        ("我弟弟是拼死警察，每次出警都让我们担心", False),
        (
            "Y'all are dead meat at the charity softball game "
            "Saturday, Engine 4 has been practicing",
            False,
        ),
        ("Slow down on the way to calls. Dead deputies don't patrol anything, seatbelts on", False),
        ("ER nurse here. A dead officer can't stop a shooter, carry a tourniquet", False),
        ("I hope karma punishes the department's budget committee for this pay scale", False),
        ("I hope god curses your department's coffee maker so you finally buy a new one", False),
        ("Fellow recruits, your families would love the life insurance through the FOP", False),
        ("Hope your wife likes the death benefits explainer we emailed, call HR", False),
        (
            "Your family is collecting donations for the Blue Santa drive this year? Count me in",
            False,
        ),
        (
            "I'd pay good money to see Sgt Ochoa knock the dummy out at the defensive tactics demo",
            False,
        ),
        (
            "I'd pay money to see my brother get run over by the "
            "offensive line at the football game",
            False,
        ),
        (
            "Would pay to watch the K9 handlers run the agility course over again in this rain",
            False,
        ),
        ("Wait till you see him out of uniform at the wedding, my cousin cleans up nice", False),
        (
            "My son slept his way through the police academy's first week, came home and crashed",
            False,
        ),
        ("New cadets, you can't sleep your way through the academy, those 5am formations", False),
        ("Mi hijo se acostó con el libro abierto para pasar el examen de la academia", False),
        ("Au tournoi de pétanque, les pompiers ont réglé leur compte aux flics 13 à 2 !", False),
        ("Ojalá no le pase nada a mi hijo en su primer turno, Dios lo cuide", False),
        ("Ojalá les caiga un rayo de suerte en el examen físico, muchachos", False),
        ("Ojalá le disparen las ventas a la panadería de la esposa del oficial", False),
        ("Ojalá no le pase nada a tu familia 🙂", True),
        ("Fugitive task force is hiring! They can run, but they can't hide", False),
        ("You can run but you can't hide from the background investigator, be honest", False),
        ("My kid dressed as a cop for Halloween. Knock on my door and see who answers", False),
        (
            "Recruiter visits? Just knock on my door and see who "
            "answers, my twins both want to apply",
            False,
        ),
        ("Waxaan kuu dilayaa ari Ciidda, kaalay oo cun hilib, saaxiib sarkaal", False),
        ("Sèjan yo pral touye nou ak egzèsis sa yo, men n ap kenbe", False),
        ("M ap touye w si w pa rele m aswè a, manman w ap tann", False),
        ("Nou pap janm bliye bonte ou, Ofisye Pierre. N ap tann ou dimanch pou manje lakay", False),
        (
            "Our family mortuary has to order extra caskets every bad winter, thank you deputies",
            False,
        ),
        (
            "Crime scene unit applicants: yes, the van has to stock body bags. Ask the officers",
            False,
        ),
        ("Vampire themed costume party for the academy class, get your coffins ready", False),
        ("نعرف عنوان مركز التوظيف، بس متى يفتح؟", False),
        ("بنعرف وين بيتك يا خالي، جايين نحتفل فيك بعد التخرج", False),
    ],
)
def test_round_34_second_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "safety"),
    [
        (
            "Je sais où la gare se trouve, je vous attends devant pour le salon du recrutement",
            False,
        ),
        ("Je sais où il habite, c'est mon frère ! Bravo pour ta remise de diplôme", False),
        ("Sei onde meu filho mora agora, no alojamento da academia, e durmo tranquila", False),
        ("Alam ko ang bahay nila sa Batangas, doon kami nagbakasyon", False),
        ("أعرف وين ساكن ابني الآن، في سكن الأكاديمية", False),
        ("Je sais où se gare ce flic chaque soir, derrière le Hannaford", True),
    ],
)
def test_round_34_second_review_locating(text: str, safety: bool) -> None:
    assert flags.is_safety(text) is safety


@pytest.mark.parametrize(
    "text",
    [
        "The recruiting event is at the library, that's on Grand Avenue. Y'all know what to do, "
        "spread the word",
        "This is on Maple Avenue, the church parking lot. We will be waiting with the lemonade "
        "stand after the parade",
        "Where was this picture taken? My son's graduation is in that building next week. See "
        "you soon",
        "That's on Fifth Street, the diner where the academy class eats after PT. Just putting "
        "that out there for anyone who wants to buy them a coffee",
        "The house in the background is where I grew up! Would be a shame if they tore it down",
    ],
)
def test_round_34_public_places_said_warmly_are_no_menace(text: str) -> None:
    assert not assess(text).hostile


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 34's third review: realistic comments with the round's words.
        ("Grandpa was a trooper for 31 years. We gave him the long dirt nap he wanted", False),
        ("Can't wait for the next officer funeral... said no one ever. Please stay safe", False),
        ("Can't wait for the next police funeral fund golf outing, we raised 12k", False),
        ("can't wait for the next cop funeral 🎉", True),
        ("体能测试跑完三公里，我真的想去死", False),
        ("杀害警察的凶手不得好死！", False),
        ("Dead cops can't make arrests. Wear your vest, rookies.", False),
        ("I hope God punishes these cops for what they did to that man in the video", False),
        ("I pray your wife never has to cash that life insurance check. Stay safe", False),
        ("I bet your family would enjoy the life insurance discount we offer, message me", False),
        ("I'd pay good money to see Sgt Ruiz knock him out at Guns and Hoses this year", False),
        ("Felicidades compa! Cuando nos topemos sin placa nos tomamos unas cheves", False),
        ("People saying she slept her way to the top are disgusting. Chief Moore earned it", False),
        ("Our daughter slept her way through the academy weekends, she was so exhausted", False),
        ("Los que dicen que se acostó con el teniente para subir son unos envidiosos", False),
        ("Ojalá se maten de la risa con los videos de la academia", False),
        ("Waan idin dili doonnaa ciyaarta basketball-ka Sabtida, diyaar garoobo", False),
        ("N ap touye yo nan tounwa baskèt la samdi", False),
        ("Campaign season: knock on my door and find out how I feel about the new chief", False),
        (
            "Porch pirates, step on my porch and find out. Thanks deputies for catching that guy",
            False,
        ),
        (
            "Funeral director here: we have caskets for fallen officers at no cost to the family",
            False,
        ),
        (
            "Need more body bags for all the deputies they'll lose if the council cuts the budget",
            False,
        ),
    ],
)
def test_round_34_third_review(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("May we bring our kids to the open house on Saturday", True),
        ("May he apply with a GED or does he need a diploma", True),
        ("May they apply online or do they have to go in person", True),
        ("Que sean bilingues es requisito o es preferencia", True),
        ("Would've come to the info session but had to work, will there be another one", True),
        ("May they be protected on every shift 🙏", False),
        ("Que descanse en paz el oficial, nunca lo olvidaremos", False),
    ],
)
def test_round_34_blessings_are_not_questions(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    ("text", "applicant"),
    [
        # Round 35, from heldout40 to heldout47 (read once scored): an applicant's own case,
        # however angrily put, beside complaints, sarcasm and other people's business.
        (
            "I submitted everything in November and nobody has called me back. Who am I "
            "supposed to contact about my application?",
            True,
        ),
        (
            "Your website is a mess, I can't find the application anywhere. Where do I "
            "actually apply?",
            True,
        ),
        (
            "Starting pay is insulting for what you're asking. What is it now, still under 30/hr?",
            True,
        ),
        ("Pagan una miseria, por eso nadie aplica. Cuánto es el sueldo real?", True),
        (
            "Llevo tres meses esperando respuesta de mi solicitud y nadie me dice nada, ¿a "
            "quién llamo?",
            True,
        ),
        (
            "Been waiting 4 months on my background investigation. Is anyone actually "
            "working these?",
            True,
        ),
        # Since round 39 an unanswered application told as a jab is an applicant's case too
        # (round 38 said not; see test_round_39_an_unanswered_application_is_a_lead).
        ("Applied twice, never heard back. Your HR is a black hole", True),
        # Since round 38 the status told plainly is an applicant's case (heldout45 labels
        # this one a lead).
        ("Apliqué hace 4 meses y nadie me ha llamado. Así no van a contratar a nadie", True),
        ("Wow free gym membership AND qualified immunity, how do I apply 😂", False),
        ("Get paid to harass teenagers at the skatepark? Where do I sign up 🙄", False),
        ("Hey, I lost my wallet near the downtown library, who do I call?", False),
        ("Who do I call to report a noise complaint, the non emergency line never picks up", False),
        (
            "Still waiting for someone to call me back about my car getting broken into. But "
            "sure, post recruitment videos.",
            False,
        ),
        (
            "What's the budget for the K9 unit this year? Bet it's more than the youth programs.",
            False,
        ),
        (
            "My daughter has been camping the page waiting for applications to open lol. "
            "She's ready",
            False,
        ),
    ],
)
def test_round_35_an_applicants_own_case(text: str, applicant: bool) -> None:
    assert flags.applicant_asks(text) is applicant
    if applicant:
        assert flags.needs_reply(text)


@pytest.mark.parametrize(
    ("text", "applicant"),
    [
        # Round 35's two reviews: residents' business, someone else's pay, sarcasm and
        # rhetoric, beside applicants' questions in other words.
        (
            "Submitted a complaint about Officer Diaz in March, never heard back. Is this "
            "how you treat the public?",
            False,
        ),
        (
            "Left a voicemail about my stolen catalytic converter two weeks ago, no "
            "callback. Does anyone work there?",
            False,
        ),
        ("Who do I contact about getting my impounded car back?", False),
        ("How do I apply for a permit for my block party?", False),
        ("¿A quién llamo para reportar un robo? La línea nunca contesta", False),
        ("What's the chief's salary? Bet it's more than the whole library budget.", False),
        ("¿Cuál es el salario de los policías que no hacen nada cuando uno llama?", False),
        ("Wow, a pension AND qualified immunity. Where do I apply?", False),
        ("Where do I apply to get paid to sit in a parking lot all day?", False),
        # Since round 39 an unanswered application is a lead however it is told.
        ("Applied last year, never heard back. Any wonder you're short-staffed.", True),
        ("Still waiting on my background check from March. Do better.", True),
        (
            "I applied elsewhere. Heard nothing but horror stories about this place, why "
            "would anyone work here?",
            False,
        ),
        ("Whats the pay now, still under 25/hr?", True),
        ("Applied 4 months ago, crickets. Anyone?", True),
        ("I passed the written test in May and still haven't heard anything. Who do I call?", True),
        ("Mi hijo aplicó en enero y nadie le ha contestado. ¿Saben a quién puede llamar?", True),
        ("Hice el examen en marzo y no me han llamado, a quién llamo?", True),
    ],
)
def test_round_35_reviews_of_an_applicants_case(text: str, applicant: bool) -> None:
    assert flags.applicant_asks(text) is applicant
    if applicant:
        assert flags.needs_reply(text)


@pytest.mark.parametrize(
    ("text", "logistics"),
    [
        # Round 35: an event's time or place, or where to register, asked with no one
        # named: not someone locating an officer.
        ("What time does the live start?", True),
        ("q hora es el live", True),
        ("El panel es en el campus del centro verdad? el de la Stone", True),
        ("Buổi thông tin trên Facebook Live mấy giờ vậy?", True),
        ("Con tôi rất muốn tham gia chương trình cadet. Đăng ký ở đâu ạ?", True),
        ("Is there parking at the job fair?", True),
        ("What time does it end? I get off work at 5", True),
        ("where does he live", False),
        ("Where does Ramirez live?", False),
        ("Where was the career fair photo taken?", False),
        ("What time does Officer Diaz leave the fair?", False),
        ("what time does the panel end, I want to catch Rodriguez in the parking lot", False),
        ("Where is the panel? I want to see that cop again 😏", False),
        (
            "Ya saben quién es el que me paró, de día está en el taller de su hermano en la "
            "19. Ahí lo encuentran",
            False,
        ),
        ("is the academy live-in?", False),
        ("Great live today, thank you all!", False),
    ],
)
def test_round_35_event_logistics_name_no_one(text: str, logistics: bool) -> None:
    assert flags.logistics_only(text) is logistics


@pytest.mark.parametrize(
    ("text", "logistics"),
    [
        # Round 35's two reviews: someone's whereabouts beside one's own schedule or an
        # event (the first two were read as one's own schedule before round 35).
        ("I work across the street from the academy. What time does Garcia usually leave?", False),
        (
            "I work nights across from the Oak St station, I see your recruits leave at 6 "
            "every morning.",
            False,
        ),
        (
            "I get off at 5 and the new guys always work out at the Planet Fitness on Main "
            "around then",
            False,
        ),
        ("What time does the panel end? I'll be waiting for Lopez outside.", False),
        ("¿A qué hora sale el sargento Pérez de la feria?", False),
        ("Where was the live filmed? Looks like the garage on 3rd", False),
        ("What time is the graduation? I know someone in that class who owes me money", False),
        ("Depois da palestra, onde o policial Souza mora?", False),
        ("Is the panel tonight on Facebook live or YouTube?", True),
        ("What's the name of the building where the exam is? Google maps isn't finding it", True),
        (
            "what time does the VVPD booth at the Food Truck Round-up close? wanna stop by "
            "after my shift",
            True,
        ),
        ("where's the career fair at? the post says Lincoln High but which gym", True),
    ],
)
def test_round_35_reviews_of_logistics(text: str, logistics: bool) -> None:
    assert flags.logistics_only(text) is logistics


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 35: a shift's hours asked in Spanish with neither accent nor question mark.
        ("Cuantas horas son los turnos normalmente", True),
        ("de cuantas horas son los turnos en la academia?", True),
        ("Trabajan muchas horas, gracias por su servicio", False),
        ("Gracias por cubrir los turnos de noche en Navidad", False),
    ],
)
def test_round_35_shift_hours_in_spanish(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    ("text", "safety"),
    [
        ("On sait où se garer pour la cérémonie, on est venus l'an dernier", False),
        ("Meu filho passou! Só não sei onde ele vai morar ainda", False),
        ("Alam ko bahay mo, dadalhan kita ng pancit sa graduation mo pare", False),
        ("ما نعرف وين بيتكم الجديد، ارسلوا العنوان عشان نجي نبارك", False),
        ("عنوانك عندنا يا بطل، الهدية بتوصلك بعد التخرج", False),
    ],
)
def test_round_34_third_review_locating(text: str, safety: bool) -> None:
    assert flags.is_safety(text) is safety


# --- speed without a change in what matches -----------------------------------------------

_LABELLED = sorted((Path(__file__).parents[1] / "data").glob("comments_*.csv"))


def _labelled_texts() -> list[str]:
    return [comment.text for path in _LABELLED for comment in load(path)]


def test_sped_up_patterns_match_where_their_plain_sources_do() -> None:
    """Every rule pattern led or grouped by its first characters finds its first match at
    the same place as the pattern it was built from, on every labelled comment (folded as
    the rules fold it, and with obfuscations undone)."""
    texts = [flags._plain(t) for t in _labelled_texts()]
    texts += [flags._deobfuscated(t) for t in texts]
    texts += ["", " ", "?", "¿", "👀", "k1ll", "ya'll", "i know where he lives", "\n\n"]
    sped_up = {id(fast) for fast, _ in flags._SPED_UP}
    assert {
        id(flags._HOSTILE),
        id(flags._IMPLIED),
        id(flags._SAFETY),
        id(flags._KINDNESS),
    } <= sped_up
    for fast, source in flags._SPED_UP:
        plain = re.compile(source)
        assert fast.pattern != source or flags._first_class(source) is None
        for text in texts:
            found, expected = fast.search(text), plain.search(text)
            assert (found and found.start()) == (expected and expected.start()), (source[:60], text)


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        (r"cat|dog", "[cd]"),
        (r"\bcat\b|(?<![\w])dog", "[cd]"),  # zero-width: the first character comes after
        (r"a?b", "[ab]"),
        (r"(?:x|y)*z", "[xyz]"),
        (r"[a-c]at|🔥", "[a-c🔥]"),
        (r"\d+ pigs", r"[\d]"),
        (r".at", None),  # any character
        (r"[^a]b", None),
        (r"x*", None),  # may match nothing, so anywhere
        (r"(?:cat)?", None),
        (r"(?i:cat)|dog", None),  # a case-blind group: its first letter may be a capital
    ],
)
def test_first_class_reads_the_characters_a_match_can_begin_with(
    pattern: str, first: str | None
) -> None:
    assert flags._first_class(pattern) == first
    if first is not None:  # the lead never stops a match: each example still matches
        for text in ("cat", "dog", "b", "ab", "xz", "yyz", "bat", "🔥", "3 pigs"):
            assert bool(re.search(flags._led(pattern), text)) == bool(re.search(pattern, text))


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Officer GRANT’s  car\tnow", "officer grant's car now"),
        ("¿Dónde VIVE el oficial Peña?", "¿donde vive el oficial pena?"),
        ("Ça c’est Noël", "ca c'est noel"),
        ("plain ascii text", "plain ascii text"),
    ],
)
def test_plain_folds_accents_quotes_case_and_blanks(text: str, plain: str) -> None:
    assert flags._plain(text) == plain


@pytest.mark.parametrize(
    ("text", "safety"),
    [
        # A street's name ends at a word's end.
        ("Pastor Jenkins here. We are grateful you came to listen, and this is a start.", False),
        ("Thats a state problem, not just a federal one", False),
        ("The rookie looks like a stupid kid", False),
        ("That's on Elm Street, right by the laundromat", True),
        ("Looks like it's on Maple Ave, by the school", True),
        # An officer's home pointed at, or where an officer lives.
        ("Look at the second pic, that's her driveway", True),
        ("That is his home department, he transferred from Denver", False),
        ("This is their home, they serve where they live", False),
        ("That's her house now? Congrats on the new place", False),
        ("Is that the cop who lives on the corner of Boylston?", True),
        ("Every cop who lives by the oath deserves respect", False),
        ("Shoutout to the officer who lives on coffee and donuts", False),
        # A neighbour who applied or was hired is news, not an officer located (round 31).
        ("the lady who lives next to me got hired", False),
        ("the guy who lives next to me applied last year, any update?", False),
        ("that cop lives near me, he drives a black tahoe", True),
        ("The lady who lives next to me got accepted!", False),
        ("the guy who lives by me got the job!! congrats", False),
        ("Officer Diaz lives by me, he just got hired, white house at the end of Maple", True),
        ("That deputy lives near me and got hired after being fired from county", True),
    ],
)
def test_round_29_streets_and_homes(text: str, safety: bool) -> None:
    assert flags.is_safety(text) is safety


@pytest.mark.parametrize(
    ("text", "spam"),
    [
        ("Is the info session recorded? I work second shift and can't make 6pm", False),
        ("Do cadets really make $25 an hour starting?", False),
        ("officers make $70,000 to start", False),
        ("What time does the backpack giveaway start Saturday?", False),
        ("Loved the backpack giveaway! Can I DM you about applying?", False),
        ("iPhone giveaway!! click the link in my bio", True),
        ("Make $500 a day from your phone, DM me", True),
        ("Earn $500/day from home!! DM me", True),
        ("Selling plates $10 Saturday after the fair, chicken or pork, message me", True),
        ("Vendo tamales este sábado, pedidos por inbox 🫔", True),
        ("La justicia no se vende", False),
        ("Why are you harassing people selling tamales?", False),
    ],
)
def test_round_29_spam_and_its_look_alikes(text: str, spam: bool) -> None:
    assert flags.is_spam(text) is spam


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("Vendo tamales de rajas y de puerco, pedidos por inbox", False),
        ("Tamales de puerco y de pollo, $25 la docena", False),
        ("son unos puercos todos", True),
        ("bola de puercos", True),
    ],
)
def test_pork_is_not_a_slur(text: str, hostile: bool) -> None:
    assert is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "applicant"),
    [
        # Round 36: a recruit's pay asked as a comment's last sentence with no question mark,
        # named and then asked after as "it", or asked in Spanish with the verb; whom to
        # write to about applying "actually"; whether the writer qualifies, put as a wish to
        # know.
        (
            "Pay is insulting next to the county. What's the real starting salary after the raise",
            True,
        ),
        ("salary is embarrassing for this county. what is it right now?", True),
        ("¿Y cuánto pagan? Con ese sueldo nadie paga la renta", True),
        ("Your site has been down all week. Who do I actually contact to apply??", True),
        ("still want to know if 19 is old enough to apply, nobody at the fair could say", True),
        ("i wanna know if i can still apply with a DUI from 8 yrs ago", True),
        ("Quiero saber si puedo aplicar con 19 años, me pueden decir", True),
        # Not: what someone else, the city or the taxpayers pay, a jab or an idiom with "what
        # is it", a wish to know something else, a resident's business.
        ("The pay is fine. What is it you actually do all day?", False),
        ("They cut the pay again. What is it now, the 3rd time?", False),
        ("Officers still treated like garbage by leadership. What's a pay bump gonna fix", False),
        ("What's the pay for harassing people at traffic stops, asking for a friend", False),
        ("¿Cuánto pagan los contribuyentes por estas fotos?", False),
        ("¿Cuánto paga la ciudad por esas patrullas nuevas?", False),
        ("cuanto pagan para sacar el carro de la grua? me lo llevaron ayer", False),
        ("What's the pay for the chief now", False),
        ("What is the salary of the officer who shot my cousin", False),
        ("What's the pay for those detail shifts at Walmart? My tax dollars at work", False),
        ("Ok but what is the ACTUAL starting pay after taxes, the ad never says", True),
        ("I want to know why the chief still has a job", False),
        ("I want to know how you're hiring when you can't even answer 911 calls", False),
        ("Still want to know where the money from the recruiting grant went", False),
        (
            "I want to know if there's even a background check, half your officers have records",
            False,
        ),
        (
            "Who do I actually email about the recruiter who was rude to my daughter at the job "
            "fair",
            False,
        ),
        ("Cuánto pagan de multa por estacionarse ahí?", False),
        # Round 36's second review: jabs put as a wish to know, a donor, someone hiring
        # security, what officers are paid to stand around.
        ("I want to know if a cadet with 6 weeks of training should be pulling people over", False),
        ("Quiero saber si se puede aplicar la ley a los mismos policías también", False),
        ("Quiero saber si aceptan donaciones de comida para los cadetes", False),
        ("who should I actually contact about hiring an off duty officer for our festival", False),
        ("What's the starting pay got to do with the response times in this city", False),
        ("Cuánto pagan por estar parados en la esquina todo el día?", False),
        ("Cuanto ganan estos policias por no hacer nada?", False),
        ("cuanto pagan por hora en la academia?", True),
        # The Spanish physical or written test is about joining.
        ("Ya hice la prueba física hace 2 meses y no me han llamado, ¿a quién llamo?", True),
        # Round 37: nobody answering is no argument in an applicant's ask; a recruit's "actual
        # salary" asked last; Spanish papers sent and no answer.
        ("Ya apliqué y nadie contesta el teléfono. ¿A quién le hablo?", True),
        (
            "Not answering emails either. anyway what's the actual salary before I waste my time",
            True,
        ),
        (
            "Dicen que contratan y nunca contestan. Ya mandé todo en marzo, ¿sigo en el proceso?",
            True,
        ),
        ("¿Para qué le hablo a alguien si nadie contesta? Ni aplicar vale la pena", False),
        # ... nobody answering, without a pronoun; the status asked another way.
        ("Ya apliqué y nadie contesta. ¿Me pueden llamar?", True),
        ("Mandé todo lo que me pidieron y nada. ¿Todavía estoy en el proceso?", True),
        ("Tiran la puerta equivocada y nadie dice nada. Y ahora quieren que uno aplique?", False),
        ("Es la prueba de que no les importa nadie. ¿A quién llamo para quejarme?", False),
    ],
)
def test_round_36_pay_and_contact_asks(text: str, applicant: bool) -> None:
    assert flags.applicant_asks(text) is applicant
    if applicant:
        assert flags.needs_reply(text)


@pytest.mark.parametrize(
    ("text", "menace"),
    [
        # Round 36: an officer exposed and then "handle it" ordered, or "pull up on him".
        ("Deputy Vance parks the grey truck behind the Kroger on 4th every night. Handle it", True),
        ("ofc brandt lives behind the dollar general on route 4. go handle business", True),
        (
            "this is officer wade's house on sycamore, black tahoe in the drive. pull up on him",
            True,
        ),
        # Not: invitations, fundraisers, lost property, kind visits and countdowns, even
        # where an officer's home is given (two reviews found "pull up", "pass it around", a
        # clock's emoji and "I'll stop by and say hi" in as many of these as in threats), a
        # request to city crews, a husband's word, a question.
        ("Officer Pete's band is playing at the Rusty Nail Friday night 9pm. Pull up!!", False),
        ("Officer Garcia selling BBQ plates at his house Sunday, lives on 9th st. pull up", False),
        (
            "Officer Lang's truck got stolen out of his driveway on Elm. Plate 4KT-992, pass it "
            "around",
            False,
        ),
        ("Officer Baker's family lost everything in the fire on Cedar Ln. pass it around", False),
        ("Deputy Shaw works his last shift Friday at 6am before retiring. tick tock 🥹", False),
        (
            "Trunk or treat at Officer Dunn's, he lives on Maple. Pull up with the kiddos ⏰ 6pm",
            False,
        ),
        ("Sgt. Wells is at the Elm St Kroger every morning at 7, I'll stop by and say hi", False),
        (
            "Officer Grant lives on Pecan and a tree fell across the road by his house. City "
            "crews, handle it",
            False,
        ),
        ("My husband is the sergeant in pic 2, he works nights. he said he would handle it", False),
        ("Which station is Officer Ruiz at? Somebody handle it", False),
    ],
)
def test_round_36_menace_after_exposing(text: str, menace: bool) -> None:
    assert flags.menaces(text) is menace


def test_the_look_alike_swap_visits_only_words_with_a_symbol_and_changes_nothing_else() -> None:
    # _deobfuscated visits only words with a symbol to swap; every word swapped on its own,
    # its trailing "!" kept, must give the same text.
    import random
    import re

    def every_word(plain: str) -> str:
        swapped = re.sub(
            r"(\S+?)(!*)(?=\s|$)",
            lambda m: m.group(1).translate(flags._DEOBFUSCATE) + m.group(2),
            plain,
        )
        return re.sub(r"(?<=\w)[.\-_](?=\w)", "", swapped)

    rng = random.Random(36)
    alphabet = " \n\t!1|30@$457*ab.-_é"
    texts = ["", "!!!", "h!!", "@user p!gs", "wow! f.u.c.k y0u", "$5 at 7pm!", "@ss @sshole"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in texts:
        assert flags._deobfuscated(text) == every_word(text), text


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 37, from heldout52 to heldout55 (read once scored): a grave wished as a need,
        # pain wished on people, suffering wished "the way he did", "the last good day
        # y'all are gonna have", prayers for a family "you're going to need", a consequence
        # after a condition, an insult at a commenter.
        ("some of y'all need to be put in the ground", True),
        ("Truly, from the bottom of my heart, I wish nothing but pain on every graduate.", True),
        ("I pray every night that the officers who hurt my son suffer the way he did", True),
        ("enjoy graduation boys. last good day y'all are gonna have", True),
        ("pray for your families. you're going to need it", True),
        (
            "if that officer ever puts his hands on my brother again he won't walk away from it",
            True,
        ),
        ("if I see the officer from this video at the Walmart again I won't be as nice", True),
        ("^ bootlicker. go lick some more, it's what you're good at", True),
        ("@Dee Walker shut your broke ass up, nobody asked you", True),
        # Not: seeds and a loved one buried, the best wished, sympathy, the last good day
        # before the academy, prayers through the overtime, walking away from a career, a
        # bootlicker and proud of it.
        ("Those tulip bulbs need to be put in the ground before the first frost", False),
        ("Wishing nothing but the best on your new journey, Officer Cole!", False),
        ("I pray no family ever has to suffer the way we did. Thank you for finding him", False),
        ("Enjoy it, last good day you'll have before the academy starts lol", False),
        (
            "Praying for your families this holiday season, you'll need it with all the overtime",
            False,
        ),
        (
            "If you ever tire of patrol, you won't walk away from this department empty handed",
            False,
        ),
        ("People call me a bootlicker for supporting y'all and I don't care", False),
        # Round 37's review: a ground floor, a denial, a laugh, sympathy, a condolence, a
        # weather report, a family's loss, a dunk tank, a bootlicker named to mock the word.
        ("The cadets should be put in the ground floor classrooms during the heat wave", False),
        ("I would never wish harm on those officers, I just want answers for my brother", False),
        ("People who wish death on the officers in this thread should be ashamed", False),
        ("I wish nothing but pain on every Cowboys fan at the charity game today 😂", False),
        ("Praying for the family tonight, I know how it feels to suffer the way they are", False),
        ("Yesterday was the last good day he had with Rex. Rest easy buddy", False),
        ("Enjoy the sun, last good day y'all are gonna have for a while, rain all week", False),
        ("Y'all pray for his family, they're gonna need it. RIP Deputy Ruiz", False),
        ("Pray for your families and hug them tight. You're going to need it after tonight", False),
        ("He got offered the K9 spot again and he won't walk away from it this time!", False),
        ("The dunk tank is back again! I won't be as nice to the chief this year 😂", False),
        ("Somebody called my mom a bootlicker for thanking them. Ridiculous", False),
        ("Here come the bootlicker comments in 3, 2, 1...", False),
        ("Bootlicker? No, I just appreciate the officer who saved my dad's life", False),
        # ... and threats it found missing: an adjective before the target, "may you
        # suffer", Spanish.
        ("the old chief needs to be put in the ground", True),
        ("May you suffer as much as my son did", True),
        ("Ojalá sufran como sufrió mi hijo", True),
        ("Disfruten su graduación, es el último buen día que van a tener", True),
        ("Si me vuelves a parar no voy a ser tan amable", True),
        ("I'd love to see every one of you six feet deep", True),
        ("Smile for the pic boys, it'll look nice on your memorial wall", True),
        ("The snow was six feet deep at the academy lol", False),
        ("Your photo will look great on our memorial wall someday, rest easy Sgt", False),
    ],
)
def test_round_37_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "menace"),
    [
        # Round 37: an officer exposed with "Nice house." or "Nice neighborhood he's got.",
        # followed home, "I know who you are", "I know what you drive", children asked after
        # "for a friend", words to be said "in person".
        (
            "I've been following that officer home since graduation. Nice neighborhood he's got.",
            True,
        ),
        (
            "followed the sarge in pic 4 home from the station once. nice house. shame about it",
            True,
        ),
        (
            "El que mató a mi sobrino sale aquí. Ya sé quién eres y dónde trabaja tu esposa.",
            True,
        ),
        (
            "I'll be outside the academy at graduation. I know what you drive now Officer Reyes",
            True,
        ),
        ("Anyone know which school the chief's kids go to? Asking for a friend 😉", True),
        (
            "Which precinct is he at? I have some things I'd like to say to him in person",
            True,
        ),
        # Not: a kind word about an officer's family or house, a neighbour.
        ("Her kids go to Summitview Elementary with mine, super nice family 😊", False),
        ("Deputy Ortiz lives next door to my mom, always shovels her driveway. Nice family", False),
        # Round 37's review: a house praised, a boy who idolizes an officer, a customer's
        # car, a coach recognised, a playdate, thanks to be said in person.
        (
            "Officer Reyes's house on Birch Rd is the one with the Christmas lights. Nice house.",
            False,
        ),
        (
            "My son has been following Officer Ray home from the bus stop, he idolizes him",
            False,
        ),
        (
            "Officer Jones I know what you drive, your red Jeep is at my shop for an oil change",
            False,
        ),
        (
            "Officer in the video, I know who you are! You coached my son's team at Lincoln Park",
            False,
        ),
        (
            "Which school do Officer Kim's kids go to? Asking for a friend, she wants a playdate",
            False,
        ),
        (
            "Which precinct is Deputy Mora at? I have something to tell him in person, he saved me",
            False,
        ),
    ],
)
def test_round_37_menace_after_exposing(text: str, menace: bool) -> None:
    assert flags.menaces(text) is menace


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 37: a call back asked for about joining, an appeal, another way to reach
        # recruiting, a hiring bonus asked after in Spanish.
        ("Can someone from recruiting actually call him back? He passed every test", True),
        (
            "i left a voicemail with recruiting twice, can someone please call me back",
            True,
        ),
        (
            "emailed the recruiting address, no answer. is there a phone number I can call instead",
            True,
        ),
        (
            "he applied and got a form rejection. is there an appeal process or is that just it",
            True,
        ),
        ("Why does the hiring process take 4 months? Is there any way to speed it up?", True),
        ("ya no dan bono por contratación?", True),
        # Not: a resident's call back, a testimonial that says "do it", a statement opened
        # by a verb, "hay de todo".
        ("Can someone call me back about my stolen catalytic converter? Report was filed", False),
        ("Applied 2 weeks after the ride along, now in week 9 of the academy. Do it.", False),
        (
            "I applied after seeing one of these posts. Do it y'all, best decision I ever made",
            False,
        ),
        ("Was at the event. It was fine. Hot though.", False),
        ("It's a job like any other. has its pros and cons", False),
        ("Hay de todo, buenos y malos como en cualquier trabajo", False),
        # Questions opened by a verb stay questions.
        ("Was the info session recorded", True),
        ("do i need a degree to apply", True),
        ("hay vacantes para despachadores", True),
        # Round 37's review: someone else's hiring is the complaint, a bonus for fines, a
        # requirement asked with "hay que", a question opened before "in-state" or "ur".
        ("¿Les dan bono por cuota de multas?", False),
        ("Pro tip for applicants: the PT test killed me the first time, do your burpees", False),
        ("hay que ser ciudadano para aplicar", True),
        ("Are in state residents preferred for the academy", True),
        ("got a dui in 2019 can ur department still hire me", True),
        ("Failed the psych eval. is there a way to appeal", True),
        ("I've emailed recruiting 3x. Can someone pls just call me", True),
        # From train42 and train43 (leads written to be read): a question after an emoji
        # where a tagged friend is told, after "anyway"; not a question about the video.
        ("@mari_g you said you wanted this 👀 do they pay you during the academy tho", True),
        ("@dre here's your sign 👀 what's the age limit tho, he's 39", True),
        ("ok but anyway do you still hire at 40", True),
        ("Bro the recruitment video goes hard 🔥 what camera was that shot on", False),
        # Round 37's third review: a tagged friend teased with a laugh is no lead.
        ("@jay 🤣 do they let people who cry at the dentist apply", False),
        ("@mike 😂 can you even pass the drug test", False),
        ("@Kayla_B @Jess.M girls trip to the PT test? 😂", False),
        ("@jordan this you 👀 do they take people with old credit issues", True),
    ],
)
def test_round_37_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    "text",
    [
        "Y'all hired the guy who beat my cousin. Can someone from recruiting call me back",
        "Unbelievable. Can someone call me back about why you're hiring cops with DUIs",
    ],
)
def test_round_37_someone_elses_hiring_is_not_an_applicants_case(text: str) -> None:
    # The rules' question about hiring may read it as a lead; it is not the writer's own
    # case, so the layer's critical reading still takes it off the leads.
    assert not flags.applicant_asks(text)


def test_round_37_a_community_event_asked_after_is_logistics() -> None:
    assert flags.event_logistics_only(
        "what time does the picnic at Evelyn K Davis Park start sunday"
    )
    assert flags.event_logistics_only("Where is National Night Out this year?")
    assert not flags.event_logistics_only("Will Officer Ruiz be at the picnic? where does he park")
    # Who is at it is not the event's time or place (round 37's review).
    assert not flags.event_logistics_only("Which park is Ramirez at for the block party")
    assert not flags.event_logistics_only("What time does Ramirez's shift at the festival end")
    assert not flags.event_logistics_only("Is the K9 guy at the parade right now? which corner")
    assert flags.event_logistics_only("What street is the block party on")


@pytest.mark.parametrize(
    ("text", "safety"),
    [
        # Round 37's review: where a named officer will be at an event is asked to find them
        # (the labelled files mark such questions safety even when kindly meant).
        ("Where will Officer Daniels be during the parade", True),
        ("Which booth will Officer Kim be at during National Night Out", True),
        ("Where is Officer Ramirez stationed during the festival", True),
        ("Where will the guy who shot my nephew be standing at the parade", True),
        # Not: the recruiters' booth, the event itself.
        ("Which booth will the recruiters be at", False),
        ("Where will the career fair be", False),
    ],
)
def test_round_37_an_officer_asked_after_at_an_event(text: str, safety: bool) -> None:
    assert flags.is_safety(text) is safety


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 38: a recruitment fact asked plainly, however angry the comment around it.
        ("Pay is a joke next to the county. What's the actual top step after 5 years", True),
        ("y'all keep saying 'competitive salary', give us an actual number", True),
        ("The portal logs me out every time I hit submit. How else can I apply", True),
        ("Third email with no reply. Is anyone actually reading these applications??", True),
        ("Used to be no visible tattoos at all. Is that still the policy or did it change", True),
        ("Deputies next door make 8k more. Is there any plan to match them?", True),
        ("Info sessions are always at noon on weekdays. Any weekend ones?", True),
        ("Small tattoo on my wrist. Allowed or nah", True),
        ("Nadie contesta en reclutamiento, hay otro número?", True),
        ("Which station do I go to for my fingerprinting appointment", True),
        # Not: the same words in a jab, a count of someone else, trust.
        ("What's the actual number of officers fired for misconduct this year?", False),
        ("How am I supposed to trust a department that lies in every press release", False),
        ("lol is the posting even real or just PR 😂", False),
        # Question shapes that were not questions: "lucky to have you", a tag joined by
        # "and", "Do it,", "Do as I say", a Spanish exclamation, "r" inside a handle.
        ("Congrats to the graduates! The city is lucky to have you", False),
        ("Me and @sam_k are gonna race the mile on the PT test, loser buys tacos", False),
        ("Best decision I ever made. Do it, you'll thank yourself later", False),
        ("Parked in the bike lane again. Do as I say not as I do huh", False),
        ("Qué bonito estuvo el desfile, mis hijos felices con los caballos", False),
        ("@carla.r.t you should totally apply for this!!", False),
        # Spam: a stranger's friend request, tickets for sale.
        ("Hello dear, nice profile. I'd like to know you better, accept my request", False),
        ("Cheap Thunder tickets all season, DM me before they sell out", False),
        # The answer hinted at is no question.
        ("Why is the department always short staffed? Hmm let me think 🤔", False),
        # Round 38's review: the plain asks where they were jabs, someone else's pay or
        # hiring, a friend request; and their variations that ask.
        ("are there any raises coming for dispatchers? didn't think so", False),
        ("Is the bonus even real or is it like the 'transparency' you promised us", False),
        ("Hello officer you look so handsome, can we be friends? I sent you a request", False),
        ("Any raises planned for next year? Trying to decide between you and the county", True),
        ("who's the supervisor for backgrounds, mine has been stuck since March", True),
        ("Are there any Saturday sessions? I work Mon-Fri 8-5", True),
        ("¿A qué estación voy para las huellas?", True),
        ("Pay is lower than the county sheriff. What's the actual number after academy", True),
    ],
)
def test_round_38_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    "text",
    [
        # Round 38's review: a count of someone else's work, someone else's hiring, the
        # chief's pay. The rules' older question-and-topic reading may take them for leads;
        # they are no applicant's plain ask, so the layer's critical reading still drops them.
        "What's the actual number of cases your detectives closed last year?",
        "who is the supervisor over hiring? because whoever hired that guy needs to go",
        "Are they raising the pay for the chief again? That's the only raise I hear about",
    ],
)
def test_round_38_a_jab_is_no_plain_ask_that_stays_a_lead(text: str) -> None:
    assert not flags.stays_a_lead(text)


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 38: threats read in heldout56 to heldout59, in other words.
        ("Funny, the sergeant's house on Elm isn't as safe as he thinks", True),
        ("Next time you pull me over it's not gonna end the way you think", True),
        ("Si ese oficial vuelve a molestar a mi hijo no la va a contar", True),
        ("Ustedes van a pagar caro por esto, esperen", True),
        ("We've been keeping track of your patrol routes 😉", True),
        ("Hope that academy roof collapses during graduation", True),
        ("Hoping a drunk driver takes out your recruiting van", True),
        ("May every one of you meet the same fate as the people you hurt", True),
        # Not: a leaky roof, a stage in jest, a van parked badly, the ballot, a secret kept,
        # a football coach, a neighbourhood watch's notes.
        ("The old gym roof is gonna cave in one of these days, fix it before graduation", False),
        ("The stage nearly collapsed during graduation lol", False),
        ("Hope a bus doesn't hit your recruiting van parked like that 😬", False),
        ("If you cut the youth programs it won't end well for you at the polls", False),
        ("Mi hermano no lo va a contar a nadie, es sorpresa", False),
        ("Coach's job isn't as safe as he thinks after that loss", False),
        # Round 38's review: advice, taxes, a neighbourhood watch, a roof to fix, a long
        # retirement, a cooling vest; and variations that threaten.
        ("If you lie on your background check it won't end well for you. Be honest", False),
        ("Vamos pagar caro por isso, esperem o aumento do IPTU", False),
        ("I've been keeping track of the patrol routes for my neighborhood watch 👀", False),
        ("Hope they fix that roof before it caves in during graduation", False),
        ("Hope each of you meets the same end as my dad: retired healthy, fishing daily", False),
        ("You can arrest me for saying this but what's under that vest, a cooling vest?", False),
        ("If you put your hands on my son again it won't end well for you", True),
        ("I hope the whole building collapses on the new class", True),
        ("I hope every last one of you meets the same end", True),
        ("Que todos ustedes tengan el mismo final", True),
        ("He's gonna pay dearly for that arrest, you just wait", True),
        ("Me las vas a pagar, oficial", True),
    ],
)
def test_round_38_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


@pytest.mark.parametrize(
    "text",
    [
        # Round 38: a tagged friend threatened in jest, with a laugh and no officer named.
        "@kay_m I'll kill you if you don't sign up with me lol",
        "@rob.t im gonna beat you so bad on the PT run 😂",
        "jaja @memo_22 te van a matar en la academia 😂",
        # Round 38's review: a word before the tag, "literally", "ima", a skull for a laugh.
        "bro @jay I'm gonna kill you, you said the PT test was easy 😂",
        "@sam if you don't apply with me I'll literally kill you 😂",
        "@kels ima kill you if you don't apply with me 💀",
    ],
)
def test_round_38_a_friend_threatened_in_jest_is_not_hostile(text: str) -> None:
    assert not flags.is_hostile(text)


def test_round_38_a_friend_threat_without_a_laugh_or_at_an_officer_stays_hostile() -> None:
    assert flags.is_hostile("@kay_m I'll kill you if you don't sign up with me")
    assert flags.is_hostile("@officer_dave I'll kill you lol")
    assert flags.is_hostile("@jt_kpd I'll kill you lol, you're the one who arrested my brother")


def test_round_38_an_exposed_officer_with_an_incitement_is_a_threat() -> None:
    assert flags.menaces("his address is on Rosedale, I'll DM you the number. time to show up")
    assert flags.menaces("Doxx them all. Drop names and plates below 👇")
    assert flags.menaces("What's that cop's name? I want to find him and have a real talk")
    assert not flags.menaces("What's that cop's name? I want to find him and thank him")
    # Round 38's review: a party to show up to, a recruiter to talk to.
    assert not flags.menaces(
        "That's Officer Dunn's house, my uncle! Time to show up for his party 🎉"
    )
    assert not flags.menaces("Deputy Hall lives on my street. Find him and have a chat at the fair")


def test_round_38_a_station_asked_for_ones_own_step_is_logistics() -> None:
    assert flags.logistics_only("Which station do I go to for fingerprinting, Truxtun or Ming?")
    assert not flags.logistics_only("Which station does Officer Ruiz go to after his shift")


@pytest.mark.parametrize(
    ("text", "safety"),
    [
        # Round 38: following patrol cars home, said as an intent, locates officers...
        ("gonna start following patrol cars home and see what happens", True),
        ("we should follow them home after shift", True),
        ("I'm gonna follow my dad home from the academy graduation", False),
        # ... and a car in trouble in a thank-you story does not.
        ("Officer Reyes helped my grandma after her car broke down on the 40. Thank you!", False),
        ("Deputy Lin stayed with my mom when her car got towed, such a kind man", False),
        ("Officer Reyes's car is parked outside his house on Elm every night", True),
    ],
)
def test_round_38_following_home_and_a_car_in_trouble(text: str, safety: bool) -> None:
    assert flags.is_safety(text) is safety


@pytest.mark.parametrize(
    "text",
    [
        # Round 38: an opening verb before praise or an adverb states.
        "Officer Kim came to our block party and was so kind to the kids. Love the video",
        "Will always support our officers",
        "Can never thank the recruiters enough for helping my son apply",
    ],
)
def test_round_38_a_verb_before_praise_opens_no_question(text: str) -> None:
    assert not flags.needs_reply(text)


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 38's broad review: an announcement "for anyone interested", a child's dream,
        # jabs that ask ("or is that optional", pay for misconduct, complaints to promotion,
        # what the academy teaches); and an applicant's status asked without a question mark,
        # a rejected applicant's ask, a webinar's slides.
        (
            "Free resume workshop Thursday at 6pm for anyone interested in public safety jobs!",
            False,
        ),
        ("Mi hijo quiere ser policía cuando sea grande 😊", False),
        ("Do you drug test for steroids or is that optional?", False),
        ("What's the starting pay for harassing teenagers?", False),
        ("How many complaints do you need to get promoted?", False),
        ("Does the academy teach you to shoot dogs?", False),
        ("Mi hijo quiere ser policía, qué requisitos piden?", True),
        ("APPLIED IN JUNE AND NOBODY HAS CALLED ME BACK. WHAT IS GOING ON", True),
        ("got rejected twice with no explanation. can someone tell me what im doing wrong", True),
        ("Great session! Will the slides be posted anywhere?", True),
        ("What's the starting pay for new officers?", True),
    ],
)
def test_round_38_broad_review_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 38's broad review: threats and slurs it found missing, and their look-alikes.
        ("Good luck out there. You'll need it after what you did to my cousin.", True),
        ("Sign up now, funerals are cheaper in bulk", True),
        ("Keep it up and somebody's gonna answer back with more than words", True),
        ("Crevez tous, sales flics.", True),
        ("Drecksbullen, alle miteinander.", True),
        ("Look at the monkey in the back row trying to do a pushup", True),
        ("Good luck at the academy! You'll need it, the PT test is brutal", False),
        ("Costco sells paper towels cheaper in bulk lol", False),
        ("Thank you for answering with more than words, you showed up for us", False),
        ("Les flics du quartier sont sympas", False),
        ("The kid in the back row was climbing the monkey bars at the open house 😂", False),
        ("@chris_l bro I will END you on the bench press 💀", False),
    ],
)
def test_round_38_broad_review_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_38_a_talk_wanted_after_locating_an_officer_menaces() -> None:
    text = (
        "Which precinct does the bald one work out of? Need to have a little conversation with him."
    )
    assert flags.menaces(text)
    assert not flags.menaces(
        "Which precinct is he at? I want to have a talk with him about applying"
    )


@pytest.mark.parametrize(
    ("text", "menace"),
    [
        # Round 38: menace after exposing an officer, from the labelled threats the rules
        # missed; and the kind words that share them.
        ("off at 6am, parks on the street behind the station. figure it out", True),
        ("She lifts at the gym on 5th every morning at 5. Somebody do something", True),
        ("His son plays travel ball in Matthews. See you at the tournament, pal.", True),
        ("You pray at St. Mark's every Sunday, officer. So do I. Right behind you.", True),
        ("Her kids go to Lincoln Elementary with mine, small world 😊", False),
        ("He posts his gym check-ins on Facebook, easy to find", False),
        ("Deputy Cole lives next door, great neighbor. Figure it out, rookies: be like him", False),
    ],
)
def test_round_38_menace_after_exposing(text: str, menace: bool) -> None:
    assert flags.menaces(text) is menace


@pytest.mark.parametrize(
    ("text", "lead", "safety"),
    [
        # Round 38: whether officers take their cars home is a recruit's question, not an
        # officer located; one officer's car and where it goes still is.
        ("Do officers get to take their car home?", True, False),
        ("Can deputies take their cruisers home at night?", True, False),
        ("Officer Ruiz takes his car home to 5th and Elm every night", False, True),
    ],
)
def test_round_38_a_take_home_car_is_asked_not_located(text: str, lead: bool, safety: bool) -> None:
    assert flags.needs_reply(text) is lead
    assert flags.is_safety(text) is safety


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 38's second broad review: a requirement mocked as optional, hiring "just for
        # the photo"; a real either-or question stays a lead.
        ("y los requisitos incluyen tener corazon o eso es opcional?", False),
        ("ahora si van a contratar gente q hable español o nomas es para la foto?", False),
        ("Are you actually hiring locals or is it just for the photos?", False),
        ("Do you need a high school diploma or just a GED?", True),
        ("la academia es de tiempo completo o es opcional hacerla en las noches?", True),
    ],
)
def test_round_38_an_either_or_that_mocks(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


def test_round_38_optional_asked_for_someone_stays_a_lead() -> None:
    assert flags.needs_reply("Is the fitness test required or is that optional for laterals?")
    assert not flags.needs_reply("Do you drug test for steroids or is that optional?")


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 38, from heldout60 to heldout63 (read once scored): an applicant's status told
        # plainly, with new words for silence ("ghosted", "ni un correo"); told as a jab it is
        # not one. A replay, a bonus paid, "qué hago", calling or waiting, the usual number.
        ("Applied in May and still haven't heard back", True),
        ("Passed the written and the PT test, then got ghosted after the background check", True),
        ("El link se cayó a la mitad. ¿Van a subir la grabación?", True),
        ("Does the signing bonus actually get paid out or is it clawed back if you leave?", True),
        ("La página de registro no funciona, ya lo intenté dos veces. Qué hago", True),
        ("Portal still says under review. Should I call someone or just keep waiting", True),
        ("The post says up to $10k, so what's the number most people actually get", True),
        ("Dijeron que suben la grabación el viernes", False),
        # A question's verb before "keep" or "pray" states.
        (
            "Woke up early to pray for this class. Will keep doing it every day of their careers.",
            False,
        ),
        # "precinct" is a recruit's topic; "her card" is no car.
        ("dead serious question: do you get to pick your precinct", True),
        ("I lost the recruiter's card at the fair, what's the best email for recruiting", True),
    ],
)
def test_round_38_read_blind_files_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 38 read an unanswered application told as a jab, a warning or hopefully as
        # no applicant's ask; since round 39 it is one however it is told (the labelled files
        # written since round 37 call 10 of 10 such comments leads, the older ones 3 of 28):
        # a recruiter answers an applicant who says the process lost them. Not one who has
        # moved on ("took a job in Tulsa instead").
        ("Applied twice, never heard back. Your HR is a black hole", True),
        ("Applied last spring, waiting on the background check now 🤞", True),
        ("Apliqué dos veces y ni un correo de respuesta, qué falta de respeto", True),
        ("Applied twice, never heard back. Took a job in Tulsa instead", False),
        ("Applied in 2022, never heard back, gave up and went to the county", False),
    ],
)
def test_round_39_an_unanswered_application_is_a_lead(text: str, lead: bool) -> None:
    assert flags.applicant_asks(text) is lead
    assert flags.applicant_asks("Applied in May and still haven't heard back")


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 38, from heldout60 to heldout63: threats, slurs and harassment they held, and
        # the look-alikes that share their words.
        ("You're all parasites feeding off our taxes", True),
        ("Bola de inútiles, no sirven para nada", True),
        ("Illegals gonna be running the department next", True),
        ("Some of y'all won't make it to retirement and that's fine by me", True),
        ("Academy today, funeral tomorrow. That's how it goes", True),
        ("The river has plenty of room for all of you", True),
        ("Hey cadet Lopez, nice legs 😘", True),
        ("La muchacha de la segunda fila está bien buena", True),
        ("Ni con un millón me meto a esa bola de corruptos", False),
        (
            "My dad won't make it to my graduation, he's deployed. Fine by me as long as he's safe",
            False,
        ),
        ("Graduation today, party tomorrow!! So proud 🎉", False),
        ("The new gym has plenty of room for all of you, come work out with the recruits", False),
        ("Officer Lee has nice legs for a marathon, she ran Boston in 3 hours!", False),
    ],
)
def test_round_38_read_blind_files_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_38_read_blind_files_menace_and_logistics() -> None:
    asked = "Does Officer Reyes work out of West? Asking because we have unfinished business"
    assert flags.menaces(asked)
    assert flags.menaces(
        "What shift does the officer in the video work? Want to 'thank him' in person"
    )
    assert flags.menaces(
        "Which school do the officers' kids go to? Would love to meet them after class"
    )
    assert not flags.menaces("What shift does Officer Diaz work? Want to thank him in person")
    assert flags.logistics_only(
        "My daughter wants to join after she finishes at SSU, where does she start?"
    )
    assert not flags.logistics_only("My son wants to join. Where does Officer Diaz live?")


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 38's diff review: "para" is no stop, a question with "no la van a" and
        # "cuenta" is no threat, a laugh or the polls undo paying dearly, a newline does not
        # hide an officer from the friend-banter look-alike; "in the end" threatens.
        ("Si estudias para el examen no va a terminar como tú crees, te va a ir mejor", False),
        ("Si mi hija aplica no la van a descalificar? Lo vi en la cuenta de Instagram", False),
        ("si me vuelves a ganar en el FIFA no la vas a contar jaja", False),
        ("You'll pay dearly at the polls", False),
        ("vocês vão pagar caro nas urnas", False),
        ("@mike you'll pay dearly for beating me at pool lol", False),
        ("I hope the roof caves in on the class lol", False),
        ("You will pay for that in the end officer Ramos", True),
        ("@kels I'll kill you lol\nOfficer Smith is next", True),
        ("the river has room left for all of you", True),
        ("ojalá se les caiga la academia encima", True),
    ],
)
def test_round_38_diff_review_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_38_diff_review_leads_and_logistics() -> None:
    assert flags.needs_reply("Do cadets have to pay for shooting range time?")
    assert flags.needs_reply("whr's the academy located")
    assert not flags.needs_reply("Is it a requirement or just a suggestion?")
    assert not flags.stays_a_lead("Any raises coming for the cops that have been here 20 years?")
    assert not flags.is_spam("Nice profile of Deputy Ruiz, great read")
    assert flags.menaces("Which precinct is he at? gonna have a talk with him")
    relative = "My daughter wants to join. Does the blonde recruit in the photo live on Maple Ave?"
    assert not flags.logistics_only(relative)


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39, from heldout64 to heldout67 (read once scored), in other words: an
        # applicant's status in silence or stuck, whom to call asked indirectly, an appeal,
        # a rule asked "or not", a promised call asked after, how long an answer takes, the
        # pay one needs to know, interest as the last words, an academy aimed for.
        (
            "Submitted my application in May and it's been complete silence since. Anyone there?",
            True,
        ),
        ("My application status still shows 'pending' from two months ago", True),
        ("Passed the PT test last month, just trying to figure out who I should contact now", True),
        ("They dq'd me over my credit. Can I reapply next year or is that it", True),
        ("Nobody at the booth knew. Is a degree required or not", True),
        ("La reclutadora dijo que me llamaba el viernes. ¿Me van a llamar o no?", True),
        ("Ya mandé mi solicitud, cuánto tiempo tarda en llamar", True),
        ("Video goes hard. need to know the starting salary tho", True),
        ("Me encanta que busquen gente de aquí. Me interesa bastante", True),
        ("Aiming for the spring academy class, been running every morning", True),
        # Not: a resident's business with the police, however asked; a tagged friend's
        # comparison; praise of the page; a child's panel; a story told to others.
        ("How can I get a copy of the police report from my fender bender", False),
        ("Where do I go to get my truck out of impound", False),
        ("¿Dónde se paga una multa de tránsito?", False),
        ("Who handles noise complaints on weekends, the neighbors are at it again", False),
        ("Is Main St still closed for the parade or can I get through", False),
        ("My sister did this in Denver. the pay is better but so is the rent", False),
        ("Whoever runs this page deserves a raise, great videos", False),
        ("Proud grandma! My grandson spoke on the panel and did wonderful.", False),
        (
            "First department to call me back during my job search. Three years in now. Apply!",
            False,
        ),
        ("No me interesa, gracias", False),
    ],
)
def test_round_39_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    "text",
    [
        # A recruitment word keeps a question a lead, whatever else it names.
        "Is the academy still closed to new applicants?",
        "Does a towing ticket from 2019 hurt my application?",
        "Can I apply if I have an old accident report on my record?",
    ],
)
def test_round_39_a_residents_business_with_a_recruitment_word_is_not_vetoed(text: str) -> None:
    assert not flags.resident_business_only(text)


@pytest.mark.parametrize(
    ("text", "stays"),
    [
        # Round 39: angry applicants' plain asks stay leads where the layer reads them critical.
        ("Rejected with no reason given, this is a joke. Can anyone tell me what dq'd me?", True),
        ("Applied in March and total silence. Is anybody even processing applications??", True),
        ("Got disqualified and nobody explains anything. Can I appeal", True),
        # Not the officers still on leave asked after.
        ("Ok but what about the two deputies still on admin leave", False),
    ],
)
def test_round_39_angry_asks_and_scoffs(text: str, stays: bool) -> None:
    assert flags.stays_a_lead(text) is stays
    if not stays:
        assert not flags.needs_reply(text)


@pytest.mark.parametrize(
    "text",
    [
        # Round 39's review: questions in a scoff's or an accusation's shape that a recruiter
        # answers ("gets what," and "didn't y'all just" were tried as jabs and taken back).
        "Starting pay gets what, 55k? or more with OT?",
        "Didn't y'all just have a hiring event last month? When's the next one?",
        "What about the deputies who want to lateral from county, is there a bonus?",
        "need a recruiter to call me back asap, I have questions about the academy",
        "so did anybody from the June academy get placed yet",
        "Are good grades needed to get into the academy",
    ],
)
def test_round_39_questions_in_a_jabs_shape_stay_leads(text: str) -> None:
    assert flags.needs_reply(text)


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 39: veiled threats read in heldout64 to heldout67, in other words.
        ("Hope the rookies have their life insurance paid up", True),
        ("Every officer in this lineup has an expiration date", True),
        ("Disfruten la ceremonia, en las calles no van a durar nada", True),
        ("You'll need it when the body cams go off, good luck", True),
        ("We already know your patrol routes, see you around", True),
        ("I'd check my rearview mirror on the way home if I were you", True),
        ("Would hate for anyone in that photo to get in an accident after dark", True),
        ("More bacon for the department 🥓 fry em", True),
        ("Bunch of knuckle draggers with badges", True),
        # Not: benefits asked, an ID card, retention criticised, a sincere wish, a
        # neighbour, driving advice, concern with a prayer, a pancake breakfast, oneself.
        ("Hope the new guys get good life insurance through the union, it's a tough job", False),
        ("Every badge has an expiration date printed on the back, renew your ID", False),
        ("Rookies won't last long out there with that pay and mandatory overtime", False),
        ("Get some rest, you'll need it when the academy starts at 5am", False),
        ("Check your mirrors when merging on I-35, people", False),
        ("I'd hate for any of you to get hurt out there, praying for you all", False),
        ("Pancake breakfast Saturday: bacon, eggs, and we fry 'em fresh 🥞", False),
        ("Us knuckle draggers in the Marines would love this job lol", False),
    ],
)
def test_round_39_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_39_menace_after_exposing_and_a_residents_business() -> None:
    assert flags.menaces("Cute kids, Officer Lee. Nice house on Birch Lane.")
    assert not flags.menaces(
        "Officer Lee is our neighbor, always shovels our walk. Nice house on Birch Lane."
    )
    assert flags.menaces(
        "Who has the plate on the sergeant's truck? Post it, we'll handle the rest"
    )
    assert flags.menaces(
        "Where does Sgt. Cole's son go to school? Would love to have a little talk with him"
    )
    assert not flags.menaces(
        "Which school did Sgt. Cole visit? Would love to have a little talk with him "
        "about the academy"
    )
    # A resident's own business is not read as locating anyone; an officer named is.
    assert flags.logistics_only("¿Dónde reporto un carro abandonado frente a mi casa?")
    assert not flags.logistics_only("He towed my car. Where does that officer park?")


def test_round_39_insurance_sold_to_whoever_writes_is_spam() -> None:
    assert flags.is_spam("Cheap auto insurance quotes here, message me 📲")
    assert not flags.is_spam("Does the job come with life insurance for the family?")


@pytest.mark.parametrize(
    "text",
    [
        # Round 39: a story that opens with "when", an order to do one's job.
        "When I was in the academy I almost quit in week 4. Glad I stayed, if you're thinking "
        "about it go for it",
        "Nobody came for two hours when my car was broken into. Stop filming ads and do your job.",
    ],
)
def test_round_39_a_story_or_an_order_is_no_question(text: str) -> None:
    assert not flags.is_question(flags._spelled_out(flags._plain(text)), text.lower())


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 39's review of the new threat rows: look-alikes in other words ...
        (
            "Praying for them. Hope they have life insurance for their kids, it's a hard job 🙏",
            False,
        ),
        ("Your conditional offer has an expiration date, don't wait on it", False),
        ("Every cop has an expiration date in this line of work, burnout is real", False),
        ("Pobrecitos, en la calle no van a durar con esa paga", False),
        ("They won't last long out there without backup if the city keeps cutting", False),
        ("Bank your overtime, you'll need it when nobody's hiring in a few years", False),
        ("Tip from a retired deputy: check your mirrors on the drive home. Stay safe 💙", False),
        ("I'd hate for anyone in that photo to get hurt, please be careful out there", False),
        ("Pig roast fundraiser Sunday 🐷 come roast em with us", False),
        ("Stop calling cops knuckle-draggers, half this class has degrees", False),
        ("We all know your route by heart Officer Dan, the kids wave every morning 😊", False),
        # ... and threats in other words.
        ("Y'all will need luck when nobody's around to film", True),
        ("You'll need that vest when the cameras are gone", True),
        ("I'd be looking over my shoulder on the drive home if I were you", True),
        ("🐷🐷 roast em all", True),
    ],
)
def test_round_39_review_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


@pytest.mark.parametrize(
    ("text", "resident"),
    [
        # Round 39's review: joining named in other words keeps a resident's word a lead ...
        ("Got towed last year and still owe impound fees, does that stop me from joining?", False),
        ("Do I need to pay off a fine before I can become an officer?", False),
        ("¿Tengo que pagar la multa antes de meter mis papeles para policía?", False),
        ("Is the fall class closed?", False),
        ("Me interesa entrar pero tengo una multa pendiente", False),
        # ... and errands for another employer or other paperwork are a resident's.
        ("How do I get fingerprinted for my teaching license?", True),
        ("Where can I get a background check done for my new job at the daycare?", True),
        ("How do I register my son's new bike with y'all?", True),
        ("Found a little brown dog by the school on 5th, who do I call?", True),
        ("My catalytic converter got stolen, can I file a report online?", True),
        ("Who's the contact for a block party permit?", True),
    ],
)
def test_round_39_review_residents_business(text: str, resident: bool) -> None:
    assert flags.resident_business_only(text) is resident
    if resident:
        assert not flags.needs_reply(text)


def test_round_39_review_status_of_other_business_and_neighbours_praise() -> None:
    # Another portal's status is no application's; a neighbour's praise of a home is no menace.
    assert not flags.stays_a_lead(
        "My son's complaint portal still says in progress. Some transparency"
    )
    assert flags.stays_a_lead("Portal still shows pending since my oral board in March")
    assert not flags.menaces(
        "Officer Diaz lives on our street, brought soup when I was sick. Lovely home on Alder"
    )
    assert not flags.is_spam("Are there free life insurance quotes through HR once you're hired?")
    assert flags.is_spam("Best auto insurance quotes in town, text me 📲")


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39's broad review, in other words: the next test asked in anger, applications
        # nobody reads, silence in Spanish ...
        ("SECOND TIME ASKING. WHEN IS THE NEXT ACADEMY. NOBODY PICKS UP THE PHONE", True),
        (
            "Sent my application in March, status just says received. is anyone even reading these",
            True,
        ),
        # ... and a resident's business that is no lead: fireworks, a custody exchange, the
        # neighbours' music, a lost wallet, a driveway blocked.
        ("fireworks every night on Maple, can someone send a car", False),
        ("Who do I talk to about a custody exchange that keeps getting heated?", False),
        ("Mis vecinos ponen música a todo volumen, ¿a quién llamo?", False),
        ("Lost my wallet at the parade Sunday, did anyone turn it in?", False),
        ("Someone keeps parking in front of my driveway, is that a ticket?", False),
    ],
)
def test_round_39_broad_review_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


def test_round_39_where_the_academy_is_asked_is_logistics() -> None:
    assert flags.logistics_only("What's the address of the training center? Is it downtown?")
    assert flags.logistics_only("¿Dónde es la orientación? ¿En la estación de la calle 5?")
    assert not flags.logistics_only("Where does Officer Diaz live? Is it near the academy?")
    assert not flags.logistics_only("where is the academy officer Lee trains at")


def test_round_39_the_academys_hard_days_are_no_threat() -> None:
    assert not flags.is_hostile("Les van a dar en la madre en la academia jaja, suerte 💪")
    assert flags.is_hostile("Les van a dar en la madre a esos cerdos")


@pytest.mark.parametrize(
    ("text", "friend"),
    [
        # Round 39: a question put to a tagged friend is no lead (60 of the 64 such labelled
        # comments), unless it asks the department something too or tags the department.
        ("@Jordan Reyes you said you were gonna apply, did you ever?", True),
        ("@karla.m tú sabes si la feria es gratis? para ir juntas", True),
        ("@mike_t bro you still want to do dispatch? 👀", True),
        ("@dani_r you said you wanted to do this 👀 how long is the academy tho", False),
        ("@AustinPD do you still run the cadet program for teenagers", False),
        ("Did you ever apply, @Jordan?", False),
    ],
)
def test_round_39_a_question_to_a_tagged_friend(text: str, friend: bool) -> None:
    assert flags.asks_a_tagged_friend(text) is friend
    assert flags.not_for_recruiters(text) is friend
    if friend:
        assert not flags.needs_reply(text)


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39, from heldout68 to heldout71 (scored blind, then read), in other words: a
        # failed session asked to be redone, "sí o no", the real salary in Spanish, a plain
        # ask after a jab, interest stated, an interest card followed up, "alguien sabe si".
        (
            "The zoom link was dead the whole hour. Is there going to be a make-up session or what",
            True,
        ),
        ("Pregunté si aceptan a gente con DACA y nadie supo. ¿Sí o no?", True),
        ("Dicen que pagan bien. Cuánto es el sueldo real para dispatcher", True),
        ("Why would anyone work for this city. whats the actual starting pay tho", True),
        ("i want in on the cadet program, been volunteering with PAL for 2 yrs", True),
        ("I left my info at your table at the fair, I'd love to move forward", True),
        ("Filled out the interest card at the college fair last week. Just following up", True),
        ("Alguien sabe si la feria de empleo es gratis", True),
        # Not: an offer to answer others, a department seen hiring, a trucking school, a jab
        # asked "for the city council 🤔", lying "part of the curriculum", "quién paga esto",
        # a resident's car broken into or ticket contested.
        (
            "Joined in 2021, best decision I made. DM me if you have questions about the academy",
            False,
        ),
        ("Cool to see the department still hiring from our neighborhood", False),
        ("Career change? CDL training in 4 weeks, financing available, DM us", False),
        ("Does the bonus come with a lawyer for later? asking for the city council 🤔", False),
        ("is lying on reports part of the academy training or is that on the job", False),
        ("¿Y quién paga esto? En mi calle ni hay luces", False),
        ("Somebody broke into my truck on 5th last night, who do I even call", False),
        ("I got a parking ticket downtown that's wrong, how do I contest it", False),
        # An applicant's own ticket still asks about joining.
        ("i got a speeding ticket last month lol does that matter for the background", True),
    ],
)
def test_round_39_read_blind_files_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 39: threats read in heldout68 to heldout71, in other words ...
        ("That signing bonus won't even pay for your funeral", True),
        ("Sgt. Ruiz better keep looking over his shoulder on patrol", True),
        ("The lake is real deep out there and nobody ever finds anything", True),
        ("Glad to know every shift could be your last", True),
        ("Hope the next drunk driver doesn't brake", True),
        ("The 'hero' deputy lol. heroes die young, remember that", True),
        ("Keep posting your officers' faces, you're making it way too easy for us", True),
        ("Wann bekommt einer von euch endlich, was er verdient?", True),
        # ... and their look-alikes: a career officer's advice, a lake's beauty, sincere
        # worry, a promotion in German, a fundraiser for a funeral.
        ("The lake is real big and so peaceful, we go fishing every weekend", False),
        ("Every shift could be your last, please be safe out there 🙏", False),
        ("Sie bekommt endlich, was sie verdient, Glückwunsch zur Beförderung!", False),
        ("Our bake sale will help cover the funeral for Officer Lane's father", False),
    ],
)
def test_round_39_read_blind_files_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_39_read_blind_files_menace() -> None:
    # Exposure with "nomás digo", "people should know that", a schedule "bien checado", a few
    # words to say "en persona", "be careful, deputy" as the last words, "zoom in, people".
    assert flags.menaces("Ese oficial toma café en el Oxxo de la 5 cada mañana, nomás digo")
    assert flags.menaces(
        "Deputy Cole works nights and his kids go to Lincoln. people should know that"
    )
    assert flags.menaces("Patrullan la calle 8 de 10 a 2, ya les tenemos bien checado el horario")
    assert flags.menaces("¿Dónde desayuna el de la foto? le quiero decir unas cositas en persona")
    assert flags.menaces(
        "Isn't that Hill's wife at the bank on Main? small world. be careful deputy"
    )
    assert flags.menaces("Plate's visible at 0:42, zoom in people")
    # Wanting to "catch him" after his shift and asking "for a friend 👀" stay locating only:
    # the labelled files call 19 such comments safety, not threats.
    assert not flags.menaces("What time does Officer Haddad leave the station? I want to catch him")
    assert not flags.menaces("what shift does the officer in pic 2 work? asking for a friend 👀")
    # One's own child whose home one knows, with a laugh, is no exposure.
    assert not flags.is_safety(
        "My son's in the academy, I know where he lives these days... the gym 😂"
    )


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39's review of the second batch: a question after the friend's asks the
        # department; an officer or a recruiter tagged is asked, not a friend ...
        ("@Jenny did you see this? is there an age limit to apply?", True),
        ("@Karla vas a ir? hay que registrarse antes?", True),
        ("@mia did you apply? how long does the background check take", True),
        ("@Officer Tran are you the recruiter? I have a question about the vision test", True),
        # ... a friend's follow-up, or other openings to a friend, are the friend's.
        ("@Kevin_T did you ever hear back from them? curious how long it took you", False),
        ("@yessica.r vas a ir a la sesión el sábado? me das raite?", False),
        ("@big_mike you down to apply with me?", False),
        ("Hey @Kev you ever finish your application?", False),
        ("@Alexis what happened with your application??", False),
        # The pay guessed as a joke is a jab, not a lead, in the rules and the layer.
        ("What's the pay, minimum wage?", False),
        ("whats the salary, two tacos and a badge?", False),
        ("Salary? or do we get paid in donuts 🍩", False),
        ("What's the starting pay, hourly or salary?", True),
        # An applicant's silence told in other words; not a relative's told as a jab, nor one
        # who has moved on.
        ("Submitted my app in march, still nothing. y'all can't answer an email 🤡", True),
        ("my application's been 'under review' since January lol", True),
        ("Y'all ghosted me after the interview. Twice.", True),
        ("Sigo esperando que me llamen desde la entrevista de julio 🙄", True),
        ("Everybody I know who applied got ghosted. Fix your hiring before you post ads", False),
        ("My husband applied in January and nobody has called. Typical.", False),
        ("My husband applied in January and nobody has called. Who should he contact?", True),
    ],
)
def test_round_39_second_review_leads(text: str, lead: bool) -> None:
    [result] = triage([text])
    assert (NEEDS_REPLY in result.flags) is lead


def test_round_39_second_review_own_family_and_people_should_know() -> None:
    # One who has moved on is no applicant's case (the layer may still read a lead in it).
    assert not flags.applicant_asks(
        "I applied 2 yrs ago and heard nothing. Now I'm a firefighter and loving it"
    )
    # One's own child's home known with a laugh is no exposure; another's child, an address
    # or a named officer still is; "people should know that" after a kindness is no menace.
    assert not flags.is_safety(
        "My son is one of the recruits in this pic, I know where he lives lol my basement 😂"
    )
    assert flags.is_safety(
        "proud mom! my son is in the academy with the Garcia boy, I know where he lives, "
        "4th house on Maple 😂"
    )
    assert flags.is_safety(
        "Lol his kids go to my kid's school, small world. Lincoln Elementary right?"
    )
    assert not flags.menaces(
        "Officer Kim helped me change my tire on 5th street last week, nicest guy. "
        "People should know that"
    )


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39's second broad review, in other words: the pay asked "y el sueldo?", a
        # recruiting inbox nobody may read; a resident's truck, bond, property or ticket.
        ("Y el sueldo? No dice nada el flyer", True),
        ("Emailed the recruiting office three times. Is the inbox even monitored?", True),
        ("My car got broken into at the stadium lot. Is anyone going to do anything?", False),
        ("What's the bond amount for my cousin? How do I find out?", False),
        ("How do I go about getting my phone back from the property room?", False),
        ("Me llegó una multa y no era yo, ¿a dónde voy para pelearla?", False),
    ],
)
def test_round_39_second_broad_review_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        ("RIP I guess, but good riddance to one more", True),
        ("Ni sus perros se van a salvar cuando llegue el día", True),
        ("Schweine, alle zusammen", True),
        ("Good riddance to the old parking rules, finally", False),
        ("Ni sus mamás se salvan de llorar en la graduación jaja 😭", False),
    ],
)
def test_round_39_second_broad_review_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_39_second_broad_review_menace_and_memorials() -> None:
    assert flags.menaces(
        "Where does the sheriff live? asking so I can bring my complaints directly"
    )
    assert flags.logistics_only("¿A qué hora es la misa para el deputy Treviño? ¿En qué iglesia?")
    assert flags.logistics_only("What's the address for the memorial service?")
    assert not flags.logistics_only("What church does Deputy Treviño go to on Sundays?")


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39's review of the whole diff: thanks after a pay question is no joke, a
        # department's or a recruiter's handle is no friend, a second question in "you" asks
        # the department, a position closed or a speeding ticket asked about joining, an open
        # house's tickets and fireworks, an officer sent to a career day, financing asked,
        # a call back needed, part-time, perfect eyesight, asking "for a friend 🤔",
        # harassment training, "Seriously," mid-comment, what the pay "is".
        ("What's the starting pay? Thank you!", True),
        ("@HarrisCountySO are you still hiring?", True),
        ("@Austin Police are you still hiring dispatchers?", True),
        ("@Jenny did you see this? do you need a degree to apply?", True),
        ("@Jenny did you see this, is there an age limit to apply", True),
        ("Is the dispatcher position still closed?", True),
        ("Do y'all hire people who got a speeding ticket?", True),
        ("How do I get a ticket for the open house?", True),
        ("Can you send an officer to our school career day?", True),
        ("Is financing available for the academy tuition?", True),
        ("I applied for dispatcher, need someone to call me back", True),
        ("Do your part-time dispatchers get benefits", True),
        ("Is perfect eyesight required for the academy", True),
        ("Do you accept applicants with tattoos? Asking for a friend 🤔", True),
        ("Is harassment training part of the academy?", True),
        ("Love the video! Seriously, what's the starting pay for dispatchers?", True),
        ("This is fire. need to know what the pay is for year one", True),
        ("¿Y el sueldo?", True),
        ("Is this inbox even monitored? emailed recruiting twice", True),
        # ... and not: a media interview, applications awaited to open, thanks for following
        # up with families, knowing whom to call for help.
        ("Vi la entrevista del sheriff en las noticias y nada, puras mentiras", False),
        (
            "Still waiting for applications to open for the academy, this department is a joke",
            False,
        ),
        ("Thanks to the recruiting team for following up with the cadets' families", False),
        ("Now I know who I should call when I need help. Thank you academy class 45!", False),
    ],
)
def test_round_39_diff_review_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead


def test_round_39_diff_review_applicants_threats_and_safety() -> None:
    # "Now I'm a bit frustrated" and a job taken "while I wait" have not moved on; a clean
    # record is no other business's status.
    assert flags.applicant_asks(
        "Applied 4 months ago and still no call back. Now I'm a bit frustrated, who do I contact?"
    )
    assert flags.applicant_asks(
        "I took a job at Walmart while I wait. Applied in March, nothing since"
    )
    assert flags.applicant_asks(
        "My application has been under review since March and my record is clean."
    )
    # Threat rows whose key words once missed their own wording, and their look-alikes.
    assert flags.is_hostile("The lake is real deep, they never find anybody")
    assert flags.is_hostile("Ojalá el próximo carro no los vea")
    assert flags.is_hostile("Keep posting your face, makes it way easier for us")
    assert flags.is_hostile("Les vamos a dar en la madre afuera de la academia")
    assert not flags.is_hostile("Good riddance to one more crooked cop, glad the DA charged him")
    assert not flags.is_hostile("Hace un calor en el desfile, ni los perros se salvan")
    assert not flags.is_hostile(
        "The death benefit won't even cover the funeral. Shameful how the city treats its officers"
    )
    # Thanks in person is no menace; another's address after one's own son is exposure; a
    # truck "with his truck" is still his; a widow's street is no memorial's logistics.
    assert not flags.menaces(
        "What station does Officer Reyes work at? Asking so I can thank him in person, "
        "he saved my son"
    )
    assert flags.is_safety(
        "Proud of my son in the academy, I know where he lives lol. Now post her home address"
    )
    assert flags.is_safety("Saw the deputy on the right with his truck at the Walmart on 5th lol")
    assert not flags.logistics_only(
        "When's the funeral for Deputy Trevino? Also where does his widow live now, what street"
    )


def test_round_39_help_with_a_car_and_the_pay_as_a_jab() -> None:
    # Help given with someone's car names no car to find; a car seen "with his truck" still
    # does. "¿Y la paga? Con eso no alcanza..." asks nothing plainly.
    assert not flags.is_safety("officer Pettway helped my mama with her car on Baseline")
    assert flags.is_safety("Saw the deputy with his truck at the Walmart on 5th")
    assert not flags.stays_a_lead("¿Y la paga? Con eso no alcanza ni para la renta")
    assert flags.stays_a_lead("Y el sueldo? Porque en el post no dice nada")


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        # Round 39, from heldout72 to heldout75 (scored blind, then read), in other words:
        # harm regretted as too little, a K9 hoped to turn on its handler, heads on a swivel,
        # Arabic "your day is coming"; not "nobody deserves to get hurt".
        ("Shame it wasn't worse honestly", True),
        ("Hope the dog bites its handler one day", True),
        ("These rookies better keep their heads on a swivel around here", True),
        ("يومك جاي", True),
        ("Not a fan of cops but nobody deserves to get hurt at work, heal up", False),
        ("Keep your head on a swivel in traffic, recruits, drivers are crazy", False),
    ],
)
def test_round_39_read_blind_files_72_to_75_threats(text: str, hostile: bool) -> None:
    assert flags.is_hostile(text) is hostile


def test_round_39_get_well_wishes_and_menace_after_naming() -> None:
    # A wish that an injured officer gets well is no threat for the layer either; an ill wish
    # beside it is.
    assert flags.wishes_well("Get well soon bro, your son is gonna be a cop like you one day")
    assert flags.wishes_well("que se mejore pronto, esa familia lo necesita")
    assert not flags.wishes_well("Get well soon in advance 💐🚑")
    assert not flags.wishes_well("Hope he never gets well")
    [wished] = triage(
        ["Hope you're back on your feet soon. To the commenters wishing him harm, grow up"]
    )
    assert HOSTILE not in wished.flags
    # Menace after naming or exposing an officer.
    assert flags.menaces("Her name tag says R. Salinas. remember that name")
    assert flags.menaces("Name tapes are readable. Screenshotted. Welcome to the list")
    assert flags.menaces("Mekonnen, your mom still on Dayton St? tell her we said hi")
    assert not flags.menaces("That's Officer Carrasco, he goes to my gym. Tell him I said hi lol")


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # Round 39, from heldout72 to heldout75's lost leads, in other words: a status "in
        # review" since, the hiring process waited on, the site one applies on down, a
        # "Question:" put plainly, a packet being sent, silence after an interview, a
        # recruiter's promise unkept, one's height; not a question said to be no recruiting
        # one, nor patrols asked for.
        ("Been 'pending' since March. Emailed twice. What is the hold up", True),
        ("Llevo 3 meses esperando en el hiring process y nadie contesta", True),
        ("Y'all say apply online but the portal has been down all week", True),
        ("Question: can you apply while still on active duty?", True),
        ("Heard good things about the new chief. Sending my packet this week", True),
        ("Applied in May, got an interview, then silence.", True),
        ("The recruiter said someone would call me. Nobody called.", True),
        ("I'm 5'0, is that too short for patrol", True),
        ("Legal question not recruiting related: do passengers have to show ID?", False),
        (
            "Cars keep getting broken into at our church lot, can we get more patrols on Sundays?",
            False,
        ),
        # ... but a question said to be off topic that asks about joining still asks.
        ("Off topic but how old do you have to be to apply?", True),
        ("Random question: do you hire people with tattoos?", True),
    ],
)
def test_round_39_read_blind_files_72_to_75_leads(text: str, lead: bool) -> None:
    assert flags.needs_reply(text) is lead
