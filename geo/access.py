"""Who may change the shared workspace: everyone, password holders, or signed-in editors.

Viewers can always read. The policy comes from the app's secrets
(``.streamlit/secrets.toml``, never committed):

``editor_password = "..."``
    Whoever types it may save, replace and delete datasets and corrections.
``[auth]`` (Streamlit's OpenID Connect settings for ``st.login``) and ``editors = [...]``
    People who sign in with one of the listed e-mail addresses may edit. With
    ``[auth]`` and no ``editors`` list, everyone the identity provider lets
    sign in may edit (restrict who can sign in there).

Both may be set: either way in. With neither, everyone may edit (a laptop).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EditorPolicy:
    """Who may change the workspace.

    Parameters
    ----------
    password : str, optional
        The editor password; None for no password.
    sign_in : bool
        Whether sign-in through ``st.login`` is configured.
    editors : tuple of str
        E-mail addresses of signed-in editors (compared case-insensitively);
        empty means every signed-in user.
    providers : tuple of str
        Named identity providers of ``[auth]`` (empty when ``[auth]`` configures
        one provider directly).

    Examples
    --------
    >>> policy = EditorPolicy.from_secrets({"editor_password": "s3cret"})
    >>> policy.allows(email=None, password="s3cret"), policy.allows(email=None, password="x")
    (True, False)
    >>> EditorPolicy.from_secrets({}).open
    True
    """

    password: str | None = None
    sign_in: bool = False
    editors: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()

    @classmethod
    def from_secrets(cls, secrets: Mapping[str, Any]) -> EditorPolicy:
        """The policy the secrets describe (see the module's text)."""
        password = secrets.get("editor_password") or None
        auth = secrets.get("auth")
        sign_in = isinstance(auth, Mapping) and bool(auth)
        providers: tuple[str, ...] = ()
        if isinstance(auth, Mapping) and sign_in and "client_id" not in auth:
            providers = tuple(k for k, v in auth.items() if isinstance(v, Mapping))
        editors = secrets.get("editors") or ()
        if isinstance(editors, str):
            editors = [e for e in editors.replace(";", ",").split(",")]
        return cls(
            password=None if password is None else str(password),
            sign_in=sign_in,
            editors=tuple(e.strip().lower() for e in editors if str(e).strip()),
            providers=providers,
        )

    @property
    def open(self) -> bool:
        """Everyone may edit (no password and no sign-in configured)."""
        return not self.password and not self.sign_in

    def password_matches(self, typed: str | None) -> bool:
        """Whether ``typed`` is the editor password (constant-time comparison)."""
        return bool(self.password and typed) and hmac.compare_digest(
            str(typed).encode("utf-8"), str(self.password).encode("utf-8")
        )

    def is_editor_email(self, email: str | None) -> bool:
        """Whether a signed-in user with this address may edit."""
        if not self.sign_in or not email:
            return False
        return not self.editors or email.strip().lower() in self.editors

    def allows(
        self, *, email: str | None, password: str | None = None, password_ok: bool = False
    ) -> bool:
        """Whether this user may edit.

        Parameters
        ----------
        email : str or None
            The signed-in user's address (None when not signed in).
        password : str, optional
            A password the user typed.
        password_ok : bool
            The user typed the right password earlier in this session.
        """
        if self.open:
            return True
        if self.password and (password_ok or self.password_matches(password)):
            return True
        return self.is_editor_email(email)
