"""What the cluster bench (bench/cluster.py) does to the site besides booking: the content it
seeds, an editor's publish through node A's admin, a coordinator's crisis action and signed SMS
webhooks. Not a bench itself (run_all.py skips names starting "_")."""

import json
import subprocess
import sys
import urllib.parse
from datetime import date, timedelta
from http.cookies import SimpleCookie

from bench._cluster import NODE_A, PUBLIC_BASE_URL, PYTHON, ROOT, TWILIO_AUTH_TOKEN, request

sys.path.insert(0, str(ROOT))

CSRF = "c" * 32  # Django accepts the unmasked secret as the form token (see booking_http.py)
ADMIN_USER, ADMIN_PASSWORD = "klynge-admin", "klynge-" + "x" * 12
CRISIS_BOOKINGS = 2_000
CRISIS_DAYS = 5
WEBHOOK_PATH = "/sms/twilio/inbound/"

SETUP = r"""
import json, recurrence
from datetime import date, datetime, time, timedelta
import django
django.setup()
from django.contrib.auth import get_user_model
from django.utils import timezone
from bookings.materialise import materialise_sessions
from bookings.models import Booking, Occurrence, Slot
from bookings.selectors import bookable_slots
from hotspots.models import HomePage, HotspotPage, OrganisationPage, SessionPage

home = HomePage.objects.get()
organisation = OrganisationPage(title="Cluster Kommune", slug="cluster-kommune", kind="municipality")
home.add_child(instance=organisation)
organisation.save_revision().publish()
daily = recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)])
hotspots, sessions = [], []
for n in range(3):
    hotspot = HotspotPage(
        title=f"Klynge-café {n}", slug=f"klynge-{n}", street_address=f"Klyngevej {n + 1}",
        postcode="8000", city="Aarhus C", latitude=56.15, longitude=10.2, sms_code=f"81{n:02d}",
    )
    organisation.add_child(instance=hotspot)
    hotspot.save_revision().publish()
    session = SessionPage(
        title=f"Åben rådgivning {n}", slug=f"raadgivning-{n}", recurrence=daily,
        starts_on=date(2026, 1, 1), start_time=time(8, 0), end_time=time(20, 0),
        slot_minutes=30, fixed_capacity=4, booking_cutoff_minutes=0, booking_opens_days=14,
    )
    hotspot.add_child(instance=session)
    session.save_revision().publish()
    hotspots.append(hotspot)
    sessions.append(session)
materialise_sessions(sessions)
slots = [[s.pk for s in bookable_slots(session=session)] for session in sessions]
hot = [column[0] for column in slots]
spread = [pk for column in slots for pk in column[1:]]
hotspot = HotspotPage.objects.get(pk=hotspots[0].pk)

# Another organisation, whose __BOOKINGS__ citizens the crisis action will text: its times and
# bookings by bulk INSERT (as bench/crisis.py), over the __DAYS__ days from tomorrow.
crisis_org = OrganisationPage(title="Krise Kommune", slug="krise-kommune", kind="municipality")
home.add_child(instance=crisis_org)
crisis_org.save_revision().publish()
crisis_hotspot = HotspotPage(
    title="Krise-café", slug="krise-cafe", street_address="Krisevej 1", postcode="8000",
    city="Aarhus C", latitude=56.15, longitude=10.2, sms_code="8200",
)
crisis_org.add_child(instance=crisis_hotspot)
crisis_hotspot.save_revision().publish()
crisis_session = SessionPage(
    title="IT-café", slug="it-cafe", recurrence=daily, starts_on=date(2026, 1, 1),
    start_time=time(10, 0), end_time=time(14, 0), fixed_capacity=50, offers_video=True,
)
crisis_hotspot.add_child(instance=crisis_session)
crisis_session.save_revision().publish()
tz = timezone.get_current_timezone()
today = timezone.localdate()
Occurrence.objects.bulk_create(
    Occurrence(
        session_id=crisis_session.pk, date=today + timedelta(days=1 + d),
        starts_at=datetime.combine(today + timedelta(days=1 + d), time(10, 0), tzinfo=tz),
        ends_at=datetime.combine(today + timedelta(days=1 + d), time(14, 0), tzinfo=tz),
    )
    for d in range(__DAYS__)
)
per_slot = __BOOKINGS__ // (__DAYS__ * 8)
Slot.objects.bulk_create(
    Slot(
        occurrence_id=o.pk, starts_at=o.starts_at + timedelta(minutes=30 * k),
        ends_at=o.starts_at + timedelta(minutes=30 * (k + 1)), capacity=per_slot, booked=per_slot,
    )
    for o in Occurrence.objects.filter(session_id=crisis_session.pk)
    for k in range(8)
)
crisis_slots = list(
    Slot.objects.filter(occurrence__session_id=crisis_session.pk).values_list("pk", flat=True)
)
Booking.objects.bulk_create(
    (
        Booking(
            slot_id=crisis_slots[i // per_slot], mode="in_person", channel="web",
            first_name=f"Borger {i}", phone=f"+4526{i:06d}", reference=f"K{i:05d}",
            manage_token_hash=f"{i:064x}",
        )
        for i in range(__BOOKINGS__)
    ),
    batch_size=1000,
)
staff = get_user_model().objects.create_superuser("__USER__", password="__PASSWORD__")
staff.groups.add(organisation.editors_group, crisis_org.coordinators_group)
print("SETUP " + json.dumps({"hot": hot, "spread": spread, "hotspot": hotspot.pk,
                             "url": hotspot.url, "crisis_org": crisis_org.pk}))
"""


def setup_site(env: dict) -> dict:
    code = SETUP
    for placeholder, value in (
        ("__BOOKINGS__", CRISIS_BOOKINGS),
        ("__DAYS__", CRISIS_DAYS),
        ("__USER__", ADMIN_USER),
        ("__PASSWORD__", ADMIN_PASSWORD),
    ):
        code = code.replace(placeholder, str(value))
    result = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise SystemExit("seeding failed:\n" + result.stderr[-3000:])
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("SETUP "))
    return json.loads(line[6:])


def crisis_phones() -> set[str]:
    return {f"+4526{i:06d}" for i in range(CRISIS_BOOKINGS)}


class AdminSession:
    """A staff member's browser on one node: logged in through the real login form, posting the
    real admin forms with the CSRF cookie."""

    def __init__(self, port: int = NODE_A):
        self.port, self.cookies = port, {"csrftoken": CSRF}

    def _headers(self, form: bool) -> dict:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def _remember(self, response_headers) -> None:
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value

    def get(self, path: str) -> tuple[int, str]:
        status, body, headers = request(self.port, "GET", path, headers=self._headers(False))
        self._remember(headers)
        return status, body.decode("utf-8", "replace")

    def post(self, path: str, data: dict) -> int:
        # Logging in rotates the CSRF secret: post the one the cookie holds now.
        data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        body = urllib.parse.urlencode(data, doseq=True)
        status, _, headers = request(self.port, "POST", path, body, self._headers(True))
        self._remember(headers)
        return status

    def log_in(self) -> bool:
        status = self.post(
            "/admin/login/", {"username": ADMIN_USER, "password": ADMIN_PASSWORD, "next": "/admin/"}
        )
        return status == 302 and "sessionid" in self.cookies

    def publish_title(self, page_id: int, title: str) -> int:
        """The page editor's form as the admin drew it, with a new title, and "Publish"."""
        from tests.hotspots.admin_forms import scrape_form

        status, html = self.get(f"/admin/pages/{page_id}/edit/")
        if status != 200:
            return status
        data = scrape_form(html)
        data.update({"title": title, "action-publish": "action-publish"})
        return self.post(f"/admin/pages/{page_id}/edit/", data)

    def start_crisis(self, organisation_id: int) -> int:
        """A coordinator moves every meeting of the crisis organisation to video."""
        tomorrow = date.today() + timedelta(days=1)
        return self.post(
            "/admin/crisis/new/",
            {
                "organisation": organisation_id,
                "kind": "to_video",
                "first_day": tomorrow.isoformat(),
                "last_day": (tomorrow + timedelta(days=CRISIS_DAYS)).isoformat(),
                "message": "Krise Kommune: alle møder bliver til video. Vi sender et link.",
                "start": "1",
            },
        )


def signed_webhook(n: int) -> tuple[str, dict]:
    """An inbound SMS as Twilio posts it through the load balancer, signed with the auth
    token over the public URL."""
    from twilio.request_validator import RequestValidator

    params = {
        "MessageSid": f"SM{n:032x}",
        "AccountSid": "AC" + "0" * 32,
        "From": f"+4527{n % 1_000_000:06d}",
        "To": "+4570000000",
        "Body": "HJÆLP",
        "NumMedia": "0",
    }
    signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(
        PUBLIC_BASE_URL + WEBHOOK_PATH, params
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature,
    }
    return urllib.parse.urlencode(params), headers
