# ruff: noqa: E501  (regular-expression word lists read best one alternative group a line)
"""Comment triage in one step: stance, flags and language.

    from analysis.triage import triage
    [t] = triage(["¿Necesito ser ciudadano para aplicar?"])
    t.stance, t.score, t.flags, t.lang   # "neutral", 0.02, frozenset({"needs_reply"}), "es"

- ``stance``: the comment's stance toward the department or the post,
  ``supportive | neutral | critical``; ``score`` in [-1, 1] is
  P(supportive) - P(critical), so its size is also how sure the stance is.
  English and Spanish comments are read by the shipped sentiment models
  (:func:`analysis.sentiment.default_model`), adjusted by cue phrases that
  general tweets do not teach (thanks and pride, "killed it", slang praise and 🔥
  on one side; distrust, "good luck hiring", 🙄, lawsuits and criticism in slang
  on the other). Profanity used as an intensifier is left out of what the model
  reads, and sarcasm ("oh great, another ...") cancels the praise it wraps. Comments in other
  languages get their ``lang`` and the Spanish blend's lean (it reads
  multilingual subwords) with a score of low confidence, or "neutral" where it
  leans no way: a lean, never a confident misreading.
- ``flags``: a subset of ``needs_reply``, ``hostile``, ``safety`` and
  ``critical`` (the stance is critical); see :mod:`analysis.flags` for what
  the first three mean.
- ``lang``: ISO 639-1 code (:mod:`analysis.language`).

A learned layer (:mod:`analysis.triage_learned`) then reads every comment again
and adds the leads, threats and locating that the rules miss, and the stance
where it is sure; :func:`rule_triage` is the answer without it.

``Triage.sentiment`` is the older three-label view (critical -> negative,
supportive -> positive) that the engagement figures still count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np

from analysis import flags as rules
from analysis.language import detect
from analysis.sentiment import Sentiment, _model_file, default_model

Stance = Literal["supportive", "neutral", "critical"]
STANCES: tuple[Stance, ...] = ("critical", "neutral", "supportive")
NEEDS_REPLY, HOSTILE, SAFETY, CRITICAL = (
    rules.NEEDS_REPLY,
    rules.HOSTILE,
    rules.SAFETY,
    rules.CRITICAL,
)
FLAGS = frozenset({NEEDS_REPLY, HOSTILE, SAFETY, CRITICAL})
_AS_SENTIMENT = {"critical": "negative", "neutral": "neutral", "supportive": "positive"}

# How far one cue phrase moves the model's log-odds. A criticism cue outweighs a
# praise cue, so sarcasm ("great job, another lawsuit") reads as critical.
_SUPPORT_WEIGHT = 1.8
_CRITICISM_WEIGHT = 2.3
# A plain question leans neutral unless it carries praise or criticism.
_QUESTION_NEUTRAL = 2.0
# Without any cue the model must be surer to call a comment supportive or critical:
# general tweets teach it that "Shared" or "Ok" lean one way, comments do not.
_NO_CUE_NEUTRAL = 0.5
# The hostile model (analysis.train_hostile) flags an English comment the rules missed
# only when it is this sure, the comment shows no praise and it is aimed at a person
# ("you", "he", "Officer Grant"), not only at the department: general offensive-language
# data scores "this department is a dumpster fire" and "damn those recruits look sharp
# as hell" above 0.9. Chosen on the dev part of tests/data: below it, sharp criticism
# ("the chief is a disgrace") starts to be flagged.
HOSTILE_MODEL_THRESHOLD = 0.9
_SHORT_NEUTRAL = 1.0
# A tagged friend told to apply ("@sam this is you, sign up") is encouragement.
_TAG_ENCOURAGEMENT = re.compile(
    r"^\W*@\w+.*\b(?:you should|you'?d be|you would be|this is you|go for it|do it|sign up|apply)\b"
)

_SUPPORTIVE = re.compile(
    r"(?<![\w])(?:"
    r"thank(?:s| you| u)|thx|ty|grateful|gratitude|appreciat\w*|proud|congrat\w*|well done|"
    r"(?:great|good|nice|amazing|awesome|fantastic|excellent|outstanding|incredible) "
    r"(?:job|work|team|people|department|dept|crew|group|officers?|event|opportunity|"
    r"program|post|video|photo|pic|time|turnout|class|men and women|folks|guys|cause)|"
    r"awesome|amazing|fantastic|outstanding|excellent|wonderful|beautiful|inspir\w*|"
    r"love (?:this|it|you|our|my|the|that|seeing|these)|loved|lovely|"
    r"nothing but (?:love|respect|praise|good)|mvps?|top (?:tier|notch)|slaps|so worth it|"
    r"(?:wants?|wanna) (?:to )?be (?:a |an )?(?:cop|officer|deputy|dispatcher|trooper)|a killer at|"
    r"kudos|props to|way to go|so cool|cool (?:video|pic|photo|event|stuff)|yay+|woo+hoo+|go team|my hero|"
    r"^(?:great|nice|cool|awesome|amazing|wow|sweet|love it)\W*$|🥹|🫡|✨|😎|🥳|🎉|"
    r"me encanta\w*|genial|exitos?|buenisim\w*|super bien|hermos[oa]|lind[oa]|"
    r"killing it|crushing it|next level|slaying|shout ?out|solid (?:crew|team|people|group)|"
    r"made (?:his|her|my|our|their) (?:whole )?(?:day|week|year)|gave me chills|represent|"
    r"(?:great|amazing|awesome|wonderful|fantastic|excellent|incredible) [a-z]+|"
    r"(?:i'?d|would) die for (?:this|that|the|a) (?:job|badge|team|department|career)|dying to (?:join|apply|be)|"
    r"killed it|crushed it|nailed it|rock(?:s|ed)? |heroe?s?|hats off|done right|kind(?:est|ness)|"
    r"friendly|bomb(?! threat)|dope|lit|goat|🐐|legend(?:ary)?|beast|badass|sick (?:video|footage|shot|pic)|"
    r"bless\w*|stay safe|be safe|"
    r"kind (?:people|officers?|man|woman|words|of you|souls?)|so kind|helpful|"
    r"helped (?:my|me|us|our|him|her|them)|best (?:department|agency|decision|job|team|thing|career)|"
    r"(?:highly )?recommend|you got this|go get (?:it|em|them)|good luck(?! (?:hiring|with that|finding|recruiting|getting))|"
    r"welcome (?:aboard|to the)|so happy|excited|can'?t wait|dream job|salute|respect|honou?r(?:ed)?|"
    r"sign me up|count me in|let'?s go+|keep (?:it )?up|support (?:you|our|the)|we support|"
    r"back the blue|thin blue line|brave|dedicat\w*|thank(?:ful)? for your service|"
    r"great (?:to see|seeing)|glad|happy to|love to see|can'?t say enough|top notch|"
    r"gracias|orgullo\w*|felicidades|felicitaciones|excelente|bendicion\w*|bendiga|"
    r"cuidense|buen trabajo|gran trabajo|los queremos|heroes|valientes|amables|ayudaron|"
    r"bravo|admir\w*|apoyo|apoyamos|increible|maravillos\w*|lo maximo|animo|mucha suerte|"
    r"adelante|que (?:bien|buen|bueno|padre|chido|bonito|lindo|hermoso)|"
    # Praise in slang and in the profanity of enthusiasm ("this goes hard", "clean af",
    # "worked their asses off", "hell yeah", "big W", "se rifaron").
    r"go(?:es|ing)? (?:so )?hard|went (?:crazy|off|hard|all out)|(?:gone|going|went) crazy with|goated|a (?:whole )?vibe|"
    r"wholesome|(?:looking|look|looks|looked) (?:so )?(?:good|sharp|clean|fresh|great|professional)|sharp as|"
    r"clean af|unreal|(?<!sick )sick(?! of| and tired| people| to my stomach| day| leave| call| note)|"
    r"(?:hell|heck|fuck|fuckin|fucking|hells) (?:yeah|yes|ya|yea)|big w\b|^w\b|no cap|realest|real ones?|"
    r"stoked|pumped|hyped|(?:freaking|fricking|friggin|so) (?:cool|awesome|amazing|great|proud)|made me (?:cry|tear up|smile|emotional)|"
    r"tear(?:ed|ing)? up|worked (?:their|his|her|my|our|your) (?:asses|butts|tails|ass|butt) off|"
    r"deserves? (?:a raise|a promotion|a medal|an award|the world)|good sports?|10/10|hits? different|"
    r"chingon\w*|chid[oa]s?|se (?:rifaron|lucieron|la rifaron)|(?:los|las) mejores|bien hecho|padrisim\w*|a toda madre|"
    r"de lujo|al pendiente|chevere|"
    # Thanks told as a story of a bad night ("they kept me calm on the worst night of my
    # life", "talked my son through a panic attack", "I'll never forget it").
    r"kept (?:me|us|him|her|them|my \w+) (?:calm|safe|company)|talked (?:me|us|him|her|them|my \w+) (?:through|down)|"
    r"(?:sat|stayed|waited) with (?:me|us|my|him|her)|(?:i'?ll|i will|we'?ll|we will) never forget|"
    r"went (?:above and beyond|out of (?:his|her|their|your) way)|checked (?:on|in on) (?:me|us|my)|"
    r"best (?:\w+ )?(?:event|day|thing|part|instructors?|officers?|cops?|people|class|video|post|ever|experience|teacher|mentor|coach|crew)\b|"
    # Pointing out one's own in the photo, people praised as a kind ("class acts", "a
    # gem", "good man"), doing it right, wanting more of them, being moved.
    r"that'?s my (?:girl|boy|son|daughter|husband|wife|brother|sister|baby|kid|nephew|niece|cousin|dad|mom|man|guy|grandson|granddaughter)\b|"
    r"my (?:little |baby |big )?(?:brother|sister|son|daughter|boy|girl|nephew|niece|cousin|grandson|granddaughter) (?:in|on) the (?:back|front|left|right|middle|first|second)|"
    r"class acts?|(?:a|such a|real|total) (?:gem|treasure|blessing|asset)|good (?:man|woman|men|women|people|guy|guys|dude|egg|human|soul|souls|cop|cops|officer|officers)\b|"
    r"(?:the right way|doing (?:things|it) right|gets it\b)|what a (?:crew|team|group|bunch|class|day|turnout|squad)|"
    r"keep doing what (?:you|y'?all|u) do|keep up the good|here for (?:it|this)\b|i'?m here for|impress\w*|chills|"
    r"(?:heart|hearts) (?:full|is full|melt\w*|swell\w*)|makes? my heart|make (?:this|the|our) (?:city|town|community|world) better|"
    r"(?:people|officers|folks|ones|cops) i want (?:patrolling|protecting|watching|serving|on|in|answering)|"
    r"(?:hasn'?t|has not|can'?t|haven'?t) stop(?:ped)? (?:talking|smiling|watching)|looking forward to|"
    r"que gusto|mis respetos|dios (?:los|les|te) (?:cuide|bendiga|proteja|acompane)|asi se hace|gente de verdad|"
    r"(?:le|les) echaron (?:muchas )?ganas|siempre atentos|"
    r"professional\w*|(?:is|are|was|were) the reason (?:i|we|my)|(?:wants?|wanna) (?:to )?be (?:like )?(?:you|one of you)\b|"
    r"went (?:way |so far |far )?(?:beyond|above)|(?:the )?right (?:call|move)|good call|smart move|"
    r"(?:actually|really|truly|genuinely) care|tremendo|sigan (?:asi|adelante)|"
    r"remembered (?:my|our|his|her)\b|(?:so much|such|with) (?:patience|care|grace|compassion|respect)|"
    r"changed (?:that|it|everything) for (?:me|us)|changed my (?:mind|view|life|perspective|opinion)|tough as nails|"
    r"(?:un )?aplausos?|da gusto|profesional\w*|"
    # Praise without a stock word: "this is how you do it", "(it) feels human", "more
    # of these please", "convinced me", records beaten, "slayed", "se la rifó".
    r"(?:this|that) is how (?:you|it'?s) do(?:ne)?\b|how it'?s done|feels? (?:so )?(?:human|real|genuine|authentic)|"
    r"more of (?:these|this)\b(?! (?:bs|nonsense|propaganda|garbage|crap))|(?:convinced|sold) me\b|"
    r"beat (?:the|his|her|their|a|my) (?:\w+ )?record|slay(?:ed|s)?\b|se la (?:rifo|rifaron)|se (?:rifo|lucio)|que emocion|me encant\w*|famous now|"
    r"❤|♥|💙|💪|🙏|👏|🔥|🇺🇸|😍|🥰|👍|💯|🙌|😊|🤩|⭐|🚓"
    r")"
)
_CRITICAL = re.compile(
    r"(?<![\w])(?:"
    r"nobody (?:trusts|believes|likes|wants)|no one (?:trusts|believes|likes|wants)|"
    r"(?:don'?t|can'?t|never|won'?t|wouldn'?t) (?:trust|recommend|join|apply|believe)|"
    r"good luck (?:hiring|with that|finding|recruiting|getting)|defund|corrupt\w*|"
    r"brutal\w*|abus\w*|racis\w*|lawsuits?|settlements?|cover[- ]?ups?|shame\w*|disgrac\w*|"
    r"embarrass\w*|pathetic|a joke|what a joke|waste|taxpayer|accountab\w*|resign|"
    r"worst (?!night|day|moment|time|week|year|of my)|terrible|horrible|awful|useless|incompetent|lazy|never (?:showed|came|respond|"
    r"answer|call|show)\w*|took (?:hours|forever|days)|where were you|harass\w*|profil(?:e|ing)|"
    r"maybe (?:fix|train|stop|start|focus|try|hire better|spend|clean|pay)|(?:fix|train|clean up) \w+ \w* ?first|"
    r"exactly what .{0,25}(?:doesn'?t|don'?t) need|(?:doesn'?t|don'?t) need (?:more|another)|"
    r"why (?:are|do|is|does|would) (?:you|they|y'?all|the (?:department|city|chief))\b.{0,40}\b(?:when|while|instead)|"
    r"what about (?:the )?(?:budget|lawsuits?|victims?|accountability|body ?cams?|the (?:officer|cop) who)|"
    r"suck(?:s|ed)?|trash|garbage|smh|nope|bs|bullshit|"
    r"que mal|malisim\w*|pura mentira|mentira|mienten|injust\w*|valen madre|ni madres|no gracias|"
    r"believe it when i see it|all talk|read the room|yikes|tased|pepper[- ]?spray\w*|"
    r"(?:wouldn'?t|would never|won'?t) let my (?:son|daughter|kids?|child)|mejor arreglen|arreglen (?:las|los)|"
    r"not (?:a )?(?:great|good) look|not great|"
    r"(?:been|is|was) down for|keeps crashing|still broken|"
    r"unarmed|nobody (?:ever )?(?:called|calls|answers|answered|responded|replied|got back)|"
    r"doesn'?t change (?:anything|a thing)|nothing (?:ever )?changes|pr stunt|nice pr|photo op|"
    r"unarmed|murder\w*|killers?(?! at)|no thanks|hard pass|not a chance|propaganda|understaffed|"
    r"quit(?:ting)?|nobody wants|no one wants|who would want|do better|disappoint\w*|"
    r"tired of|fed up|yeah right|sure jan|/s|lol ok|ok sure|not impressed|no respect|"
    r"lied|liars?|lying|power[- ]trip\w*|bully|bullies|thugs?|fascis\w*|police state|"
    r"militariz\w*|overpaid|pay cuts? for|rather not|why should|stop (?:harass|kill|lying)|"
    # Criticism in slang and without a stock word ("copaganda", "mid", "ratio", "aged
    # badly", "spend the money on ... instead", "still waiting on", "not a single officer").
    # Demands to dismantle, process complaints, sarcasm by contrast ("'make a difference'
    # says the department that ..."), morale, self-policing, waits counted in months.
    r"abolish\w*|disband\w*|fire (?:the|that|this|your|every|all) (?:\w+ ){0,2}(?:chief|sheriff|captain|officers?|cops?|deputy|deputies|sergeant|commissioner|recruiters?|lot|staff|brass|leadership|administration|command)\b|"
    r"black hole|never (?:heard|got) (?:anything )?back|ghosted|says the (?:department|city|agency|force|police|chief|same|sheriff)\b|so much for\b|"
    r"imagine (?:bragging|thinking|being proud|posting|calling)|mental gymnastics|investigates? (?:itself|themselves)|polic(?:e|es|ing) (?:itself|themselves)|"
    r"morale\b.{0,25}\b(?:basement|low|gone|tanked|toilet|dead|rock bottom)|(?:been )?waiting (?:\d+|two|three|four|five|six|several|many) (?:weeks|months|years)\b|"
    r"crash(?:es|ed)? every|every single time|nobody (?:\w+ ){1,3}wants|lo mismo de siempre|cero (?:rendicion|transparencia|confianza|resultados)|"
    r"llevo (?:\w+ ){1,2}(?:meses|semanas|anos) esperando|nadie me (?:dice|contesta|responde)|(?:mismo|misma) (?:esfuerzo|energia|ganas) (?:en|para)|"
    r"copaganda|acab\b|1312\b|cringe\w*|mid\b|ratio(?:ed)?\b|^l\b|big l\b|l (?:department|dept|video|post|take|agency)\b|"
    r"aged (?:badly|poorly|like milk)|bold\.|wonder why|spend (?:the|that|this|your|our) money on|instead\W*$|"
    r"fix (?:that|this|it|your \w+) (?:before|first)|still (?:has no|no|haven'?t (?:gotten|got|had)) (?:answer|response|reply|call)|"
    r"still waiting (?:on|for)|not (?:a single|one) (?:officer|cop|deputy|person|patrol)|"
    r"nobody (?:picks up|answers|shows up|showed up|came)|"
    r"(?:with|on) my (?:property )?tax(?:es| dollars| money)|tax dollars|"
    r"ya ni\b|pur[oa] (?:facebook|foto|pose|publicidad)|nunca contestan|lastima que|"
    # Waiting, promises kept from us, bad timing, a refusal ("I'll pass", "lol no").
    r"same (?:video|post|thing|ad|photo) (?:from|as) last|recycled|this is what we get|what we get for|tax(?: bill|es)? went up|"
    r"(?:call|talk to|tell) me when (?:you|y'?all|they)|make it make sense|won'?t help if|doesn'?t help if|"
    r"anything for (?:clicks|likes|views|attention)|mejor inviertan|inviertan en|"
    r"weird flex|(?:are|is|all) bots\b|fake (?:comments|likes|accounts)|say(?:s)? otherwise|tells? a different story|"
    r"still (?:waits?|waiting|no\b|nothing)|hard to (?:cheer|root|trust|believe|respect|support)|"
    r"maybe (?:answer|respond|return|reply|release|investigate|address|work on|hold)|tone[- ]deaf|out of touch|"
    r"^\W*(?:lol |lmao )?(?:no|nah|nope)\b(?! (?:cap|doubt|lie|lies|joke|kidding|way|problem|worries))|i'?ll pass(?! (?:it|this|that|the \w+) (?:along|on)| it| this| that| (?:along|on) )|^\W*pass\W*$|you lost me|not after (?:what|how|the)|"
    r"of all days|zero (?:accountability|trust|transparency|respect|credibility)|no accountability|scandal\w*|"
    r"primero que (?:atiendan|contesten|arreglen|resuelvan)|pura imagen|nada de resultados|olvidad[oa]s|"
    r"🙄|🤡|👎|😒|🤮|🖕|😡|🤬|"
    r"verguenza|corrupt\w*|prepotent\w*|nadie (?:confia|les cree|quiere)|no (?:confio|confiamos|"
    r"les creo)|racistas?|ladrones|rateros|mentiros\w*|inutiles|incompetentes|nunca (?:llegan|vienen|"
    r"responden|contestan)|peor|pesim\w*|desfinanci\w*|brutalidad|injusticia|asesin\w*|que asco|"
    r"ni loc[oa]|(?:jamas|nunca) trabajaria|siguen? igual|solo (?:protegen|les importa|sirven)|"
    r"solo saben|no protegen|no hacen nada|acos\w*|"
    r"grosero\w*|maltrat\w*|puro (?:show|cuento|teatro)|no cambia nada|no sirve(?:n)? de nada|"
    r"dan asco|payasos|burla|abusadores|mordida|soborno\w*|no sirven|"
    # Conduct named ("rude and unprofessional"), a dealbreaker, pay called a pittance,
    # people treated "like trash".
    r"priorities\W*$|(?:ok|okay) buddy|"
    r"rude|unprofessional|disrespectful|deal ?breaker|(?:es|son|pagan) una miseria|(?:como|like) (?:basura|trash|garbage|dirt|animals|criminals)"
    r")"
)


# Sarcasm: praise that opens onto a jab ("Oh great, another recruitment video", "that'll
# fix response times", "wow so inspiring. Now do the body cam footage", "can't wait to
# see this class on the news", "thrilled to pay for this 🙃"). The praise words are the
# jab's vehicle, so they count for nothing and the model's positive reading is damped.
_SARCASM = re.compile(
    r"(?<![\w])(?:"
    r"(?:that'?ll|that will|this will|that should|this should|that'?s gonna|this is gonna) (?:fix|solve|help)\b|"
    r"now do (?:the|a|one|your|something)\b|how (?:fast|quick\w*)\b.{0,50}\bhow slow|"
    r"can'?t wait to see\b.{0,40}\b(?:on the news|in court|sued|lawsuit|indicted)|"
    r"maybe (?:someone|somebody|they|you|y'?all)(?:'ll| will| could| would)? (?:finally|actually)\b|🙃|"
    r"^\W*(?:oh )?(?:great|wonderful|fantastic|perfect|cool|nice|wow|sure|amazing|lovely|awesome|love it)\W+"
    r"(?:another|more|just what|exactly what|because|so now)\b|"
    r"(?:sure|yeah|right),? because\b|si claro|good luck (?:hiring|recruiting|finding|filling (?:those|these|the|them|your)|getting (?:anyone|people|recruits))|good luck\W+(?:nobody|no one|you'?ll need it)|"
    r"^\W*(?:sure|yeah),? (?:join|apply|sign up|trust|smile)\b|love how (?:the|you|they|y'?all|this)\b.{0,40}\b(?:skip|ignor|leav|forg[eo]t|left out|don'?t|doesn'?t|never)|(?:muy|tan|que) (?:heroes|valientes)(?=\W*$)|cool cool cool|sure sure|nice try|"
    r"(?:morale|things|life|it) (?:must|sure must) be (?:great|amazing|awesome|fantastic|going great|so good)(?: over there| there| in there)?\W*$"
    r")"
)
# Courtesy inside a lead ("info would be appreciated", "thanks!") is not praise.
_COURTESY = re.compile(
    r"(?<![\w])(?:thank(?:s| you| u)|thx|ty|appreciat\w*|gracias|please|pls)(?![\w])"
)
_SARCASM_DAMPING = 3.0


@dataclass(frozen=True)
class Triage:
    """What a PIO needs to know about one comment."""

    stance: Stance
    score: float
    flags: frozenset[str]
    lang: str

    @property
    def sentiment(self) -> Sentiment:
        """The older three-label view: critical -> negative, supportive -> positive."""
        return Sentiment(_AS_SENTIMENT[self.stance], self.score)  # type: ignore[arg-type]


@cache
def hostile_model():
    """The offensive/hate model trained on TweetEval (OLID and HatEval), loaded once."""
    from analysis.sentiment_models.linear import LinearSentimentModel

    with resources.as_file(_model_file("hostile.npz")) as path:
        return LinearSentimentModel.load(path)


def hostile_probabilities(texts: Sequence[str]) -> np.ndarray:
    """P(hostile) of each text by the model alone (English text; no rules)."""
    return hostile_model().probabilities(list(texts))[:, 1]


# Profanity used as an intensifier ("holy shit this is sick", "clean af", "hell yeah",
# "worked their asses off") tells the general sentiment model "negative"; on comments
# it carries no stance of its own, so the model reads the comment without it. Insults
# keep their words (and the hostile rules read the original text).
_INTENSIFIERS = (
    (re.compile(r"\bholy (?:shit+|crap|fuck|cow)\b", re.IGNORECASE), "wow"),
    (re.compile(r"\b(?:fuck|hell|heck|hells)\s+(?=(?:yeah|yes|yea|ya)\b)", re.IGNORECASE), ""),
    (
        re.compile(
            r"\b(?:fuckin[g']?|freakin[g']?|frickin[g']?|friggin[g']?|effin[g']?|damn|bloody|hella)\s+(?=[a-z])",
            re.IGNORECASE,
        ),
        "",
    ),
    (re.compile(r"\s*\b(?:as (?:hell|fuck|shit|heck)|af+|asf)\b", re.IGNORECASE), ""),
    (
        re.compile(
            r"\b(?:their|his|her|my|our|your) (?:asses|butts|ass|butt|tails) off\b", re.IGNORECASE
        ),
        "hard",
    ),
    (re.compile(r"^\W*damn\b[,!. ]*", re.IGNORECASE), ""),
    # "killed it", "this post is fire": praise the model reads as violence.
    (
        re.compile(r"\b(?:killed|killin[g']?|crushed|slayed|smashed|nailed) it\b", re.IGNORECASE),
        "did great",
    ),
    (
        re.compile(r"\b(?:is|was|looks?|looked|goes|straight|pure|so) fire\b", re.IGNORECASE),
        "is great",
    ),
)


# One search decides whether any of the patterns above can apply (most comments swear not).
_INTENSIFIER_WORD = re.compile(
    r"\b(?:holy|fuck|hell|heck|hells|damn|bloody|hella|fuckin[g']?|freakin[g']?|frickin[g']?|friggin[g']?|effin[g']?|"
    r"af+|asf|as (?:hell|fuck|shit|heck)|asses|butts|ass|butt|tails|killed|killin[g']?|crushed|slayed|smashed|nailed|fire)\b",
    re.IGNORECASE,
)


def _without_intensifiers(text: str) -> str:
    if not _INTENSIFIER_WORD.search(text):
        return text
    for pattern, replacement in _INTENSIFIERS:
        text = pattern.sub(replacement, text)
    return text


def _cue_counts(plain: str) -> tuple[int, int]:
    return len(_SUPPORTIVE.findall(plain)), len(_CRITICAL.findall(plain))


def triage(texts: Sequence[str]) -> list[Triage]:
    """Stance, score, flags and language of each comment, in order.

    The rules' answer (:func:`rule_triage`), refined by the learned layer
    (:mod:`analysis.triage_learned`).
    """
    if isinstance(texts, str):
        raise TypeError("triage() takes a sequence of texts, not a single string")
    from analysis.triage_learned import refine

    texts = list(texts)
    return refine(texts, rule_triage(texts))


def rule_triage(texts: Sequence[str]) -> list[Triage]:
    """Stance, score, flags and language of each comment by the rules and models alone."""
    texts = list(texts)
    if not texts:
        return []
    langs = [detect(t) for t in texts]
    # Sentiment order is negative, neutral, positive: the same as critical, neutral, supportive.
    read = [
        _without_intensifiers(t) if lang == "en" else t
        for t, lang in zip(texts, langs, strict=True)
    ]
    logits = np.log(np.clip(default_model().probabilities(read, langs), 1e-6, 1.0))
    assessed = [rules.assess(t) for t in texts]
    cues = [_cue_counts(a.plain) for a in assessed]
    # The hostile model only decides English comments the rules left unflagged that show
    # no praise: elsewhere its answer could not change the result.
    candidates = [
        i
        for i, a in enumerate(assessed)
        if langs[i] == "en"
        and not a.hostile
        and not cues[i][0]
        and logits[i].argmax() != 2
        and rules.names_a_person(a.plain)
    ]
    p_hostile = np.zeros(len(texts))
    if candidates:
        p_hostile[candidates] = hostile_probabilities([texts[i] for i in candidates])
    results: list[Triage] = []
    for i, text in enumerate(texts):
        a = assessed[i]
        plain = a.plain
        support, criticism = cues[i]
        hostile = a.hostile or p_hostile[i] >= HOSTILE_MODEL_THRESHOLD
        safety = a.safety
        sarcastic = bool(_SARCASM.search(plain))
        lead = a.needs_reply and not hostile and not sarcastic
        if sarcastic:
            support, criticism = 0, criticism + 1
        elif lead:
            support = max(0, support - len(_COURTESY.findall(plain)))
        support += bool(_TAG_ENCOURAGEMENT.search(plain))
        criticism += a.rhetorical
        # Exposing an officer ("he lives on Maple", "plate ends in 472") rather than asking.
        criticism += safety and not rules.is_question(plain, text.lower())
        row = logits[i]
        known = langs[i] in ("en", "es")  # the cue phrases are English and Spanish
        if not (support or criticism) and known:
            row[1] += _NO_CUE_NEUTRAL
            if len(plain.split()) <= 3:
                # "Ok", "Shared", "Interesting video": too little to take a side.
                row[1] += _SHORT_NEUTRAL
        row[2] += _SUPPORT_WEIGHT * support
        row[0] += _CRITICISM_WEIGHT * criticism
        if sarcastic:
            row[2] -= _SARCASM_DAMPING
        if (lead or safety) and not (support or criticism):
            row[1] += _QUESTION_NEUTRAL
        if a.spam:
            row[:] = (-2.0, 0.0, -2.0)
        if hostile:
            row[0] = max(row[0], row[1], row[2]) + 2.0
        p = np.exp(row - row.max())
        p /= p.sum()
        stance = STANCES[int(p.argmax())]
        found = {
            name
            for name, on in (
                (NEEDS_REPLY, lead),
                (HOSTILE, hostile),
                (SAFETY, safety),
                (CRITICAL, stance == "critical"),
            )
            if on
        }
        score = float(np.clip(p[2] - p[0], -1.0, 1.0))
        results.append(Triage(stance, score, frozenset(found), langs[i]))
    return results
