"""Text messages to volunteers and coordinators, in Danish and English. Like sms.texts they stay
inside the GSM-7 alphabet and a fixed segment budget (tests/volunteers/test_texts.py renders
each with worst-case values); names and places we do not control are cleaned and shortened."""

from sms import texts as sms_texts

NAME_MAX = 20
PLACE_MAX = 28

BUDGET = {
    "login_code": 1,
    "invite": 2,
    "invite_request": 2,
    "invite_accepted": 2,
    "callout": 1,
    "callout_won": 1,
    "callout_taken": 1,
    "callout_already_yours": 1,
    "drop_alert": 2,
    "gap_alert": 1,
    "callout_filled": 1,
}

TEXTS = {
    "da": {
        "login_code": "Din kode til Digihjælp er {code}. Den virker i 10 minutter. Giv den ikke til andre.",
        "invite": "Hej {name}. {org} har oprettet dig som frivillig i Digihjælp. Se og tag vagter her: {link}",
        "invite_request": "Hej {name}. {org} vil gerne have dig som frivillig hos dem i Digihjælp. Svar JA inden {days} dage, hvis du vil. Ellers skal du ikke gøre noget.",
        "invite_accepted": "Tak, {name}! Nu er du også frivillig hos {org}. Se og tag vagter her: {link}",
        "callout": "Kan du tage {when} på {place}? Svar JA, hvis du kan tage vagten.",
        "callout_won": "Tak, {name}! Vagten {when} på {place} er din.",
        "callout_taken": "Tak! En anden frivillig har allerede taget vagten {when} på {place}. Du skal ikke gøre noget.",
        "callout_already_yours": "Du har allerede vagten {when} på {place}. Tak!",
        "drop_alert": "{name} har meldt fra {when} på {place}. {n} borgere er booket uden frivillig. Vi har spurgt de andre frivillige pr. SMS.",
        "gap_alert": "Ingen frivillig på vagt {when} på {place}. {n} borgere er booket. Se vagtplanen.",
        "callout_filled": "{name} har taget vagten {when} på {place}.",
    },
    "en": {
        "login_code": "Your Digihjælp code is {code}. It works for 10 minutes. Do not give it to anyone.",
        "invite": "Hi {name}. {org} has added you as a volunteer in Digihjælp. See and take shifts here: {link}",
        "invite_request": "Hi {name}. {org} would like you to volunteer with them in Digihjælp. Reply JA within {days} days if you want to. Otherwise you need not do anything.",
        "invite_accepted": "Thank you, {name}! You now also volunteer with {org}. See and take shifts here: {link}",
        "callout": "Can you take {when} at {place}? Reply JA if you can take the shift.",
        "callout_won": "Thank you, {name}! The shift {when} at {place} is yours.",
        "callout_taken": "Thank you! Another volunteer has already taken the shift {when} at {place}. You need not do anything.",
        "callout_already_yours": "You already have the shift {when} at {place}. Thank you!",
        "drop_alert": "{name} dropped the shift {when} at {place}. {n} citizens are booked with no volunteer. We have asked the other volunteers by SMS.",
        "gap_alert": "No volunteer on shift {when} at {place}. {n} citizens are booked. See the rota.",
        "callout_filled": "{name} has taken the shift {when} at {place}.",
    },
}


def render(key: str, language: str, **values) -> str:
    return TEXTS[sms_texts.language_of(language)][key].format(**values)


def name(value: str) -> str:
    return sms_texts.shorten(value or "", NAME_MAX)


def place(value: str) -> str:
    return sms_texts.shorten(value or "", PLACE_MAX)


def when(moment, language: str) -> str:
    return sms_texts.when(moment, sms_texts.language_of(language))


def place_of_occurrence(occurrence) -> str:
    return place(occurrence.session.get_parent().title)


def shift_values(occurrence, language: str) -> dict:
    return {
        "when": when(occurrence.starts_at, language),
        "place": place_of_occurrence(occurrence),
    }
