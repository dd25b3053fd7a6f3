"""Polish SMS texts. DRAFT: written by the team, not yet reviewed by a native speaker."""

NAME = "Polski"
UCS2 = True  # ą, ę, ł, ś, ż … are outside GSM-7

TEXTS = {
    "confirmed": "Zarezerwowano {when}, {where}, {mode}. Nr {ref}. Odwołanie: ODWOŁAJ, inny termin: PRZENIEŚ.{link}",
    "cancelled": "Twój termin {when}, {place} jest odwołany. Wyślij TERMIN, by znaleźć nowy.",
    "moved": "Termin przeniesiony na {when}, {where}, {mode}. Nr {ref}.{link}",
    "mode_switched": "Spotkanie {when} jest teraz: {mode}. Nr {ref}.",
    "session_cancelled": "Przepraszamy, {place} {when} odwołane. Wyślij TERMIN.",
    "session_closed": "Przepraszamy, {place} {when} odwołane: {reason} Wyślij TERMIN.",
    "waitlist_offer": "Jest wolne miejsce: {place} {when}. Wyślij TAK do {expires}.",
    "reminder_day_before": "Przypomnienie: jutro {when}, {where}, {mode}. Nr {ref}. Nie możesz? Wyślij ODWOŁAJ.{link}",
    "reminder_before_start": "Przypomnienie: {when}, {where}, {mode}. Nie możesz? ODWOŁAJ.",
    "help": "TERMIN: wolne terminy (TERMIN 4021 lub TERMIN 8000 dla miejsca). ODWOŁAJ odwołuje. PRZENIEŚ daje nowe terminy. CZEKAM: lista oczekujących, STOP VENT by wyjść. WIDEO, TELEFON lub OSOBIŚCIE zmienia formę. DANSK po duńsku. STOP kończy SMS.",
    "offers": "Wolne terminy:\n{lines}\nWyślij numer, np. 1.",
    "move_offers": "Nowe terminy:\n{lines}\nWyślij numer, by przenieść.",
    "offer_line": "{n} {when} {place}",
    "slot_gone": "Przepraszamy, termin zajęty. Inne:\n{lines}\nWyślij numer.",
    "no_slots": "Brak wolnych terminów. Wyślij CZEKAM (lista oczekujących) lub POMOC.",
    "which_place": "Gdzie? Wyślij kod pocztowy lub kod miejsca, np. 8000 lub 4021.",
    "unknown_place": "Nie znamy {code}. Wyślij TERMIN i kod z plakatu, np. TERMIN 4021.",
    "no_such_offer": "Nie wysłaliśmy terminu nr {n}. Wyślij TERMIN.",
    "booked": "Zarezerwowano: {when}, {place}. Odwołanie: ODWOŁAJ.",
    "already_booked": "Masz już termin {when}, {place}. Odwołanie: ODWOŁAJ.",
    "cannot_book": "Tego terminu nie można teraz zarezerwować. Wyślij TERMIN.",
    "no_booking": "Nie masz u nas terminu. Wyślij TERMIN.",
    "cannot_change": "Terminu nie można teraz zmienić. Zadzwoń do miejsca.",
    "mode_not_offered": "Ten termin może być tylko: {modes}.",
    "mode_unchanged": "Spotkanie {when} jest już: {mode}.",
    "no_waitlist_offer": "Nie mamy teraz dla Ciebie oferty. Wyślij TERMIN.",
    "language_set": "OK, piszemy po polsku. Wyślij POMOC, by uzyskać pomoc.",
    "stopped": "Nie dostaniesz już SMS. Wyślij START, by znów dostawać.",
    "started": "Witamy ponownie. Znów dostaniesz SMS. POMOC - pomoc.",
    "waitlist_joined": "Jesteś na liście: {place} {when}. Napiszemy, gdy zwolni się miejsce. Wyjście: STOP VENT.",
    "waitlist_which_place": "Wyślij CZEKAM i kod z plakatu, np. CZEKAM 4021.",
    "waitlist_not_needed": "Są jeszcze wolne terminy. Wyślij TERMIN.",
    "waitlist_left": "Nie jesteś już na liście: {place} {when}.",
    "not_on_waitlist": "Nie jesteś na liście oczekujących. Wyślij TERMIN.",
    "use_afbud": "Aby odwołać termin, wyślij ODWOŁAJ. POMOC - pomoc.",
    "confirm_cancel": "Nie możesz przyjść? Wyślij ODWOŁAJ lub TAK, a odwołamy.",
    "hello": "Dzień dobry! TERMIN - wolne terminy, ODWOŁAJ lub POMOC.",
    "not_understood": "Nie zrozumieliśmy. Wyślij TERMIN lub POMOC.",
    "person_will_call": "Nie zrozumieliśmy. Pracownik wkrótce zadzwoni.",
    "person_will_call_again": "Pracownik wkrótce zadzwoni. POMOC - pomoc.",
    "video_link": "Twój termin {when} to spotkanie wideo. Link: {url}",
}

MODE_NAMES = {"in_person": "osobiście", "video": "wideo", "phone": "telefon"}
WEEKDAYS = ["pon", "wt", "śr", "czw", "pt", "sob", "nd"]
WHEN = "{day} {date} o {time}"
DEADLINE_TODAY = "{time} dziś"
DEADLINE_TOMORROW = "{time} jutro"

SWITCH_WORDS = ["polski", "polish", "polsk", "polsku"]
KEYWORDS = {
    "list": ["termin", "terminy", "rezerwuj", "zapisz"],
    "cancel": ["odwołaj", "anuluj"],
    "move": ["przenieś", "zmień"],
    "accept": ["tak"],
    "wait": ["czekam", "czekaj", "lista"],
    "help": ["pomoc"],
    "stop": ["stop"],
    "video": ["wideo"],
    "phone": ["telefon"],
    "in_person": ["osobiście"],
    "hello": ["cześć", "dzień", "witam"],
    "thanks": ["dziękuję", "dzięki"],
    "number": ["numer"],
}
CANNOT_COME = ["nie mogę przyjść", "nie przyjdę"]
