"""lib/forms.py's copied_per_form: each form copies only the fields it may change."""

import pytest
from django import forms

from urgentaction.actions.forms import ActionForm
from urgentaction.campaigns.tests.factories import CampaignFactory
from urgentaction.lib.forms import copied_per_form


@copied_per_form("colour")
class PaintForm(forms.Form):
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")])
    name = forms.CharField(label="Name")


def test_a_named_field_changed_on_one_form_stays_as_it_was_on_the_next():
    first = PaintForm()
    first.fields["colour"].choices = [("red", "Red")]
    first.fields["colour"].widget.attrs["lang"] = "ko"

    second = PaintForm()

    assert second.fields["colour"].choices == [("red", "Red"), ("blue", "Blue")]
    assert "lang" not in second.fields["colour"].widget.attrs
    assert 'value="blue"' in str(second["colour"])


def test_the_other_fields_are_shared_and_forms_still_take_their_own_data():
    first, second = PaintForm({"colour": "red", "name": "Ada"}), PaintForm({"colour": "x"})

    assert first.fields["name"] is second.fields["name"]
    assert first.is_valid()
    assert first.cleaned_data == {"colour": "red", "name": "Ada"}
    assert not second.is_valid()
    assert set(second.errors) == {"colour", "name"}


def test_a_field_removed_from_one_form_stays_on_the_next():
    first = PaintForm()
    del first.fields["name"]

    assert "name" in PaintForm().fields


def test_it_refuses_a_name_the_form_does_not_have():
    with pytest.raises(ValueError, match="PaintForm has no field size"):
        copied_per_form("size")(type("PaintForm", (PaintForm,), {}))


@pytest.mark.django_db
def test_a_letter_form_offers_each_campaign_its_own_channels_and_wording():
    by_email = CampaignFactory(offers_email=True, offers_mail_app=False, offers_post=False)
    every_way = CampaignFactory(offers_email=True, offers_mail_app=True, offers_post=True)

    only = ActionForm(campaign=by_email)
    either = ActionForm(campaign=every_way)

    assert [value for value, _label in only.fields["channel"].choices] == ["email"]
    assert [value for value, _label in either.fields["channel"].choices] == [
        "email",
        "mail_app",
        "post",
    ]
