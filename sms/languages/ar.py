"""Arabic SMS texts. DRAFT: written by the team, not yet reviewed by a native speaker."""

NAME = "العربية"
UCS2 = True

TEXTS = {
    "confirmed": "تم الحجز {when} في {where}، {mode}. رقم {ref}. للإلغاء أرسل إلغاء، ولموعد جديد أرسل تغيير.{link}",
    "cancelled": "تم إلغاء موعدك {when} في {place}. أرسل موعد لموعد جديد.",
    "moved": "تم نقل موعدك إلى {when} في {where}، {mode}. رقم {ref}.{link}",
    "mode_switched": "موعدك {when} أصبح: {mode}. رقم {ref}.",
    "session_cancelled": "عذرا، ألغي {place} {when}. أرسل موعد لموعد جديد.",
    "session_closed": "عذرا، ألغي {place} {when}: {reason} أرسل موعد لموعد جديد.",
    "waitlist_offer": "يوجد مكان شاغر: {place} {when}. أرسل نعم قبل {expires} لتأخذه.",
    "reminder_day_before": "تذكير: موعدك غدا {when} في {where}، {mode}. رقم {ref}. لا تستطيع الحضور؟ أرسل إلغاء.{link}",
    "reminder_before_start": "تذكير: موعدك {when} في {where}، {mode}. أرسل إلغاء إن لم تستطع.",
    "help": "أرسل موعد للمواعيد (موعد 4021 أو موعد 8000 لمكان). إلغاء يلغي. تغيير يعطي مواعيد جديدة. انتظار: قائمة الانتظار، STOP VENT للخروج منها. فيديو أو هاتف أو حضور يغير طريقة اللقاء. DANSK للدنماركية. STOP يوقف الرسائل.",
    "offers": "مواعيد متاحة:\n{lines}\nأرسل الرقم، مثلا 1.",
    "move_offers": "مواعيد جديدة:\n{lines}\nأرسل الرقم لنقل موعدك.",
    "offer_line": "{n} {when} {place}",
    "slot_gone": "عذرا، أخذ هذا الموعد. مواعيد أخرى:\n{lines}\nأرسل الرقم.",
    "no_slots": "لا توجد مواعيد متاحة الآن. أرسل انتظار لقائمة الانتظار، أو مساعدة.",
    "which_place": "أين؟ أرسل الرمز البريدي أو رمز المكان، مثلا 8000 أو 4021.",
    "unknown_place": "لا نعرف {code}. أرسل موعد ورمز الملصق، مثلا موعد 4021.",
    "no_such_offer": "لم نرسل لك الموعد رقم {n}. أرسل موعد لترى المواعيد.",
    "booked": "تم الحجز: {when} في {place}. أرسل إلغاء للإلغاء.",
    "already_booked": "لديك موعد {when} في {place}. أرسل إلغاء للإلغاء.",
    "cannot_book": "لا يمكن حجز هذا الموعد الآن. أرسل موعد لمواعيد أخرى.",
    "no_booking": "ليس لديك موعد عندنا. أرسل موعد لتجد موعدا.",
    "cannot_change": "لا يمكن تغيير موعدك الآن. اتصل بالمكان إن احتجت مساعدة.",
    "mode_not_offered": "هذا الموعد فقط: {modes}.",
    "mode_unchanged": "موعدك {when} هو أصلا: {mode}.",
    "no_waitlist_offer": "ليس لدينا عرض لك الآن. أرسل موعد للمواعيد.",
    "language_set": "حسنا، سنكتب بالعربية. أرسل مساعدة للمساعدة.",
    "stopped": "لن تصلك رسائل منا. أرسل START لتصلك مجددا.",
    "started": "أهلا بعودتك. ستصلك رسائلنا مجددا. أرسل مساعدة للمساعدة.",
    "waitlist_joined": "أنت في قائمة انتظار {place} {when}. سنكتب إن توفر مكان. للخروج أرسل STOP VENT.",
    "waitlist_which_place": "أرسل انتظار ورمز الملصق، مثلا انتظار 4021.",
    "waitlist_not_needed": "ما زالت هناك مواعيد متاحة. أرسل موعد لتراها.",
    "waitlist_left": "لم تعد في قائمة انتظار {place} {when}.",
    "not_on_waitlist": "لست في أي قائمة انتظار. أرسل موعد للمواعيد.",
    "use_afbud": "لإلغاء موعدك أرسل إلغاء. أرسل مساعدة للمساعدة.",
    "confirm_cancel": "لا تستطيع الحضور؟ أرسل إلغاء أو نعم وسنلغي موعدك.",
    "hello": "مرحبا! أرسل موعد للمواعيد، إلغاء للإلغاء أو مساعدة.",
    "not_understood": "لم نفهم. أرسل موعد للمواعيد أو مساعدة للمساعدة.",
    "person_will_call": "لم نفهم. سيتصل بك موظف قريبا.",
    "person_will_call_again": "سيتصل بك موظف قريبا. أرسل مساعدة للمساعدة.",
    "video_link": "موعدك {when} اجتماع بالفيديو. الرابط: {url}",
}

MODE_NAMES = {"in_person": "حضوري", "video": "فيديو", "phone": "هاتف"}
WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
# Times and dates stay in Western digits: they are what the poster and the web page show.
WHEN = "{day} {date} الساعة {time}"
DEADLINE_TODAY = "الساعة {time} اليوم"
DEADLINE_TOMORROW = "الساعة {time} غدا"

SWITCH_WORDS = ["العربية", "عربي", "عربية", "arabic", "arabisk"]
KEYWORDS = {
    "list": ["موعد", "مواعيد", "حجز", "احجز"],
    "cancel": ["إلغاء", "الغاء", "الغي"],
    "move": ["تغيير", "نقل"],
    "accept": ["نعم"],
    "wait": ["انتظار"],
    "help": ["مساعدة", "مساعده"],
    "stop": ["توقف", "إيقاف", "ايقاف"],
    "video": ["فيديو"],
    "phone": ["هاتف"],
    "in_person": ["حضور", "حضوري"],
    "hello": ["مرحبا", "السلام", "اهلا", "أهلا"],
    "thanks": ["شكرا", "شكراً"],
    "number": ["رقم"],
}
CANNOT_COME = ["لا أستطيع الحضور", "لا استطيع الحضور", "لن أحضر", "لن احضر"]
