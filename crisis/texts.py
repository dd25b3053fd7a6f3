"""The lines crisis mode adds to the coordinator's message, one per outcome: what happened to
this citizen's booking, and only the answers the SMS dialog will then carry out for them.

An outcome is (what happened, which other way of meeting the place still offers, the kind of
place). The keywords each line mentions are listed beside it (KEYWORDS), and
tests/crisis/test_crisis_texts_keywords.py sends every one of them through the dialog for a
recipient of that outcome. GSM-7 only, like sms/texts.py."""

from sms import gsm
from sms import texts as sms_texts

from . import translations

# outcome[:extra] -> text. outcome: video, phone, cancelled (a place with no remote help),
# cancelled_meeting (a caseworker meeting), closed / closed_meeting (a "close" action),
# restored, stays, stays_fixed, reopened, reopened_meeting. extra: the other remote mode the
# place offers ("video:phone": moved to video where phone is offered too). A caseworker
# meeting's and an IT-café's video lines say where the link comes: the reminders carry it
# (meetings/texts.py, sms/texts.video_line); the room is made as the booking is switched.
LINES = {
    "da": {
        "video": "Din tid bliver et videomøde, linket kommer i påmindelsen før tiden. Svar AFBUD hvis du ikke kan.",
        "video:phone": "Din tid bliver et videomøde, linket kommer i påmindelsen før tiden. Svar TELEFON hvis du hellere vil ringes op, AFBUD hvis du ikke kan.",
        "video_meeting": "Dit møde bliver et videomøde, linket kommer i påmindelsen før mødet. Svar AFBUD hvis du ikke kan.",
        "video_meeting:phone": "Dit møde bliver et videomøde, linket kommer i påmindelsen før mødet. Svar TELEFON hvis du hellere vil ringes op, AFBUD hvis du ikke kan.",
        "phone": "Din tid bliver en telefonsamtale: vi ringer dig op på dette nummer. Svar AFBUD hvis du ikke kan.",
        "phone:video": "Din tid bliver en telefonsamtale: vi ringer dig op på dette nummer. Svar VIDEO hvis du hellere vil have video, AFBUD hvis du ikke kan.",
        "cancelled": "Vi kan ikke hjælpe på video eller telefon der, så din tid er aflyst. Svar TID for at finde en anden tid eller et andet sted.",
        "cancelled_meeting": "Vi kan ikke holde mødet på video eller telefon, så det er aflyst. Vi kontakter dig om en ny tid.",
        "closed": "Din tid er derfor aflyst. Svar TID for at finde en anden tid eller et andet sted.",
        "closed_meeting": "Dit møde er derfor aflyst. Vi kontakter dig om en ny tid.",
        "restored": "Din tid er igen med fremmøde som før. Svar AFBUD hvis du ikke kan.",
        "stays": "Din tid forbliver som aftalt i krisen. Svar FREMMØDE hvis du hellere vil møde op, AFBUD hvis du ikke kan.",
        "stays_fixed": "Din tid forbliver som aftalt i krisen. Svar AFBUD hvis du ikke kan.",
        "reopened": "Vi har åbent igen. Svar TID for at finde en ny tid.",
        "reopened_meeting": "Vi har åbent igen. Vi kontakter dig om en ny tid.",
    },
    "en": {
        "video": "Your time becomes a video meeting, the link comes in the reminder before it. Reply AFBUD if you cannot come.",
        "video:phone": "Your time becomes a video meeting, the link comes in the reminder before it. Reply TELEFON if you prefer a phone call, AFBUD if you cannot come.",
        "video_meeting": "Your meeting becomes a video meeting, the link comes in the reminder before it. Reply AFBUD if you cannot come.",
        "video_meeting:phone": "Your meeting becomes a video meeting, the link comes in the reminder before it. Reply TELEFON if you prefer a phone call, AFBUD if you cannot come.",
        "phone": "Your time becomes a phone call: we call you on this number. Reply AFBUD if you cannot make it.",
        "phone:video": "Your time becomes a phone call: we call you on this number. Reply VIDEO if you prefer video, AFBUD if you cannot make it.",
        "cancelled": "We cannot help by video or phone there, so your time is cancelled. Reply TID to find another time or place.",
        "cancelled_meeting": "We cannot hold the meeting by video or phone, so it is cancelled. We will contact you about a new time.",
        "closed": "So your time is cancelled. Reply TID to find another time or place.",
        "closed_meeting": "So your meeting is cancelled. We will contact you about a new time.",
        "restored": "Your time is in person again as before. Reply AFBUD if you cannot come.",
        "stays": "Your time stays as agreed during the crisis. Reply FREMMØDE to come in person instead, AFBUD if you cannot come.",
        "stays_fixed": "Your time stays as agreed during the crisis. Reply AFBUD if you cannot come.",
        "reopened": "We are open again. Reply TID to find a new time.",
        "reopened_meeting": "We are open again. We will contact you about a new time.",
    },
}

# The dialog keywords each line promises (tests answer every one for every recipient).
KEYWORDS = {
    "video": ["AFBUD"],
    "video:phone": ["TELEFON", "AFBUD"],
    "video_meeting": ["AFBUD"],
    "video_meeting:phone": ["TELEFON", "AFBUD"],
    "phone": ["AFBUD"],
    "phone:video": ["VIDEO", "AFBUD"],
    "cancelled": ["TID"],
    "cancelled_meeting": [],
    "closed": ["TID"],
    "closed_meeting": [],
    "restored": ["AFBUD"],
    "stays": ["FREMMØDE", "AFBUD"],
    "stays_fixed": ["AFBUD"],
    "reopened": ["TID"],
    "reopened_meeting": [],
}


def key(outcome: str, extra: str = "") -> str:
    """The line for an outcome; `extra` the other remote mode the place offers, if any."""
    return f"{outcome}:{extra}" if extra else outcome


# Said above the Danish message in an English text when the coordinator wrote no English one.
STANDARD_EN = "Message from {org} about the crisis:"

# Room for the sender ("Digihjælp: "), the longest line, a line break and the standard line
# of an English text in four GSM-7 segments (612 septets).
INTRO_MAX = (
    612
    - gsm.septets(sms_texts.SENDER_PREFIX)
    - max(gsm.septets(line) for lang in LINES.values() for line in lang.values())
    - 1
    - 64
)

# The citizens' other languages (drafts, crisis/translations.py): the coordinator writes in
# Danish and English only, so those citizens get a line in their language saying who writes,
# the English message if there is one (else the Danish), and their outcome in their language.
LINES.update(translations.LINES)
# What a whole crisis text (sender, message, line) may cost: four GSM-7 segments, and in a
# UCS-2 language the same room in 67-character parts.
SEGMENTS = 4
SEGMENTS_UCS2 = 9
STANDARD = {"en": STANDARD_EN, **translations.STANDARD}


def compose(
    *,
    outcome: str,
    extra: str = "",
    language: str,
    message: str,
    message_en: str = "",
    org: str = "",
) -> str:
    """The whole text for one outcome in the citizen's language: the coordinator's message
    (English if they wrote one, else a standard English line above the Danish), then the line
    for the outcome."""
    language = sms_texts.sms_language(language)
    if language not in LINES:
        language = "da"
    intro = message
    if language == "en":
        intro = message_en or f"{STANDARD_EN.format(org=sms_texts.shorten(org, 30))}\n{message}"
    elif language != "da":
        standard = STANDARD[language].format(org=sms_texts.shorten(org, 30))
        intro = f"{standard}\n{message_en or message}"
    return f"{intro}\n{LINES[language][key(outcome, extra)]}"
