"""Print how many SMS segments each template needs in each language, with the worst-case values
tests/sms/test_texts.py renders (sender prefix included). Run: .venv/bin/python scripts/sms_segments.py"""

import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402


def main() -> None:
    from crisis import texts as crisis_texts
    from meetings import texts as meeting_texts
    from sms import gsm, texts
    from tests.sms.test_texts import meeting_worst_values, rendered_texts

    worst = defaultdict(dict)
    with override_settings(PUBLIC_BASE_URL="https://digihjaelp.example"):
        for language, key, text in rendered_texts():
            worst[key][language] = max(worst[key].get(language, 0), gsm.segments(text))
        for language in texts.SMS_LANGUAGES:
            values = meeting_worst_values(language)
            for key in meeting_texts.BUDGET:
                text = texts.signed(meeting_texts.TEXTS[language][key].format(**values))
                worst[f"meeting:{key}"][language] = gsm.segments(text)
            longest = "W" * crisis_texts.INTRO_MAX
            for key in crisis_texts.LINES[language]:
                outcome, _, extra = key.partition(":")
                text = texts.signed(
                    crisis_texts.compose(
                        outcome=outcome,
                        extra=extra,
                        language=language,
                        message=longest,
                        message_en=longest if language != "da" else "",
                        org="O" * 60,
                    )
                )
                worst[f"crisis:{key}"][language] = gsm.segments(text)
    languages = texts.SMS_LANGUAGES
    encodings = ["UCS-2" if texts.CATALOGUE[code].UCS2 else "GSM-7" for code in languages]
    print("template".ljust(30) + "".join(code.rjust(6) for code in languages))
    print("(encoding)".ljust(30) + "".join(e.rjust(6) for e in encodings))
    for key in sorted(worst):
        cells = "".join(str(worst[key].get(code, "-")).rjust(6) for code in languages)
        print(key.ljust(30) + cells)


if __name__ == "__main__":
    main()
