"""English SMS texts (the reference for translations)."""

NAME = "English"
UCS2 = False

TEXTS = {
    "confirmed": "Booked {when} at {where}, {mode}. Ref {ref}. Reply AFBUD to cancel, FLYT for a new time.{link}",
    "cancelled": "Your time {when} at {place} is cancelled. Reply TID to find a new time.",
    "moved": "Your time is moved to {when} at {where}, {mode}. Ref {ref}.{link}",
    "mode_switched": "Your meeting {when} is now: {mode}. Ref {ref}.",
    "session_cancelled": "Sorry, {place} {when} is cancelled. Reply TID to find a new time.",
    "session_closed": "Sorry, {place} {when} is cancelled: {reason} Reply TID for a new time.",
    "waitlist_offer": "A seat is free: {place} {when}. Reply JA by {expires} to take it.",
    "reminder_day_before": "Your time is tomorrow {when} at {where}, {mode}. Ref {ref}. Cannot come? Reply AFBUD.{link}",
    "reminder_before_start": "Your time is {when} at {where}, {mode}. Reply AFBUD if you cannot come.",
    "help": "Reply TID for free times (TID 4021 or TID 8000 for a place). AFBUD cancels. FLYT gives new times. VENT: waiting list, STOP VENT leaves it. VIDEO, TELEFON or FREMMØDE changes how you meet. DANSK for Danish. STOP ends SMS.",
    "offers": "Free times:\n{lines}\nReply with the number, e.g. 1.",
    "move_offers": "New times:\n{lines}\nReply with the number to move your time.",
    "offer_line": "{n} {when} {place}",
    "slot_gone": "Sorry, that time was taken. Other times:\n{lines}\nReply with the number.",
    "no_slots": "There are no free times right now. Reply VENT to join the waiting list, or HELP.",
    "which_place": "Where? Reply with a postcode or the place's code, e.g. 8000 or 4021.",
    "unknown_place": "We do not know {code}. Write TID and the code on the poster, e.g. TID 4021.",
    "no_such_offer": "We have not sent you time no. {n}. Reply TID to see free times.",
    "booked": "Booked: {when} at {place}. Reply AFBUD to cancel.",
    "already_booked": "You already have a time {when} at {place}. Reply AFBUD to cancel.",
    "cannot_book": "That time cannot be booked now. Reply TID to see other times.",
    "no_booking": "You have no time with us. Reply TID to find a time.",
    "cannot_change": "Your time cannot be changed now. Call the place if you need help.",
    "mode_not_offered": "That time can only be: {modes}.",
    "mode_unchanged": "Your meeting {when} is already: {mode}.",
    "no_waitlist_offer": "We have no offer for you right now. Reply TID for free times.",
    "language_set": "OK, we will write in English. Reply HELP for help.",
    "stopped": "You will get no more SMS from us. Reply START to get SMS again.",
    "started": "Welcome back. You will get SMS from us again. Reply HELP for help.",
    "waitlist_joined": "You are on the waiting list for {place} {when}. We will write if a seat is free. Reply STOP VENT to leave the list.",
    "waitlist_which_place": "Write VENT and the code on the poster, e.g. VENT 4021.",
    "waitlist_not_needed": "There are still free times. Reply TID to see them.",
    "waitlist_left": "You are no longer on the waiting list for {place} {when}.",
    "not_on_waitlist": "You are not on a waiting list. Reply TID for free times.",
    "use_afbud": "To cancel your time, reply AFBUD. Reply HELP for help.",
    "confirm_cancel": "Cannot come? Reply AFBUD or JA and we cancel your time.",
    "hello": "Hello! Reply TID for free times, AFBUD to cancel or HELP for help.",
    "not_understood": "Sorry, we did not understand. Reply TID for free times or HELP for help.",
    "person_will_call": "Sorry, we did not understand. A staff member will call you soon.",
    "person_will_call_again": "A staff member will call you soon. Reply HELP for help.",
    "video_link": "Your time {when} is a video meeting. Video: {url}",
}

MODE_NAMES = {"in_person": "in person", "video": "video", "phone": "phone"}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WHEN = "{day} {date} at {time}"
DEADLINE_TODAY = "{time} today"
DEADLINE_TOMORROW = "{time} tomorrow"

KEYWORDS = {}
