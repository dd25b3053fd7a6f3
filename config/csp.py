"""Content-Security-Policy (Django's built-in CSP middleware; settings.SECURE_CSP).

Citizens' pages load only our own scripts, styles, fonts and images: no inline script, no
inline style, nothing from another host. The Wagtail admin gets a policy of its own
(config/urls.py): Wagtail's widgets still write inline scripts and styles.
"""

from urllib.parse import urlsplit

from django.utils.csp import CSP


def _origin(url: str) -> list[str]:
    """The origin of an absolute STATIC_URL or MEDIA_URL (a CDN, S3), to allow it too."""
    parts = urlsplit(url or "")
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


def public_policy(*, static_url: str = "", media_url: str = "") -> dict:
    assets = [CSP.SELF, *_origin(static_url)]
    return {
        "default-src": [CSP.SELF],
        "script-src": assets,
        "style-src": assets,
        "font-src": assets,
        "img-src": [*assets, *_origin(media_url), "data:"],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }


def admin_policy(*, static_url: str = "", media_url: str = "") -> dict:
    policy = public_policy(static_url=static_url, media_url=media_url)
    return policy | {
        "script-src": [*policy["script-src"], CSP.UNSAFE_INLINE],
        "style-src": [*policy["style-src"], CSP.UNSAFE_INLINE],
        "font-src": [*policy["font-src"], "data:"],
        "img-src": [*policy["img-src"], "blob:"],
        # Page previews are drawn in an iframe of the admin itself.
        "frame-src": [CSP.SELF],
        "frame-ancestors": [CSP.SELF],
    }


def allow_form_redirect_anywhere(policy: dict) -> dict:
    """For a form whose answer is a redirect to another site (the video join page sends the
    citizen on to the meeting provider, whichever the caseworker uses): browsers check
    form-action against that redirect too."""
    return policy | {"form-action": [CSP.SELF, "https:"]}
