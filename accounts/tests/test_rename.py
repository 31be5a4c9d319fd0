import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("taken", ["john", "JOHN"])
def test_renaming_to_a_taken_name_reads_as_a_sentence(signed_in, make_user, taken):
    make_user("john")
    response = signed_in.post("/edit_profile", {"username": taken, "about_me": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please use a different username." in page
    assert "Constraint" not in page and "user_username_ci_unique" not in page
