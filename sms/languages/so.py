"""Somali SMS texts. DRAFT: written by the team, not yet reviewed by a native speaker."""

NAME = "Soomaali"
UCS2 = False  # Somali is written in the Latin alphabet and fits GSM-7

TEXTS = {
    "confirmed": "Waa lagu qabtay {when}, {where}, {mode}. Ref {ref}. Baajin: BAJI, waqti kale: BEDDEL.{link}",
    "cancelled": "Ballantaada {when} ee {place} waa la baajiyay. Dir BALLAN si aad waqti cusub u hesho.",
    "moved": "Ballantaada waxaa loo raray {when}, {where}, {mode}. Ref {ref}.{link}",
    "mode_switched": "Kulankaaga {when} hadda waa: {mode}. Ref {ref}.",
    "session_cancelled": "Raali ahow, {place} {when} waa la baajiyay. Dir BALLAN waqti cusub.",
    "session_closed": "Raali ahow, {place} {when} waa la baajiyay: {reason} Dir BALLAN waqti cusub.",
    "waitlist_offer": "Boos ayaa banaan: {place} {when}. Dir HAA ka hor {expires} si aad u qaadato.",
    "reminder_day_before": "Xusuusin: berri {when}, {where}, {mode}. Ref {ref}. Ma imaan kartid? Dir BAJI.{link}",
    "reminder_before_start": "Xusuusin: {when}, {where}, {mode}. Dir BAJI haddii aadan iman karin.",
    "help": "Dir BALLAN waqtiyada banaan (BALLAN 4021 ama BALLAN 8000 meel). BAJI waa baajin. BEDDEL waqtiyo cusub. SUG: liiska sugitaanka, STOP VENT ka bax. VIDEO, TELEFON ama FREMMØDE waa habka kulanka. DANSK af Danish. STOP SMS joojin.",
    "offers": "Waqtiyada banaan:\n{lines}\nDir lambarka, tusaale 1.",
    "move_offers": "Waqtiyo cusub:\n{lines}\nDir lambarka si aad ballanta u rarto.",
    "offer_line": "{n} {when} {place}",
    "slot_gone": "Raali ahow, waqtigaas waa la qaatay. Waqtiyo kale:\n{lines}\nDir lambarka.",
    "no_slots": "Hadda waqti banaan ma jiro. Dir SUG liiska sugitaanka, ama CAAWIN.",
    "which_place": "Xaggee? Dir koodhka boostada ama koodhka meesha, tusaale 8000 ama 4021.",
    "unknown_place": "Ma naqaano {code}. Qor BALLAN iyo koodhka boodhka, tusaale BALLAN 4021.",
    "no_such_offer": "Kuuma aanan dirin waqti lambar {n}. Dir BALLAN si aad u aragto waqtiyada.",
    "booked": "Waa lagu qabtay: {when}, {place}. Dir BAJI si aad u baajiso.",
    "already_booked": "Horay ayaad ballan u leedahay {when}, {place}. Dir BAJI si aad u baajiso.",
    "cannot_book": "Waqtigaas hadda lama qaban karo. Dir BALLAN waqtiyo kale.",
    "no_booking": "Ballan nalagama hayo. Dir BALLAN si aad waqti u hesho.",
    "cannot_change": "Ballantaada hadda lama beddeli karo. Wac meesha haddii aad caawimaad u baahantahay.",
    "mode_not_offered": "Waqtigaas wuxuu noqon karaa oo kaliya: {modes}.",
    "mode_unchanged": "Kulankaaga {when} horay ayuu ahaa: {mode}.",
    "no_waitlist_offer": "Hadda wax dalab ah kuuma hayno. Dir BALLAN waqtiyada banaan.",
    "language_set": "OK, waxaan ku qori doonnaa Soomaali. Dir CAAWIN caawimaad.",
    "stopped": "SMS dambe nagama heli doontid. Dir START si aad mar kale u hesho.",
    "started": "Soo dhawoow. Mar kale ayaad SMS naga heli doontaa. Dir CAAWIN caawimaad.",
    "waitlist_joined": "Waxaad ku jirtaa liiska sugitaanka {place} {when}. Waan ku qori doonnaa haddii boos banaanaado. Dir STOP VENT si aad uga baxdo.",
    "waitlist_which_place": "Qor SUG iyo koodhka boodhka, tusaale SUG 4021.",
    "waitlist_not_needed": "Weli waqtiyo banaan ayaa jira. Dir BALLAN si aad u aragto.",
    "waitlist_left": "Hadda kuma jirtid liiska sugitaanka {place} {when}.",
    "not_on_waitlist": "Kuma jirtid liis sugitaan. Dir BALLAN waqtiyada banaan.",
    "use_afbud": "Si aad ballanta u baajiso, dir BAJI. Dir CAAWIN caawimaad.",
    "confirm_cancel": "Ma imaan kartid? Dir BAJI ama HAA, waan baajin doonnaa ballantaada.",
    "hello": "Salaan! Dir BALLAN waqtiyada banaan, BAJI si aad u baajiso ama CAAWIN.",
    "not_understood": "Ma aanan fahmin. Dir BALLAN waqtiyada banaan ama CAAWIN caawimaad.",
    "person_will_call": "Ma aanan fahmin. Shaqaale ayaa ku soo wici doona dhawaan.",
    "person_will_call_again": "Shaqaale ayaa ku soo wici doona dhawaan. Dir CAAWIN caawimaad.",
    "video_link": "Ballantaada {when} waa kulan fiidiyow. Xiriirka: {url}",
}

MODE_NAMES = {"in_person": "fool ka fool", "video": "video", "phone": "telefoon"}
WEEKDAYS = ["Isn", "Tal", "Arb", "Kha", "Jim", "Sab", "Axd"]
WHEN = "{day} {date} saacadda {time}"
DEADLINE_TODAY = "saacadda {time} maanta"
DEADLINE_TOMORROW = "saacadda {time} berri"

SWITCH_WORDS = ["soomaali", "somali", "somalisk", "afsoomaali"]
KEYWORDS = {
    "list": ["ballan", "waqti"],
    "cancel": ["baji", "baajin", "baaji"],
    "move": ["beddel", "badal"],
    "accept": ["haa"],
    "wait": ["sug", "sugitaan"],
    "help": ["caawin", "caawimaad"],
    "stop": ["jooji"],
    "video": ["fiidiyow"],
    "phone": ["telefoon"],
    "in_person": ["foolkafool", "shakhsi"],
    "hello": ["salaan", "nabad", "iska"],
    "thanks": ["mahadsanid", "mahadsanidin"],
    "number": ["lambar"],
}
CANNOT_COME = ["ma imaan karo", "ima imaan karo", "ma iman karo"]

# Somali words are longer than Danish ones: these need one more GSM-7 segment.
BUDGET = {"waitlist_joined": 2}
