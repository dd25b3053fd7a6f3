"""CPR numbers as people type them (the probe's 32 variants and a few more), and text that
looks a little like one but is not: phone numbers, dates, references, times."""

CPR_VARIANTS = [
    "010190-1234",
    "0101901234",
    "010190 1234",
    "010190/1234",
    "010190.1234",
    "010190_1234",
    "010190 - 1234",
    "010190\u20131234",  # en dash
    "010190\u20141234",  # em dash
    "010190\u20101234",  # Unicode hyphen
    "010190\u22121234",  # minus sign
    "010190\u00a01234",  # no-break space
    "010190\u202f1234",  # narrow no-break space
    "010190\t1234",
    "01.01.90-1234",
    "01.01.90.1234",
    "01.01.90 1234",
    "01-01-90-1234",
    "01/01/90-1234",
    "01/01/90 1234",
    "01 01 90 1234",
    "01 01 90-1234",
    "0101 90 1234",
    "01.01.90\u20131234",
    "\uff10\uff11\uff10\uff11\uff19\uff10\uff0d\uff11\uff12\uff13\uff14",  # full-width, dash too
    "\uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff14",  # full-width digits
    "\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14",  # full-width, no dash
    "\u0660\u0661\u0660\u0661\u0669\u0660-\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    "mit cpr er 010190-1234",
    "CPR: 010190-1234.",
    "cpr-nr.010190-1234",
    "Mit CPR-nummer er 31.12.85-4321, tak",
    "290200-1234",  # 29 February 2000
    "311299-1234",
    "ring til mig, 150575 1234",
    "(010190-1234)",
]

NOT_CPR = [
    "+45 12 34 56 78",
    "+4512345678",
    "12345678",
    "12 34 56 78",
    "004512345678",
    "Ring på 20 12 34 56 eller 31 12 90 12",
    "+46 70 123 45 67",
    "01.01.1990",
    "1. januar 1990",
    "2024-01-15",
    "15-01-2024 kl. 10:30",
    "kl. 10.00-12.00",
    "10:30-12:30",
    "Reference AB12CD, booking 4021",
    "TID 4021",
    "ordre 123456-7890",  # month 34 is not a month
    "321390-1234",  # day 32
    "010190-123",  # too short
    "010190-12345",  # too long
    "Jeg er født i 1950",
    "12345",
]
