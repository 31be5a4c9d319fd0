import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_404_page_uses_the_site_layout(signed_in):
    response = signed_in.get("/no/such/page")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Not Found" in body
    assert 'class="navbar' in body
    assert "<title>File Not Found - Microblog</title>" in body


def test_404_answers_json_to_clients_that_prefer_it(client):
    response = client.get("/no/such/page", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": "File Not Found"}


@pytest.mark.urls("microblog.tests.urls_failing")
def test_500_page_rolls_back_the_transaction(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post("/fail")
    assert response.status_code == 500
    assert "An unexpected error has occurred" in response.content.decode()
    assert 'class="navbar' in response.content.decode()
    user.refresh_from_db()
    assert user.about_me == ""


@pytest.mark.urls("microblog.tests.urls_failing")
def test_500_answers_json_to_clients_that_prefer_it(user):
    client = Client(raise_request_exception=False)
    response = client.post("/fail", headers={"accept": "application/json"})
    assert response.status_code == 500
    assert response.json()["error"] == "Internal Server Error"


@pytest.mark.urls("microblog.tests.urls_failing")
def test_a_successful_write_is_committed(user, client):
    assert client.post("/succeed").status_code == 200
    user.refresh_from_db()
    assert user.about_me == "saved"
