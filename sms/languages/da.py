"""Danish SMS texts (the reference)."""

NAME = "Dansk"
UCS2 = False

TEXTS = {
    "confirmed": "Du er booket {when} hos {where}, {mode}. Ref {ref}. Svar AFBUD for at melde afbud, FLYT for ny tid.{link}",
    "cancelled": "Din tid {when} hos {place} er aflyst. Svar TID for at finde en ny tid.",
    "moved": "Din tid er flyttet til {when} hos {where}, {mode}. Ref {ref}.{link}",
    "mode_switched": "Dit møde {when} er nu: {mode}. Ref {ref}.",
    "session_cancelled": "Beklager, {place} {when} er aflyst. Svar TID for at finde en ny tid.",
    "session_closed": "Beklager, {place} {when} er aflyst: {reason} Svar TID for en ny tid.",
    "waitlist_offer": "Der er en ledig plads: {place} {when}. Svar JA inden {expires} for at få den.",
    "reminder_day_before": "Husk din tid i morgen {when} hos {where}, {mode}. Ref {ref}. Kan du ikke komme? Svar AFBUD.{link}",
    "reminder_before_start": "Husk din tid {when} hos {where}, {mode}. Svar AFBUD hvis du ikke kan.",
    "help": "Svar TID for ledige tider (TID 4021 eller TID 8000 for et sted). AFBUD melder afbud. FLYT giver nye tider. VENT: venteliste, STOP VENT forlader den. VIDEO, TELEFON eller FREMMØDE skifter mødeform. ENGLISH for engelsk. STOP afmelder SMS.",
    "offers": "Ledige tider:\n{lines}\nSvar med tallet, fx 1.",
    "move_offers": "Nye tider:\n{lines}\nSvar med tallet for at flytte din tid.",
    "offer_line": "{n} {when} {place}",
    "slot_gone": "Beklager, den tid blev taget. Andre tider:\n{lines}\nSvar med tallet.",
    "no_slots": "Der er ingen ledige tider lige nu. Svar VENT for at komme på venteliste, eller HJÆLP.",
    "which_place": "Hvor? Svar med postnummer eller stedets kode, fx 8000 eller 4021.",
    "unknown_place": "Vi kender ikke {code}. Skriv TID og koden fra plakaten, fx TID 4021.",
    "no_such_offer": "Vi har ikke sendt dig tid nr. {n}. Svar TID for at se ledige tider.",
    "booked": "Du er booket: {when} hos {place}. Svar AFBUD for at melde afbud.",
    "already_booked": "Du har allerede en tid {when} hos {place}. Svar AFBUD for at melde afbud.",
    "cannot_book": "Den tid kan ikke bookes nu. Svar TID for at se andre tider.",
    "no_booking": "Du har ingen tid hos os. Svar TID for at finde en tid.",
    "cannot_change": "Din tid kan ikke ændres nu. Ring til stedet, hvis du har brug for hjælp.",
    "mode_not_offered": "Den tid kan kun være: {modes}.",
    "mode_unchanged": "Dit møde {when} er allerede: {mode}.",
    "no_waitlist_offer": "Vi har ikke noget tilbud til dig lige nu. Svar TID for ledige tider.",
    "language_set": "OK, vi skriver på dansk. Svar HJÆLP for hjælp.",
    "stopped": "Du får ikke flere SMS fra os. Svar START for at få SMS igen.",
    "started": "Velkommen tilbage. Du får SMS fra os igen. Svar HJÆLP for hjælp.",
    "waitlist_joined": "Du er på ventelisten til {place} {when}. Vi skriver, hvis en plads bliver ledig. Svar STOP VENT for at komme af listen.",
    "waitlist_which_place": "Skriv VENT og koden fra plakaten, fx VENT 4021.",
    "waitlist_not_needed": "Der er stadig ledige tider. Svar TID for at se dem.",
    "waitlist_left": "Du er ikke længere på ventelisten til {place} {when}.",
    "not_on_waitlist": "Du står ikke på nogen venteliste. Svar TID for ledige tider.",
    "use_afbud": "Svar AFBUD for at melde afbud til din tid. Svar HJÆLP for hjælp.",
    "confirm_cancel": "Kan du ikke komme? Svar AFBUD eller JA, så melder vi afbud til din tid.",
    "hello": "Hej! Svar TID for ledige tider, AFBUD for at melde afbud eller HJÆLP for hjælp.",
    "not_understood": "Det forstod vi ikke. Svar TID for ledige tider eller HJÆLP for hjælp.",
    "person_will_call": "Det forstod vi ikke. En medarbejder ringer dig op snarest.",
    "person_will_call_again": "En medarbejder ringer dig op snarest. Svar HJÆLP for hjælp.",
    "video_link": "Din tid {when} er et videomøde. Video: {url}",
}

MODE_NAMES = {"in_person": "fremmøde", "video": "video", "phone": "telefon"}
WEEKDAYS = ["man", "tir", "ons", "tor", "fre", "lør", "søn"]
# {day} weekday, {date} dd.mm, {time} hh.mm
WHEN = "{day} {date} kl. {time}"
DEADLINE_TODAY = "kl. {time} i dag"
DEADLINE_TOMORROW = "kl. {time} i morgen"

# The dialog's words in this language (besides the shared Danish and English ones in
# sms.dialog.KEYWORDS).
KEYWORDS = {}
