import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/auth/login", "/no-such-page", "/api/", "/healthz", "/admin/"])
def test_every_response_carries_the_policies(client, settings, path):
    settings.SECURITY_HEADERS = True
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["Permissions-Policy"].startswith("camera=()")
