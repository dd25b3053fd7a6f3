"""Video providers, chosen by settings.VIDEO_PROVIDER like Django's EMAIL_BACKEND:

- "jitsi": a self-hosted Jitsi Meet with JWT auth (JITSI_BASE_URL, JITSI_APP_ID, JITSI_APP_SECRET).
  Room names come from `secrets`, so they cannot be guessed; the caseworker's token makes them
  moderator, the citizen's does not, and the lobby keeps citizens waiting until let in.
- "external": the caseworker's own meeting link (CaseworkerProfile.meeting_url), for
  organisations that use Teams or similar.
- "fake": for tests and development; no network.

Citizens never see a provider URL in an SMS: they get our own /m/<token>/ page, which sends them
on only around the meeting time."""

import hashlib
import hmac
import secrets
import time as time_module
from base64 import urlsafe_b64encode
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def new_room_id() -> str:
    # 128 random bits; no name, date or organisation in it.
    return "dh-" + secrets.token_hex(16)


def join_token_for(room_id: str) -> str:
    """The citizen's join token, derived from the room id with the secret key, so the same link
    can be repeated in a reminder while the database only keeps its hash."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"meetings.join:{room_id}".encode(), hashlib.sha256
    ).digest()
    return urlsafe_b64encode(digest[:24]).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class VideoProvider:
    name = ""

    def join_url(self, room, *, moderator: bool, display_name: str, caseworker=None) -> str:
        raise NotImplementedError


class FakeProvider(VideoProvider):
    name = "fake"

    def join_url(self, room, *, moderator: bool, display_name: str, caseworker=None) -> str:
        role = "moderator" if moderator else "guest"
        return f"https://video.invalid/{room.room_id}?role={role}"


class ExternalLinkProvider(VideoProvider):
    """The caseworker's own tool: everyone gets the same link, the tool decides who hosts."""

    name = "external"

    def join_url(self, room, *, moderator: bool, display_name: str, caseworker=None) -> str:
        profile = getattr(caseworker, "caseworker_profile", None) if caseworker else None
        url = getattr(profile, "meeting_url", "") or getattr(settings, "VIDEO_EXTERNAL_URL", "")
        return url or ""


class JitsiProvider(VideoProvider):
    name = "jitsi"

    def __init__(self, *, base_url: str, app_id: str, app_secret: str):
        if not (base_url and app_id and app_secret):
            raise ImproperlyConfigured(
                "VIDEO_PROVIDER=jitsi needs JITSI_BASE_URL, JITSI_APP_ID and JITSI_APP_SECRET."
            )
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id
        self.app_secret = app_secret

    def token(self, room, *, moderator: bool, display_name: str, now: float | None = None) -> str:
        """A Jitsi JWT (prosody token auth): aud "jitsi", iss = app id, sub = the Jitsi domain,
        room = this room only, valid for the room's window. `moderator` is true only for the
        caseworker; with Jitsi's lobby on, the citizen knocks and the moderator lets them in."""
        import jwt

        now = int(now if now is not None else time_module.time())
        claims = {
            "aud": "jitsi",
            "iss": self.app_id,
            "sub": urlsplit(self.base_url).hostname or "",
            "room": room.room_id,
            "nbf": int(room.valid_from.timestamp()),
            "iat": now,
            "exp": int(room.valid_until.timestamp()),
            "moderator": moderator,
            "context": {
                "user": {
                    "name": display_name,
                    "moderator": moderator,
                    "affiliation": "owner" if moderator else "member",
                },
                # Read by the lobby module: only the moderator skips the lobby.
                "features": {"lobby": True, "recording": False, "livestreaming": False},
                "lobby_bypass": moderator,
            },
        }
        return jwt.encode(claims, self.app_secret, algorithm="HS256")

    def join_url(self, room, *, moderator: bool, display_name: str, caseworker=None) -> str:
        token = self.token(room, moderator=moderator, display_name=display_name)
        # The config hash turns the lobby on as the moderator joins and shows the pre-join
        # screen (camera and microphone check) to the citizen.
        options = "#config.prejoinConfig.enabled=true&config.lobby.autoKnock=true"
        if moderator:
            options += "&config.enableLobby=true"
        return f"{self.base_url}/{quote(room.room_id)}?jwt={token}{options}"


def get_provider() -> VideoProvider:
    name = getattr(settings, "VIDEO_PROVIDER", "fake") or "fake"
    if name == "jitsi":
        return JitsiProvider(
            base_url=getattr(settings, "JITSI_BASE_URL", ""),
            app_id=getattr(settings, "JITSI_APP_ID", ""),
            app_secret=getattr(settings, "JITSI_APP_SECRET", ""),
        )
    if name == "external":
        return ExternalLinkProvider()
    if name == "fake":
        return FakeProvider()
    raise ImproperlyConfigured(f"Unknown VIDEO_PROVIDER {name!r}: use jitsi, external or fake.")
