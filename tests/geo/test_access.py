"""Who may change the workspace."""

from geo.access import EditorPolicy


def test_no_settings_means_everyone_edits():
    policy = EditorPolicy.from_secrets({})
    assert policy.open and policy.allows(email=None)


def test_password_only():
    policy = EditorPolicy.from_secrets({"editor_password": "s3cret"})
    assert not policy.open
    assert policy.allows(email=None, password="s3cret")
    assert not policy.allows(email=None, password="S3cret")
    assert not policy.allows(email=None, password="")
    assert policy.allows(email=None, password_ok=True)
    assert not policy.allows(email="someone@aimag.mn")  # sign-in is not configured


AUTH = {
    "client_id": "atlas",
    "client_secret": "x",
    "redirect_uri": "http://h/oauth2callback",
    "cookie_secret": "y",
    "server_metadata_url": "https://id/.well-known",
}


def test_sign_in_with_editors_list_compares_addresses_case_insensitively():
    policy = EditorPolicy.from_secrets({"auth": AUTH, "editors": ["Tsetseg@Aimag.mn "]})
    assert policy.sign_in and policy.providers == ()
    assert policy.allows(email="tsetseg@aimag.mn")
    assert not policy.allows(email="bold@aimag.mn")
    assert not policy.allows(email=None)
    assert not policy.allows(email="", password_ok=True)  # no password configured


def test_sign_in_without_list_admits_every_signed_in_user_and_names_providers():
    policy = EditorPolicy.from_secrets(
        {
            "auth": {
                "redirect_uri": "r",
                "cookie_secret": "c",
                "google": {"client_id": "g"},
                "microsoft": {"client_id": "m"},
            }
        }
    )
    assert policy.providers == ("google", "microsoft")
    assert policy.allows(email="anyone@example.mn")
    assert not policy.allows(email=None)


def test_password_and_sign_in_either_way_in():
    policy = EditorPolicy.from_secrets(
        {"auth": AUTH, "editors": "a@x.mn; b@x.mn", "editor_password": "pw"}
    )
    assert policy.editors == ("a@x.mn", "b@x.mn")
    assert policy.allows(email="b@x.mn")
    assert policy.allows(email="c@x.mn", password="pw")
    assert not policy.allows(email="c@x.mn", password="no")
