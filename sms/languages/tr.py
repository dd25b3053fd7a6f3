"""Turkish SMS texts. DRAFT: written by the team, not yet reviewed by a native speaker."""

NAME = "Türkçe"
UCS2 = True  # ş, ğ, ı, ç … are outside GSM-7

TEXTS = {
    "confirmed": "Randevunuz {when}, {where}, {mode}. No {ref}. İptal: IPTAL, başka saat: DEGISTIR.{link}",
    "cancelled": "{when} {place} randevunuz iptal edildi. Yeni saat için RANDEVU yazın.",
    "moved": "Randevunuz {when} saatine alındı, {where}, {mode}. No {ref}.{link}",
    "mode_switched": "{when} görüşmeniz artık: {mode}. No {ref}.",
    "session_cancelled": "Üzgünüz, {place} {when} iptal. Yeni saat için RANDEVU yazın.",
    "session_closed": "Üzgünüz, {place} {when} iptal: {reason} RANDEVU yazın.",
    "waitlist_offer": "Boş yer var: {place} {when}. Almak için {expires} EVET yazın.",
    "reminder_day_before": "Hatırlatma: yarın {when}, {where}, {mode}. No {ref}. Gelemez misiniz? IPTAL yazın.{link}",
    "reminder_before_start": "Hatırlatma: {when}, {where}, {mode}. Gelemezseniz IPTAL.",
    "help": "RANDEVU: boş saatler (bir yer için RANDEVU 4021 veya RANDEVU 8000). IPTAL iptal eder. DEGISTIR yeni saatler verir. BEKLE: bekleme listesi, çıkmak için STOP VENT. VIDEO, TELEFON veya YUZYUZE görüşme şeklini değiştirir. DANSK Danca. STOP SMS'i durdurur.",
    "offers": "Boş saatler:\n{lines}\nNumarayı yazın, örn. 1.",
    "move_offers": "Yeni saatler:\n{lines}\nTaşımak için numarayı yazın.",
    "offer_line": "{n} {when} {place}",
    "slot_gone": "Üzgünüz, o saat alındı. Diğerleri:\n{lines}\nNumarayı yazın.",
    "no_slots": "Şu an boş saat yok. Bekleme listesi için BEKLE veya YARDIM yazın.",
    "which_place": "Nerede? Posta kodu veya yerin kodunu yazın, örn. 8000 veya 4021.",
    "unknown_place": "{code} bilinmiyor. RANDEVU ve afişteki kodu yazın, örn. RANDEVU 4021.",
    "no_such_offer": "Size {n} numaralı saati göndermedik. RANDEVU yazın.",
    "booked": "Randevunuz: {when}, {place}. İptal için IPTAL yazın.",
    "already_booked": "Zaten randevunuz var: {when}, {place}. İptal: IPTAL.",
    "cannot_book": "Bu saat şu an alınamaz. RANDEVU yazın.",
    "no_booking": "Bizde randevunuz yok. RANDEVU yazın.",
    "cannot_change": "Randevunuz şu an değiştirilemez. Yeri arayın.",
    "mode_not_offered": "Bu saat sadece: {modes}.",
    "mode_unchanged": "{when} görüşmeniz zaten: {mode}.",
    "no_waitlist_offer": "Şu an size bir teklifimiz yok. RANDEVU yazın.",
    "language_set": "Tamam, Türkçe yazacağız. Yardım için YARDIM yazın.",
    "stopped": "Artık SMS almayacaksınız. Tekrar için START yazın.",
    "started": "Tekrar hoş geldiniz. Yine SMS alacaksınız. YARDIM yazın.",
    "waitlist_joined": "{place} {when} bekleme listesindesiniz. Yer açılırsa yazarız. Çıkmak için STOP VENT.",
    "waitlist_which_place": "BEKLE ve afişteki kodu yazın, örn. BEKLE 4021.",
    "waitlist_not_needed": "Hâlâ boş saatler var. RANDEVU yazın.",
    "waitlist_left": "Artık {place} {when} bekleme listesinde değilsiniz.",
    "not_on_waitlist": "Bekleme listesinde değilsiniz. RANDEVU yazın.",
    "use_afbud": "Randevuyu iptal için IPTAL yazın. Yardım: YARDIM.",
    "confirm_cancel": "Gelemiyor musunuz? IPTAL veya EVET yazın, iptal edelim.",
    "hello": "Merhaba! Boş saatler: RANDEVU, iptal: IPTAL, yardım: YARDIM.",
    "not_understood": "Anlayamadık. RANDEVU veya YARDIM yazın.",
    "person_will_call": "Anlayamadık. Bir görevli sizi yakında arayacak.",
    "person_will_call_again": "Bir görevli sizi yakında arayacak. YARDIM yazın.",
    "video_link": "{when} randevunuz görüntülü görüşme. Bağlantı: {url}",
}

MODE_NAMES = {"in_person": "yüz yüze", "video": "video", "phone": "telefon"}
WEEKDAYS = ["Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz"]
WHEN = "{day} {date} saat {time}"
DEADLINE_TODAY = "bugün {time} önce"
DEADLINE_TOMORROW = "yarın {time} önce"

SWITCH_WORDS = ["türkçe", "turkce", "turkish", "tyrkisk"]
KEYWORDS = {
    "list": ["randevu", "saat"],
    "cancel": ["iptal"],
    "move": ["değiştir", "degistir", "ertele"],
    "accept": ["evet"],
    "wait": ["bekle", "bekleme"],
    "help": ["yardım", "yardim"],
    "stop": ["dur"],
    "video": ["video"],
    "phone": ["telefon"],
    "in_person": ["yüzyüze", "yuzyuze"],
    "hello": ["merhaba", "selam"],
    "thanks": ["teşekkürler", "tesekkurler", "sağol", "sagol", "teşekkür"],
    "number": ["numara"],
}
CANNOT_COME = ["gelemiyorum", "gelemem", "gelemeyeceğim"]
